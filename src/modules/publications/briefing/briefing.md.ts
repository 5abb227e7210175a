import { chartSvg } from './briefing.charts.js';
import type { Briefing } from './briefing.model.js';

const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');

/** Markdown: the text and tables as text, each chart as an inline SVG image followed by its data as a table. */
export async function briefingMarkdown(briefing: Briefing): Promise<string> {
  const out: string[] = [`# ${briefing.title}`, ''];
  for (const block of briefing.blocks) {
    if (block.type === 'heading') out.push(`## ${block.text}`, '');
    else if (block.type === 'paragraph') out.push(block.text, '');
    else if (block.type === 'note') out.push(`> ${block.text}`, '');
    else if (block.type === 'table') {
      out.push(`**${block.title}**`, '', `| ${block.header.map(cell).join(' | ')} |`, `| ${block.header.map(() => '---').join(' | ')} |`);
      for (const row of block.rows) out.push(`| ${row.map(cell).join(' | ')} |`);
      out.push('');
    } else {
      const { chart } = block;
      const svg = await chartSvg(chart);
      out.push(`**${chart.title}**`, '', `![${chart.title}](data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')})`, '');
      out.push(`| | ${chart.series.map((s) => cell(s.name)).join(' | ')} |`, `| --- | ${chart.series.map(() => '---').join(' | ')} |`);
      chart.categories.forEach((category, i) => out.push(`| ${cell(category)} | ${chart.series.map((s) => String(s.values[i])).join(' | ')} |`));
      out.push('');
    }
  }
  return out.join('\n');
}
