import { join } from 'node:path';
import { ConfigError, loadConfig } from '../config.js';
import { openDatabase, type DatabaseHandle } from '../db/client.js';
import { DataDirLockedError, lockDataDir } from '../db/data-dir-lock.js';

/**
 * Runs a command-line tool's `work` on the configured database (DATABASE_URL, or the embedded
 * PGlite in DATA_DIR while npm start is not using it), migrated, and exits with its code.
 */
export async function exitWithDatabase(command: string, poolSize: number, work: (database: DatabaseHandle) => Promise<number>): Promise<never> {
  let exitCode: number;
  try {
    const config = loadConfig();
    const lock = config.DATABASE_URL ? undefined : await lockDataDir(config.DATA_DIR, command);
    try {
      const database = await openDatabase({
        url: config.DATABASE_URL,
        dataDir: config.DATABASE_URL ? undefined : join(config.DATA_DIR, 'pg'),
        schemaName: config.DATABASE_SCHEMA,
        poolSize,
      });
      try {
        await database.migrate();
        exitCode = await work(database);
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
}
