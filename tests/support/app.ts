import { afterAll, beforeAll, beforeEach } from 'vitest';
import type { FastifyBaseLogger, FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { buildApp as buildServiceApp, type AppDependencies } from '../../src/app.js';
import { testConfig } from '../../src/config.js';
import { createTestDatabase, type TestDatabase } from './db.js';
import { insertKey, type KeySpec } from './keys.js';
import { checkResponses } from './response-contract.js';

/**
 * The service's buildApp for tests: the same app, whose `inject` checks every response against the
 * OpenAPI document the app serves (tests/support/response-contract.ts). Tests build apps only through
 * this or useTestApp (tests/meta/response-contract.test.ts fails a test file that imports src/app.js).
 */
export async function buildApp(dependencies: AppDependencies) {
  return checkResponses((await buildServiceApp(dependencies)) as unknown as FastifyInstance) as unknown as Awaited<ReturnType<typeof buildServiceApp>>;
}

export interface TestContext {
  /** The app; its `inject` sends this test's admin key unless the call sets `authorization` itself. */
  app: FastifyInstance;
  testDb: TestDatabase;
  /** An admin key made afresh for each test (the tables, keys included, are emptied between tests). */
  adminKey: string;
  /** `inject` without the default key: for tests of authentication itself. */
  anonymous(options: InjectOptions): Promise<LightMyRequestResponse>;
  /** Makes another key for this test. */
  key(spec: KeySpec): Promise<string>;
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
    const app = checkResponses((await buildServiceApp({ config: testConfig(configOverrides), database: context.testDb.database, ...options })) as unknown as FastifyInstance);
    await app.ready();
    const inject = app.inject.bind(app);
    context.anonymous = (injectOptions) => inject(injectOptions);
    context.key = async (spec) => (await insertKey(context.testDb.database.db, spec)).key;
    // Every route but health and the docs needs a key: the suites act as an admin unless they say otherwise.
    app.inject = ((injectOptions: InjectOptions) => {
      const headers = { ...(injectOptions.headers ?? {}) } as Record<string, unknown>;
      if (!('authorization' in headers)) headers.authorization = `Bearer ${context.adminKey}`;
      if (headers.authorization === undefined) delete headers.authorization;
      return inject({ ...injectOptions, headers: headers as InjectOptions['headers'] });
    }) as FastifyInstance['inject'];
    context.app = app;
  });
  beforeEach(async () => {
    await context.testDb.reset();
    context.adminKey = await context.key({ role: 'admin', name: 'test admin' });
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
