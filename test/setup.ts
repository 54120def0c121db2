// Runs in every test process before its test file: keep the Temporal SDK's INFO chatter out of test output.
import { DefaultLogger, Runtime } from '@temporalio/worker';

Runtime.install({ logger: new DefaultLogger('WARN') });
