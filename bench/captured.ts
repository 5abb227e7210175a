/**
 * What the service's SQL capture (capture.ts) hands to the floor server and --explain: kept apart
 * from capture.ts so the floor's bundle does not carry the service it is compared with.
 */
/** A statement the service ran, with its parameters; values of the sample request are placeholders. */
export interface CapturedQuery {
  text: string;
  params: unknown[];
  /** Set when the service runs it as a named prepared statement (the floor then does too). */
  name?: string;
}

/** What the floor server and --explain replay per endpoint: the service's own SQL. */
export interface CapturedEndpoints {
  projectById: CapturedQuery[];
  projectList: CapturedQuery[];
  metricsSummary: CapturedQuery[];
  reportCreate: CapturedQuery[];
}

/** Placeholders for the values that change from one request to the next. */
export const SLOT = {
  id: '$$ID$$',
  department: '$$DEPARTMENT$$',
  project: '$$PROJECT$$',
  period: '$$PERIOD$$',
  report: '$$REPORT$$',
} as const;

/** Fills the placeholders of a captured statement with this request's values. */
export function bind(query: CapturedQuery, values: Partial<Record<keyof typeof SLOT, string>>): unknown[] {
  const bySlot = new Map<unknown, string | undefined>(Object.entries(SLOT).map(([name, slot]) => [slot, values[name as keyof typeof SLOT]]));
  return query.params.map((p) => (typeof p === 'string' && bySlot.has(p) ? (bySlot.get(p) ?? p) : p));
}
