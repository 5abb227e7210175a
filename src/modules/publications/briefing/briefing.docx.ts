import { CHART_HEIGHT, CHART_WIDTH, chartPng, chartSvg } from './briefing.charts.js';
import type { Briefing } from './briefing.model.js';

/** Fonts Word finds on an office's machines for Chinese text (宋体 for the body, 黑体 for headings). */
const BODY = { ascii: 'SimSun', eastAsia: 'SimSun', hAnsi: 'SimSun' };
const HEADING = { ascii: 'SimHei', eastAsia: 'SimHei', hAnsi: 'SimHei' };

/** Word (.docx), written with the `docx` library: headings, paragraphs, tables and the charts as PNG images. */
export async function briefingDocx(briefing: Briefing): Promise<Buffer> {
  const d = await import('docx');
  const children: InstanceType<typeof d.Paragraph | typeof d.Table>[] = [
    new d.Paragraph({ alignment: d.AlignmentType.CENTER, spacing: { after: 240 }, children: [new d.TextRun({ text: briefing.title, bold: true, size: 36, font: HEADING })] }),
  ];
  for (const block of briefing.blocks) {
    if (block.type === 'heading') {
      children.push(new d.Paragraph({ heading: d.HeadingLevel.HEADING_2, spacing: { before: 240, after: 120 }, children: [new d.TextRun({ text: block.text, bold: true, size: 30, font: HEADING })] }));
    } else if (block.type === 'paragraph') {
      children.push(new d.Paragraph({ indent: { firstLine: 640 }, spacing: { line: 440 }, children: [new d.TextRun({ text: block.text, size: 28, font: BODY })] }));
    } else if (block.type === 'note') {
      children.push(new d.Paragraph({ spacing: { after: 120 }, children: [new d.TextRun({ text: block.text, size: 18, color: '555555', font: BODY })] }));
    } else if (block.type === 'table') {
      children.push(new d.Paragraph({ alignment: d.AlignmentType.CENTER, spacing: { before: 240 }, children: [new d.TextRun({ text: block.title, bold: true, size: 24, font: HEADING })] }));
      const row = (cells: string[], bold: boolean) =>
        new d.TableRow({
          tableHeader: bold,
          children: cells.map((text) => new d.TableCell({ children: [new d.Paragraph({ children: [new d.TextRun({ text, bold, size: 20, font: BODY })] })] })),
        });
      children.push(new d.Table({ width: { size: 100, type: d.WidthType.PERCENTAGE }, rows: [row(block.header, true), ...block.rows.map((r) => row(r, false))] }));
    } else {
      const png = await chartPng(await chartSvg(block.chart));
      const width = 600;
      children.push(
        new d.Paragraph({
          alignment: d.AlignmentType.CENTER,
          spacing: { before: 240 },
          children: [new d.ImageRun({ type: 'png', data: png, transformation: { width, height: Math.round((width * CHART_HEIGHT) / CHART_WIDTH) }, altText: { title: block.chart.title, description: block.chart.title, name: block.chart.id } })],
        }),
        new d.Paragraph({ alignment: d.AlignmentType.CENTER, children: [new d.TextRun({ text: block.chart.title, size: 20, font: BODY })] }),
      );
    }
  }
  const document = new d.Document({ title: briefing.title, creator: 'kpo', sections: [{ children }] });
  return d.Packer.toBuffer(document);
}
