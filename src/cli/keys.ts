import { parseArgs } from 'node:util';
import { loadConfig } from '../config.js';
import { DataDirLockedError } from '../db/data-dir-lock.js';
import { openDatabase } from '../db/open.js';
import { apiKeyRole } from '../domain/codes.js';
import { createApiKeysRepository } from '../modules/api-keys/api-keys.repository.js';
import { createApiKeySchema } from '../modules/api-keys/api-keys.schemas.js';
import { AppError } from '../lib/errors.js';

// npm run keys -- create --role admin --name "…" [--department <id>] [--leader <id>] [--read-only] [--days N]
// npm run keys -- list
// npm run keys -- revoke <id>
// Works on the configured database (DATABASE_URL, else the embedded one in DATA_DIR); the server
// must not be running on an embedded data directory (PGlite has one user).
const usage = `usage:
  npm run keys -- create --role <${apiKeyRole.values.join('|')}> --name "<what it is for>" [--department <id>] [--leader <id>] [--read-only] [--days <1-365>]
  npm run keys -- list
  npm run keys -- revoke <id>`;

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: {
    role: { type: 'string' },
    name: { type: 'string' },
    department: { type: 'string' },
    leader: { type: 'string' },
    'read-only': { type: 'boolean', default: false },
    days: { type: 'string' },
    help: { type: 'boolean', default: false },
  },
});

const [command, id] = positionals;
if (values.help || !command || !['create', 'list', 'revoke'].includes(command) || (command === 'revoke' && !id)) {
  process.stderr.write(`${usage}\n`);
  process.exit(values.help ? 0 : 2);
}

const config = loadConfig(process.env);
const database = await openDatabase(config).catch((error: unknown) => {
  // A locked embedded data directory (a server runs on it): say who holds it, and stop.
  if (error instanceof DataDirLockedError) {
    process.stderr.write(`${error.message}\n`);
    process.exit(1);
  }
  throw error;
});
const keys = createApiKeysRepository({ db: database.db });
const context = { actor: 'cli', actorRole: 'admin', requestId: `cli-${process.pid}` };
try {
  if (command === 'create') {
    const input = createApiKeySchema.safeParse({
      name: values.name,
      role: values.role,
      ...(values.department ? { departmentId: values.department } : {}),
      ...(values.leader ? { leaderId: values.leader } : {}),
      readOnly: values['read-only'],
      ...(values.days ? { expiresInDays: Number(values.days) } : {}),
    });
    if (!input.success) {
      process.stderr.write(`${input.error.issues.map((i) => `  --${String(i.path[0] ?? '?')}: ${i.message}`).join('\n')}\n${usage}\n`);
      process.exitCode = 2;
    } else {
      const created = await keys.create({ input: input.data, context });
      process.stderr.write(`created key ${created.id} (${created.role}${created.readOnly ? ', read-only' : ''}), expires ${created.expiresAt}; shown this once:\n`);
      // The key alone on stdout, so that `npm run -s keys -- create … > file` stores just the key.
      process.stdout.write(`${created.key}\n`);
    }
  } else if (command === 'list') {
    let cursor: string | undefined;
    do {
      const page = await keys.list({ limit: 200, includeRevoked: 'true', ...(cursor ? { cursor } : {}) });
      for (const k of page.items) {
        const state = k.revokedAt ? `revoked ${k.revokedAt}` : Date.parse(k.expiresAt) <= Date.now() ? 'expired' : `expires ${k.expiresAt}`;
        process.stdout.write(`${k.id}  …${k.lastFour}  ${k.role.padEnd(10)} ${k.readOnly ? 'read-only ' : ''}${state}  ${k.name}\n`);
      }
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
  } else {
    const revoked = await keys.revoke({ id: id!, context });
    process.stdout.write(`revoked ${revoked.id} at ${revoked.revokedAt}\n`);
  }
} catch (error) {
  process.stderr.write(`keys ${command} failed: ${error instanceof AppError ? `${error.code}: ${error.message}` : error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
} finally {
  await database.close();
}
