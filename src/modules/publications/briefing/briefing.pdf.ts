import { CHART_HEIGHT, CHART_WIDTH, chartSvg, fontBytes } from './briefing.charts.js';
import type { Briefing } from './briefing.model.js';

const FONT = 'cjk';

/**
 * PDF (A4), written with PDFKit in the shipped CJK font (embedded as a subset, so the file reads the
 * same on any machine); the charts' SVG drawn as vectors by svg-to-pdfkit.
 */
export async function briefingPdf(briefing: Briefing): Promise<Buffer> {
  const { default: PDFDocument } = await import('pdfkit');
  const { default: svgToPdf } = await import('svg-to-pdfkit');
  const doc = new PDFDocument({ size: 'A4', margin: 56, info: { Title: briefing.title, Creator: 'kpo' } });
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<void>((resolve, reject) => {
    doc.on('end', resolve);
    doc.on('error', reject);
  });
  doc.registerFont(FONT, await fontBytes());
  const width = doc.page.width - doc.page.margins.left - doc.page.margins.right;
  doc.font(FONT).fontSize(18).text(briefing.title, { align: 'center' }).moveDown(0.8);
  for (const block of briefing.blocks) {
    if (block.type === 'heading') doc.font(FONT).fontSize(14).fillColor('#000').text(block.text).moveDown(0.3);
    else if (block.type === 'paragraph') doc.font(FONT).fontSize(11).fillColor('#000').text(block.text, { indent: 22, lineGap: 4, align: 'justify' }).moveDown(0.5);
    else if (block.type === 'note') doc.font(FONT).fontSize(8).fillColor('#555').text(block.text).moveDown(0.4);
    else if (block.type === 'table') {
      if (doc.y > doc.page.height - 180) doc.addPage();
      doc.font(FONT).fontSize(11).fillColor('#000').text(block.title, { align: 'center' }).moveDown(0.3);
      doc.fontSize(8).table({ data: [block.header, ...block.rows], rowStyles: (i) => (i === 0 ? { backgroundColor: '#eeeeee' } : {}) });
      doc.moveDown(0.8);
    } else {
      const height = (width * CHART_HEIGHT) / CHART_WIDTH;
      if (doc.y + height > doc.page.height - doc.page.margins.bottom) doc.addPage();
      const svg = await chartSvg(block.chart);
      svgToPdf(doc, svg, doc.page.margins.left, doc.y, { width, height, fontCallback: () => FONT, assumePt: false });
      doc.y += height + 12;
    }
  }
  doc.end();
  await done;
  return Buffer.concat(chunks);
}
