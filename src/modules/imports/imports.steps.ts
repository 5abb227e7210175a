import { channel } from 'node:diagnostics_channel';
import { performance } from 'node:perf_hooks';

/**
 * Where an import's time goes, step by step (read, lookups, validate, each kind's inserts, the
 * rollups, the commit): published on a diagnostics channel so that the bench (and anyone
 * debugging) can subscribe, and free when nobody does. A message is `{ requestId, step, ms, rows? }`,
 * `ms` the time since the step before; a step of several chunks is published once per chunk.
 */
export const IMPORT_STEPS_CHANNEL = 'kpo.import.step';
const steps = channel(IMPORT_STEPS_CHANNEL);

export interface ImportStep {
  requestId: string | undefined;
  step: string;
  ms: number;
  rows?: number;
}

export type StepClock = (step: string, rows?: number) => void;

/** A clock whose every call ends a step: the time since the previous call (or since it was made). */
export function stepClock(requestId: string | undefined): StepClock {
  let last = performance.now();
  return (step, rows) => {
    const now = performance.now();
    if (steps.hasSubscribers) steps.publish({ requestId, step, ms: now - last, ...(rows === undefined ? {} : { rows }) } satisfies ImportStep);
    last = now;
  };
}
