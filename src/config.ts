import { z } from 'zod';

const booleanFromString = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');

const commaList = z
  .string()
  .transform((v) => v.split(',').map((s) => s.trim()).filter(Boolean));

/** The whole environment contract of the service. Every variable is listed in README.md. */
export const configSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('0.0.0.0'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// URL')
    .optional(),
  DATABASE_READ_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// URL')
    .optional(),
  DATA_DIR: z.string().min(1).default('./data'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  CORS_ORIGINS: commaList.default([]),
  BODY_LIMIT_BYTES: z.coerce.number().int().min(1024).max(100 * 1024 * 1024).default(1024 * 1024),
  IMPORT_BODY_LIMIT_BYTES: z.coerce.number().int().min(1024).max(200 * 1024 * 1024).default(20 * 1024 * 1024),
  /** Imports running at once per instance (each may hold a 20 MB body and its rows in memory) and waiting behind them. */
  IMPORT_CONCURRENCY: z.coerce.number().int().min(1).max(16).default(1),
  IMPORT_QUEUE_MAX: z.coerce.number().int().min(0).max(1000).default(4),
  SHUTDOWN_GRACE_MS: z.coerce.number().int().min(0).max(120_000).default(10_000),
  SHUTDOWN_DRAIN_MS: z.coerce.number().int().min(0).max(60_000).default(1000),
  REQUEST_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(30_000),
  DB_STATEMENT_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(15_000),
  DB_CONNECT_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(2000),
  DB_POOL_MAX: z.coerce.number().int().min(1).max(200).default(10),
  REPORT_DUE_DAYS: z.coerce.number().int().min(0).max(60).default(3),
  TRUST_PROXY: booleanFromString.default(false),
  PUBLIC_URL: z.string().url().max(2000).optional(),
  /** Swagger UI keeps the pasted API key in the browser's local storage (across tabs and restarts) only when set. */
  DOCS_PERSIST_AUTHORIZATION: booleanFromString.default(false),
  WEBHOOK_ALLOWED_HOSTS: commaList.default([]),
  WEBHOOK_WORKER_ENABLED: booleanFromString.default(true),
  WEBHOOK_POLL_INTERVAL_MS: z.coerce.number().int().min(50).max(3_600_000).default(1000),
  WEBHOOK_BATCH_SIZE: z.coerce.number().int().min(1).max(100).default(10),
  WEBHOOK_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(10_000),
  WEBHOOK_LEASE_MS: z.coerce.number().int().min(1000).max(3_600_000).default(60_000),
  WEBHOOK_RETRY_BASE_MS: z.coerce.number().int().min(0).max(3_600_000).default(30_000),
  WEBHOOK_RETRY_CAP_MS: z.coerce.number().int().min(0).max(86_400_000).default(3_600_000),
  WEBHOOK_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(50).default(10),
  WEBHOOK_LIGHT_INTERVAL_MS: z.coerce.number().int().min(0).max(86_400_000).default(300_000),
  /** How often the worker escalates supervision orders overdue for their reply; 0 turns it off. */
  SUPERVISION_ESCALATION_INTERVAL_MS: z.coerce.number().int().min(0).max(86_400_000).default(600_000),
  /** Rate-limit counters shared by every instance; in process memory when unset. */
  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\//, 'must be a redis:// or rediss:// URL')
    .optional(),
  RATE_LIMIT_WINDOW_MS: z.coerce.number().int().min(1000).max(3_600_000).default(60_000),
  RATE_LIMIT_PER_KEY: z.coerce.number().int().min(1).max(1_000_000).default(1200),
  RATE_LIMIT_PER_IP: z.coerce.number().int().min(1).max(1_000_000).default(2400),
  /** Failed authentications an address may make per window before it gets 429s; at most 10. */
  AUTH_FAILURES_PER_IP: z.coerce.number().int().min(1).max(10).default(10),
  /** Every JSON answer encoded by zod as well and compared with the compiled serializer's (tests, staging). */
  RESPONSE_CROSS_CHECK: booleanFromString.default(false),
  /** On the first start of an empty embedded database, print one admin key to the console. */
  BOOTSTRAP_ADMIN_KEY: booleanFromString.default(true),
});

export type Config = Readonly<z.infer<typeof configSchema>>;

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Parses an environment once; a bad value names the variable and what is wrong. */
export function loadConfig(env: Record<string, string | undefined>): Config {
  const result = configSchema.safeParse(env);
  if (!result.success) {
    const lines = result.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  return Object.freeze(result.data);
}

/** Defaults for tests and tools: the schema applied to an empty environment plus overrides. */
export function testConfig(overrides: Record<string, string> = {}): Config {
  return loadConfig({
    LOG_LEVEL: 'silent',
    WEBHOOK_WORKER_ENABLED: 'false',
    // Suites fire hundreds of requests a second from one address with one key; the limits have
    // their own tests, which set these low.
    RATE_LIMIT_PER_KEY: '1000000',
    RATE_LIMIT_PER_IP: '1000000',
    // Every answer a test receives was written by the compiled serializer and checked against zod's.
    RESPONSE_CROSS_CHECK: 'true',
    ...overrides,
  });
}
