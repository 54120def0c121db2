// `npm run temporal:cli`: finds (or builds) the Temporal CLI the way `npm start` does, and prints its path.
import { resolveTemporalCli } from '../temporal/cli.js';

const executable = await resolveTemporalCli();
console.log(executable.type === 'existing-path' ? executable.path : 'the Temporal SDK will download the CLI on first use');
