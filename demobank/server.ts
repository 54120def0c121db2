/**
 * The Demo Bank as an HTTP server: the NextGenPSD2 API (/v1), the SCA pages (/sca) and, when
 * enabled, the admin surface (/_demobank).
 */
import Fastify, { type FastifyBaseLogger } from 'fastify';
import { createBank, type BankSettings } from './bank.js';
import { sendTppError, TppError } from './errors.js';
import { adminRoutes } from './routes/admin.js';
import { apiRoutes } from './routes/api.js';
import { scaRoutes } from './routes/sca.js';

export interface DemoBankOptions extends BankSettings {
  /** 0 (the default) picks a free port. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Serve /_demobank (clock, truth, faults). Default off. */
  admin?: boolean;
  /** Default: no request logging. */
  logger?: FastifyBaseLogger;
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
  const bank = createBank(options);
  const app = Fastify({
    ...(options.logger ? { loggerInstance: options.logger } : { logger: false }),
    // A held request (the timeout fault) must not keep the server from closing.
    forceCloseConnections: true,
    // Unknown properties are refused, not silently dropped (a misspelt fault switch must not pass unnoticed).
    ajv: { customOptions: { removeAdditional: false } },
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
    close: () => app.close(),
  };
}
