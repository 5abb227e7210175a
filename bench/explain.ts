import pg from 'pg';
import { bind, type CapturedEndpoints, type CapturedQuery } from './captured.js';

const REPORT_TABLES = /Seq Scan on (progress_reports|progress_report_revisions)\b/;

export interface ExplainOutcome {
  text: string;
  sequentialScans: string[];
}

/**
 * EXPLAIN (ANALYZE, BUFFERS) of every statement the service sends for the hot endpoints; the
 * report insert path runs inside a transaction that is rolled back. A sequential scan of the
 * reports tables is a failure: at 2.4 million rows it is the difference between 1 ms and seconds.
 */
export async function explainHotQueries(url: string, queries: CapturedEndpoints, values: { id: string; department: string; project: string; period: string }): Promise<ExplainOutcome> {
  const client = new pg.Client({ connectionString: url, options: '-c TimeZone=UTC' });
  await client.connect();
  const out: string[] = [];
  const sequentialScans: string[] = [];
  async function explain(endpoint: string, list: CapturedQuery[], bound: Parameters<typeof bind>[1]) {
    for (const [i, query] of list.entries()) {
      const result = await client.query(`explain (analyze, buffers) ${query.text}`, bind(query, bound));
      const plan = result.rows.map((r: Record<string, string>) => r['QUERY PLAN']).join('\n');
      out.push(`### ${endpoint} — statement ${i + 1} of ${list.length}\n\n\`\`\`sql\n${query.text.replace(/\s+/g, ' ').slice(0, 600)}\n\`\`\`\n\n\`\`\`\n${plan}\n\`\`\`\n`);
      const scan = REPORT_TABLES.exec(plan);
      if (scan) sequentialScans.push(`${endpoint} statement ${i + 1}: ${scan[0]}`);
    }
  }
  try {
    await explain('GET /v1/projects/{id}', queries.projectById, values);
    await explain('GET /v1/projects?list&year&departmentId', queries.projectList, values);
    // The service reads the figures in one transaction (its set_config(…, true) settings hold for it).
    await client.query('begin');
    try {
      await explain('GET /v1/metrics/summary', queries.metricsSummary, values);
    } finally {
      await client.query('commit');
    }
    await client.query('begin');
    try {
      await explain('POST /v1/progress-reports (rolled back)', queries.reportCreate, { ...values, report: crypto.randomUUID() });
    } finally {
      await client.query('rollback');
    }
  } finally {
    await client.end();
  }
  return { text: out.join('\n'), sequentialScans };
}
