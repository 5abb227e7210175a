import { afterAll, afterEach } from 'vitest';
import { takeViolations } from './response-contract.js';

/**
 * Runs in every test file (vitest.config.ts setupFiles): a response the app gave during a test (its
 * beforeEach hooks included) that the served OpenAPI document does not declare fails that test; one
 * given outside any test (beforeAll, afterAll) fails the file. See tests/support/response-contract.ts.
 */
function fail(violations: string[]): void {
  if (violations.length === 0) return;
  const shown = violations.slice(0, 20).join('\n  ');
  throw new Error(`${violations.length} response(s) outside the OpenAPI document:\n  ${shown}${violations.length > 20 ? `\n  … and ${violations.length - 20} more` : ''}`);
}

afterEach(() => fail(takeViolations()));
afterAll(() => fail(takeViolations()));
