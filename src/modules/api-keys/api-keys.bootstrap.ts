import type { Database } from '../../db/types.js';
import { createApiKeysRepository } from './api-keys.repository.js';

/**
 * On an embedded database that has never had a key, makes one admin key so that a newcomer can open
 * Swagger UI at once. Returns it (for the console, never the log), or null when keys exist already
 * or the database is PostgreSQL (there, `npm run keys -- create` makes the first one).
 */
export async function bootstrapAdminKey(database: Database): Promise<string | null> {
  if (database.kind !== 'pglite') return null;
  const keys = createApiKeysRepository({ db: database.db });
  if ((await keys.countAll()) > 0) return null;
  const created = await keys.create({
    input: { name: 'First admin key (printed at first start) / 首次启动生成的管理员密钥', role: 'admin', readOnly: false, expiresInDays: 365 },
    context: { actor: 'bootstrap', requestId: 'bootstrap' },
  });
  return created.key;
}

export function bootstrapBanner(key: string, docsUrl: string): string {
  return [
    '',
    '────────────────────────────────────────────────────────────────────────',
    ' First start: an admin API key was made. It is shown this once; keep it.',
    ' 首次启动：已生成管理员接口密钥，仅显示这一次，请妥善保存。',
    '',
    `   ${key}`,
    '',
    ` Swagger UI: ${docsUrl} → Authorize → paste the key.`,
    ' More keys: POST /v1/api-keys, or npm run keys -- create --role office --name "…"',
    '────────────────────────────────────────────────────────────────────────',
    '',
  ].join('\n');
}
