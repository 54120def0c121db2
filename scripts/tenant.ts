/**
 * `npm run tenant -- <command>`: tenants and their API keys (see tenants/cli.ts for the commands).
 * It works on DATABASE_URL, or on the embedded PGlite in DATA_DIR while npm start is not using it.
 */
import { runTenantCommand } from '../tenants/cli.js';
import { exitWithDatabase } from './with-database.js';

await exitWithDatabase('npm run tenant', 1, (database) => runTenantCommand(process.argv.slice(2), database.db, (line) => console.log(line)));
