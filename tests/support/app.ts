import { afterAll, beforeAll, beforeEach } from 'vitest';
import type { FastifyBaseLogger, FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { buildApp } from '../../src/app.js';
import { testConfig } from '../../src/config.js';
import { createTestDatabase, type TestDatabase } from './db.js';

export interface TestContext {
  app: FastifyInstance;
  testDb: TestDatabase;
}

/**
 * Builds the whole app on this file's own database, empties the tables before each test, and
 * closes everything after the file. Returns a holder filled in by beforeAll. `options.logger` is for
 * tests that read the app's log lines.
 */
export function useTestApp(configOverrides: Record<string, string> = {}, options: { logger?: FastifyBaseLogger } = {}): TestContext {
  const context = {} as TestContext;
  beforeAll(async () => {
    context.testDb = await createTestDatabase();
    context.app = (await buildApp({ config: testConfig(configOverrides), database: context.testDb.database, ...options })) as unknown as FastifyInstance;
    await context.app.ready();
  });
  beforeEach(async () => {
    await context.testDb.reset();
  });
  afterAll(async () => {
    await context.app?.close();
    await context.testDb?.close();
  });
  return context;
}

export type Response = LightMyRequestResponse & { body: string };

/** JSON body of a response, typed loosely for assertions. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- test assertions read arbitrary JSON
export function json(response: LightMyRequestResponse): any {
  return JSON.parse(response.body);
}

export function call(app: FastifyInstance, options: InjectOptions): Promise<LightMyRequestResponse> {
  return app.inject(options);
}
