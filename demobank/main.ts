/**
 * `npm run demobank`: the Demo Bank on its own, on DEMOBANK_PORT (admin surface with
 * DEMOBANK_ADMIN=1).
 */
import { pino } from 'pino';
import { loadConfigOrExit } from '../config.js';
import { demoBankSettings } from './settings.js';
import { startDemoBank } from './server.js';

const config = loadConfigOrExit();

const log = pino({ level: config.LOG_LEVEL, ...(process.stdout.isTTY && { transport: { target: 'pino-pretty' } }) });
const bank = await startDemoBank({ ...demoBankSettings(config), admin: config.DEMOBANK_ADMIN === '1', logger: log });
console.log(
  [
    `Demo Bank listening on ${bank.url}`,
    '  NextGenPSD2 API  /v1   (test user: embedded, password 12345, one-time code 12345)',
    config.DEMOBANK_ADMIN === '1' ? '  admin surface    /_demobank' : '  admin surface    off (DEMOBANK_ADMIN=1 turns it on)',
    'Press Ctrl-C to stop.',
  ].join('\n'),
);

for (const signal of ['SIGINT', 'SIGTERM'] as const)
  process.once(signal, () => {
    void bank.close().finally(() => process.exit(0));
  });
