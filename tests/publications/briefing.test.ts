import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import JSZip from 'jszip';
import { describe, expect, it } from 'vitest';
import { json, useTestApp } from '../support/app.js';
import { writeDemo } from '../../src/cli/demo/write-demo.js';
import { fromProjectRoot } from '../../src/lib/project-root.js';

// pdftotext, pdffonts and pdftoppm come from poppler-utils (installed by .ci/run).
const ctx = useTestApp();

async function briefing(id: string, format: string) {
  const response = await ctx.app.inject({ method: 'GET', url: `/v1/publications/${id}/briefing?format=${format}` });
  expect(response.statusCode, response.body.slice(0, 500)).toBe(200);
  return response;
}

/** The text of a .docx as Word holds it: the runs of word/document.xml, each paragraph on a line. */
async function docxText(bytes: Buffer) {
  const zip = await JSZip.loadAsync(bytes);
  const xml = await zip.file('word/document.xml')!.async('string');
  return {
    text: xml
      .replace(/<\/w:p>/g, '\n')
      .replace(/<[^>]+>/g, '')
      .replace(/&amp;/g, '&'),
    images: Object.keys(zip.files).filter((name) => name.startsWith('word/media/')),
  };
}

/** The figures of the Tanzhou report, as the briefing must write them. */
function expectReportFigures(text: string) {
  const flat = text.replace(/\s+/g, '');
  for (const phrase of [
    '2022年我镇列入市重点项目12个',
    '估算总投资74.71亿元（公布数75.7亿元）',
    '2022年计划投资11.61亿元',
    '新开工项目5个，估算总投资23.85亿元，2022年计划投资4.8亿元',
    '续建项目7个，估算总投资50.86亿元，2022年计划投资6.81亿元',
    '超10亿元项目3个',
    '2022年市重点前期预备项目11个，估算总投资63.43亿元',
    '截至3月份，我镇已完成市重点项目建设投资2.9亿元，完成年度投资计划的25%',
    '已复工项目7个，复工率100%',
    '已开工市重点项目4个，开工率达80%',
    '2022年第一季度我镇成功申请专项债项目19个',
    '集体开工重点项目3个，总投资额为7.8亿元',
  ]) {
    expect(flat, phrase).toContain(phrase);
  }
}

describe('the briefing of a publication', () => {
  it('writes the Tanzhou report figures, tables and charts in Markdown, Word and PDF, and traces them to the publication', { timeout: 240_000 }, async () => {
    await writeDemo(ctx.testDb.database.db, { reportDueDays: 3 });
    const published = await ctx.app.inject({
      method: 'POST',
      url: '/v1/publications',
      payload: { list: 'city_key', year: 2022, asOf: '2022-03-31', title: '坦洲镇2022年市重点项目建设情况（截至3月份）' },
    });
    expect(published.statusCode, published.body).toBe(201);
    const p = json(published);
    const trace = [p.id, p.sha256, p.knownAt, '2022-03-31'];

    const md = await briefing(p.id, 'md');
    expect(md.headers['content-type']).toContain('text/markdown');
    expectReportFigures(md.body);
    for (const t of trace) expect(md.body).toContain(t);
    expect(md.body).toContain('表3 各责任部门市重点项目情况');
    expect(md.body).toContain('| 续建 | 7 | 50.86 | 6.81 |');
    expect(md.body).toContain('| 新开工 | 5 | 23.85 | 4.8 |');
    expect(md.body.match(/data:image\/svg\+xml;base64,/g)).toHaveLength(2);

    const docx = await briefing(p.id, 'docx');
    expect(docx.headers['content-type']).toBe('application/vnd.openxmlformats-officedocument.wordprocessingml.document');
    expect(docx.headers['content-disposition']).toBe(`attachment; filename="publication-${p.id}.docx"`);
    const word = await docxText(docx.rawPayload);
    expect(word.text.startsWith('坦洲镇2022年市重点项目建设情况（截至3月份）')).toBe(true);
    expectReportFigures(word.text);
    for (const t of trace) expect(word.text).toContain(t);
    expect(word.text).toContain('表1 各名单项目情况');
    expect(word.images).toHaveLength(2);

    const pdf = await briefing(p.id, 'pdf');
    expect(pdf.headers['content-type']).toBe('application/pdf');
    const dir = mkdtempSync(join(tmpdir(), 'kpo-briefing-'));
    const file = join(dir, 'briefing.pdf');
    writeFileSync(file, pdf.rawPayload);
    const text = execFileSync('pdftotext', ['-enc', 'UTF-8', file, '-'], { encoding: 'utf8' });
    expectReportFigures(text);
    // Long ids and hashes may break across lines in the PDF's layout: compared without whitespace.
    for (const t of trace) expect(text.replace(/\s+/g, '')).toContain(t);
    expect(text).toContain('图1');
    expect(text).toContain('图2');
    // Every font is embedded: the `emb` column of pdffonts says yes for each.
    const fonts = execFileSync('pdffonts', [file], { encoding: 'utf8' }).trim().split('\n').slice(2);
    expect(fonts.length).toBeGreaterThan(0);
    for (const line of fonts) expect(line.split(/\s+/).slice(-5)[0], line).toBe('yes');
    // The first page as PNG, to be looked at when the layout changes.
    const artifacts = fromProjectRoot('tests', 'artifacts');
    mkdirSync(artifacts, { recursive: true });
    execFileSync('pdftoppm', ['-png', '-r', '80', '-f', '1', '-l', '1', '-singlefile', file, join(artifacts, 'briefing-page1')]);
    writeFileSync(join(artifacts, 'briefing.pdf'), pdf.rawPayload);
    writeFileSync(join(artifacts, 'briefing.docx'), docx.rawPayload);
  });

  it('answers 404 for a publication that does not exist and 400 for an unknown format', async () => {
    const missing = await ctx.app.inject({ method: 'GET', url: '/v1/publications/01860c6e-9d5e-7f60-8a12-3c4d5e6f7081/briefing?format=pdf' });
    expect(missing.statusCode).toBe(404);
    const bad = await ctx.app.inject({ method: 'GET', url: '/v1/publications/01860c6e-9d5e-7f60-8a12-3c4d5e6f7081/briefing?format=html' });
    expect(bad.statusCode).toBe(400);
  });
});
