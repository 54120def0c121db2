/**
 * `npm run import -- <file> --account <id> [--format camt052|camt053|camt054|mt940|mt942|csv] [--preset <name or id>]`:
 * imports a statement file straight into the database (see transactions/import-cli.ts). It works on
 * DATABASE_URL, or on the embedded PGlite in DATA_DIR while npm start is not using it.
 */
import { runImportCommand } from '../transactions/import-cli.js';
import { exitWithDatabase } from './with-database.js';

await exitWithDatabase('npm run import', 2, (database) =>
  runImportCommand(process.argv.slice(2), database, { print: (line) => console.log(line), status: process.stderr }),
);
