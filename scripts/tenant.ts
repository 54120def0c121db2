/**
 * `npm run tenant -- <command>`: tenants and their API keys (see tenants/cli.ts for the commands).
 * It works on DATABASE_URL, or on the embedded PGlite in DATA_DIR while npm start is not using it.
 */
import { join } from 'node:path';
import { ConfigError, loadConfig } from '../config.js';
import { openDatabase } from '../db/client.js';
import { DataDirLockedError, lockDataDir } from '../db/data-dir-lock.js';
import { runTenantCommand } from '../tenants/cli.js';

let exitCode: number;
try {
  const config = loadConfig();
  const lock = config.DATABASE_URL ? undefined : await lockDataDir(config.DATA_DIR, 'npm run tenant');
  try {
    const database = await openDatabase({
      url: config.DATABASE_URL,
      dataDir: config.DATABASE_URL ? undefined : join(config.DATA_DIR, 'pg'),
      schemaName: config.DATABASE_SCHEMA,
      poolSize: 1,
    });
    try {
      await database.migrate();
      exitCode = await runTenantCommand(process.argv.slice(2), database.db, (line) => console.log(line));
    } finally {
      await database.close();
    }
  } finally {
    await lock?.release();
  }
} catch (error) {
  if (!(error instanceof ConfigError || error instanceof DataDirLockedError)) throw error;
  console.error(error.message);
  exitCode = 1;
}
process.exit(exitCode);
