import { readFile } from 'node:fs/promises';
import { fromProjectRoot } from '../../../lib/project-root.js';
import type { ChartSpec } from './briefing.model.js';

/** The CJK font the documents embed (Noto Sans SC, SIL OFL 1.1, fonts/OFL.txt): shipped, so no system font is needed. */
export const FONT_FAMILY = 'Noto Sans SC';
export const FONT_PATH = fromProjectRoot('src', 'modules', 'publications', 'fonts', 'NotoSansSC-Regular.subset-chinese-simplified.ttf');

let font: Promise<Buffer> | undefined;
export function fontBytes(): Promise<Buffer> {
  font ??= readFile(FONT_PATH);
  return font;
}

export const CHART_WIDTH = 720;
export const CHART_HEIGHT = 360;

/** A chart as SVG, drawn by ECharts' server-side renderer (no browser, no canvas). Loaded on first use. */
export async function chartSvg(spec: ChartSpec): Promise<string> {
  const echarts = await import('echarts');
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width: CHART_WIDTH, height: CHART_HEIGHT });
  try {
    chart.setOption({
      animation: false,
      backgroundColor: '#ffffff',
      textStyle: { fontFamily: FONT_FAMILY },
      title: { text: spec.title, left: 'center', textStyle: { fontSize: 15, fontFamily: FONT_FAMILY } },
      legend: { bottom: 0, textStyle: { fontFamily: FONT_FAMILY } },
      grid: { left: 56, right: 24, top: 48, bottom: 64 },
      xAxis: { type: 'category', data: spec.categories, axisLabel: { interval: 0, fontSize: 11, fontFamily: FONT_FAMILY } },
      yAxis: { type: 'value', name: spec.unit, nameTextStyle: { fontFamily: FONT_FAMILY } },
      series: spec.series.map((s) => ({
        name: s.name,
        type: s.kind,
        data: s.values,
        stack: s.stack,
        itemStyle: { color: s.color },
        lineStyle: s.kind === 'line' ? { color: s.color, width: 2 } : undefined,
        label: { show: s.kind === 'bar' && !s.stack, position: 'top', fontFamily: FONT_FAMILY },
      })),
    });
    return chart.renderToSVGString();
  } finally {
    chart.dispose();
  }
}

/** The SVG as PNG (for Word, which needs a raster image), drawn by resvg with the shipped font only. */
export async function chartPng(svg: string, scale = 2): Promise<Buffer> {
  const { Resvg } = await import('@resvg/resvg-js');
  const resvg = new Resvg(svg, {
    font: { fontFiles: [FONT_PATH], loadSystemFonts: false, defaultFontFamily: FONT_FAMILY },
    fitTo: { mode: 'width', value: CHART_WIDTH * scale },
  });
  return Buffer.from(resvg.render().asPng());
}
