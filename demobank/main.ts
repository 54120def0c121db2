/**
 * `npm run demobank`: the Demo Bank on its own, on DEMOBANK_PORT (admin surface with
 * DEMOBANK_ADMIN=1).
 */
import { pino } from 'pino';
import { loadConfigOrExit } from '../config.js';
import { DataDirLockedError } from '../db/data-dir-lock.js';
import { demoBankSettings } from './settings.js';
import { startDemoBank } from './server.js';

const config = loadConfigOrExit();

const log = pino({ level: config.LOG_LEVEL, ...(process.stdout.isTTY && { transport: { target: 'pino-pretty' } }) });
const settings = demoBankSettings(config);
const bank = await startDemoBank({ ...settings, admin: config.DEMOBANK_ADMIN === '1', logger: log }).catch((error: unknown) => {
  // Another bank on the same state folder: say which, without a stack trace.
  if (!(error instanceof DataDirLockedError)) throw error;
  console.error(error.message);
  process.exit(1);
});
console.log(
  [
    `Demo Bank listening on ${bank.url}`,
    '  NextGenPSD2 API  /v1   (test user: embedded, password 12345, one-time code 12345)',
    config.DEMOBANK_ADMIN === '1' ? '  admin surface    /_demobank' : '  admin surface    off (DEMOBANK_ADMIN=1 turns it on)',
    `  kept in          ${settings.stateDir} (consents, budgets, clock, faults)`,
    'Press Ctrl-C to stop.',
  ].join('\n'),
);

for (const signal of ['SIGINT', 'SIGTERM'] as const)
  process.once(signal, () => {
    void bank.close().finally(() => process.exit(0));
  });
