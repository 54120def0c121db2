/**
 * The Demo Bank as an HTTP server: the NextGenPSD2 API (/v1), the SCA pages (/sca) and, when
 * enabled, the admin surface (/_demobank).
 */
import Fastify, { type FastifyBaseLogger } from 'fastify';
import { bankState, createBank, type BankSettings } from './bank.js';
import { sendTppError, TppError } from './errors.js';
import { adminRoutes } from './routes/admin.js';
import { apiRoutes } from './routes/api.js';
import { scaRoutes } from './routes/sca.js';
import { openStateFile } from './state-file.js';

export interface DemoBankOptions extends BankSettings {
  /** 0 (the default) picks a free port. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Serve /_demobank (clock, truth, faults). Default off. */
  admin?: boolean;
  /** Default: no request logging. */
  logger?: FastifyBaseLogger;
  /**
   * The folder the bank keeps its consents, budgets, clock and faults in (state.json), so that a
   * restart finds them where they were. Default: none, the bank forgets everything when it stops.
   */
  stateDir?: string;
}

export interface DemoBank {
  /** Where the bank listens, e.g. http://127.0.0.1:4010 (no trailing slash). */
  url: string;
  port: number;
  /** The bank's clock, for a bankfeed in the same process to follow (npm start). */
  clock: { nowMs(): number; readonly scale: number };
  close(): Promise<void>;
}

export async function startDemoBank(options: DemoBankOptions = {}): Promise<DemoBank> {
  const stateFile = options.stateDir === undefined ? undefined : await openStateFile(options.stateDir, (saved) => createBank(options, saved));
  if (stateFile?.problem) {
    if (options.logger) options.logger.warn(stateFile.problem);
    else console.warn(stateFile.problem);
  }
  try {
    const bank = stateFile?.restored ?? createBank(options);
    const save = async () => stateFile?.save(bankState(bank));
    // The history's first day and the clock are state from the first moment on.
    await save();
    const app = Fastify({
      ...(options.logger ? { loggerInstance: options.logger } : { logger: false }),
      // A held request (the timeout fault) must not keep the server from closing.
      forceCloseConnections: true,
      // Unknown properties are refused, not silently dropped (a misspelt fault switch must not pass unnoticed).
      ajv: { customOptions: { removeAdditional: false } },
    });
    // What a request changed is on disk before its answer goes out, as a bank's would be.
    if (stateFile)
      app.addHook('onSend', async (_request, _reply, payload) => {
        await save();
        return payload;
      });
    // Unknown paths answer as the standard's unknown resources do.
    app.setNotFoundHandler((_request, reply) => sendTppError(reply, new TppError(404, 'RESOURCE_UNKNOWN', 'No such resource')));
    await app.register(apiRoutes, { bank });
    await app.register(scaRoutes, { bank });
    if (options.admin) await app.register(adminRoutes, { bank });
    const host = options.host ?? '127.0.0.1';
    await app.listen({ host, port: options.port ?? 0 });
    const { port } = app.server.address() as { port: number };
    return {
      url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
      port,
      clock: bank.clock,
      async close() {
        await app.close();
        // Also what requests left without an answer (a held or dropped one) changed.
        await save();
        await stateFile?.close();
      },
    };
  } catch (error) {
    await stateFile?.close();
    throw error;
  }
}
