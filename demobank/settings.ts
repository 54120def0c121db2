import { join } from 'node:path';
import type { Config } from '../config.js';
import type { DemoBankOptions } from './server.js';

/** The Demo Bank's options from bankfeed's configuration (shared by `npm run demobank` and `npm start`). */
export function demoBankSettings(config: Config): DemoBankOptions {
  return {
    host: config.HOST,
    port: config.DEMOBANK_PORT,
    seed: config.DEMOBANK_SEED,
    clockScale: config.DEMOBANK_CLOCK_SCALE,
    maxConsentDays: config.DEMOBANK_MAX_CONSENT_DAYS,
    stateDir: join(config.DATA_DIR, 'demobank'),
  };
}
