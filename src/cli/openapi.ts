import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { buildApp } from '../app.js';
import { testConfig } from '../config.js';
import { createPgliteDatabase } from '../db/client.js';
import { fromProjectRoot } from '../lib/project-root.js';

export const openapiPath = fromProjectRoot('openapi', 'openapi.json');

/** The OpenAPI document exactly as the code produces it (no database is touched). */
export async function generateOpenapi(): Promise<string> {
  const database = await createPgliteDatabase();
  try {
    const app = await buildApp({ config: testConfig(), database });
    await app.ready();
    const document = `${JSON.stringify(app.swagger(), null, 2)}\n`;
    await app.close();
    return document;
  } finally {
    await database.close();
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const document = await generateOpenapi();
  writeFileSync(openapiPath, document);
  process.stdout.write(`wrote ${openapiPath} (${document.length} bytes)\n`);
}
