/**
 * The Demo Bank in a process of its own, as a real bank is: benchmarks then measure bankfeed's
 * work, not the bank's, on bankfeed's event loop. Options as JSON in DEMOBANK_OPTIONS; prints
 * its URL on the first line; stops on SIGTERM.
 */
import { startDemoBank } from '../demobank/server.js';

const bank = await startDemoBank({ admin: true, ...JSON.parse(process.env.DEMOBANK_OPTIONS ?? '{}') });
console.log(bank.url);
process.once('SIGTERM', () => void bank.close().finally(() => process.exit(0)));
