import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@fastify/type-provider-typebox';
import { and, desc, eq, lt, or } from 'drizzle-orm';
import type { FastifyRequest } from 'fastify';
import { loadAccountLinks } from '../../accounts/links.js';
import { bankAccounts, bankConnections, connectionAccounts, consents } from '../../db/schema.js';
import { isSyncable, type ConnectionStatus } from '../../domain/connection-status.js';
import { decodeCursor, page } from '../pagination.js';
import { conflict, HttpProblem, orNotFound } from '../problems.js';
import { Nullable, Page, PageQuery, PsuHeaders, Uuid } from '../schemas/common.js';
import { Connection, ConnectionUpdate, connectionView, Consent, consentView, NewConnection } from '../schemas/connections.js';
import { tenantScoped } from '../tenant-scope.js';
import { checkRenewToken } from '../../notifications/renew-link.js';
import { recordAuditEvent } from '../../audit/trail.js';
import { audit } from '../audit.js';
import { inTransaction } from '../../db/transaction.js';
import { openEmail, sealEmail } from '../../notifications/recipients.js';

/** How long a create or renew waits for the bank's authorization URL before answering 202. */
const AUTHORIZATION_URL_WAIT_MS = 10_000;

const Params = Type.Object({ connectionId: Uuid });
const Authorization = Type.Object({
  consent_id: Uuid,
  authorization_url: Nullable(Type.String({ description: 'null when the bank has not answered yet: read it from GET /v1/connections/{id} shortly' })),
});
const SyncRequested = Type.Object({ sync_id: Uuid, status: Type.Literal('requested') });

/**
 * The bank connections of the caller's tenant: create (link), read, renew, sync, disconnect.
 * Creating, renewing and disconnecting are carried out by the connection's workflow: each is
 * audited once Temporal has accepted the start or signal, so a request that failed records nothing.
 */
export const connectionRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { database, connections, providers } = app.deps;
  const { db } = database;

  /** The caller's connection, or 404. */
  async function load(request: FastifyRequest, connectionId: string) {
    const [row] = await db.select().from(bankConnections).where(tenantScoped(bankConnections, request, eq(bankConnections.id, connectionId)));
    return orNotFound(row, 'connection', connectionId);
  }

  async function view(row: typeof bankConnections.$inferSelect) {
    const accounts = await db
      .select({ account: bankAccounts })
      .from(connectionAccounts)
      .innerJoin(bankAccounts, eq(bankAccounts.id, connectionAccounts.accountId))
      .where(eq(connectionAccounts.connectionId, row.id))
      .orderBy(desc(connectionAccounts.attachedAt), desc(connectionAccounts.id));
    const links = await loadAccountLinks(db, accounts.map(({ account }) => account.id));
    const [current] = await db
      .select()
      .from(consents)
      .where(and(eq(consents.connectionId, row.id), eq(consents.status, 'active')))
      .orderBy(desc(consents.createdAt))
      .limit(1);
    const opened = { ...row, notificationEmail: openEmail(app.deps.secrets, { connectionId: row.id }, row.notificationEmail) };
    return connectionView(opened, accounts.map(({ account }) => ({ account, links: links.get(account.id)! })), current, await connections.pendingAuthorizationUrl(row.id));
  }

  /** The PSU-IP-Address header (schema-checked as an IP address where a route declares it). */
  const psuIp = (request: FastifyRequest) => {
    const header = request.headers['psu-ip-address'];
    return typeof header === 'string' ? header : undefined;
  };

  app.post(
    '/v1/connections',
    {
      schema: {
        tags: ['connections'],
        summary: 'Link a bank: a new connection and the URL where the user logs in at the bank',
        description:
          'Answers 201 with `authorization_url` once the bank has answered (normally within a second or two), or 202 without it when the bank is slow: ' +
          'then read it from GET /v1/connections/{id}. Send the person\'s IP address in PSU-IP-Address; the bank requires it (without it, the caller\'s address is used).',
        body: NewConnection,
        headers: PsuHeaders,
        response: { 201: Connection, 202: Connection },
      },
    },
    async (request, reply) => {
      const institution = providers.institution(request.body.institution_id);
      if (!institution) throw new HttpProblem(400, `There is no institution ${request.body.institution_id}: GET /v1/institutions lists them.`, { type: 'unknown-institution' });
      const { connectionId, consentId } = await connections.create({
        tenantId: request.tenantId,
        institutionId: institution.id,
        historyDays: Math.min(request.body.history_days ?? 30, institution.historyDays),
        untilLastMidnight: request.body.until_last_midnight ?? true,
        redirectUrl: request.body.redirect_url,
        notificationEmail: request.body.notification_email,
        psuIpAddress: psuIp(request) ?? request.ip,
      });
      await audit(db, request, 'connection.created', { type: 'connection', id: connectionId }, { institution_id: institution.id, consent_id: consentId });
      const url = await connections.authorizationUrl(consentId, AUTHORIZATION_URL_WAIT_MS);
      const body = await view(await load(request, connectionId));
      return reply.code(url ? 201 : 202).header('location', `/v1/connections/${connectionId}`).send(body);
    },
  );

  app.get(
    '/v1/connections',
    {
      schema: {
        tags: ['connections'],
        summary: "The tenant's connections, newest first",
        querystring: Type.Object({ ...PageQuery, status: Type.Optional(Type.String({ maxLength: 32 })) }),
        response: { 200: Page(Connection) },
      },
    },
    async (request) => {
      const { limit = 100, cursor, status } = request.query;
      const after = cursor ? decodeCursor(cursor, ['instant', 'uuid']) : undefined;
      const rows = await db
        .select()
        .from(bankConnections)
        .where(
          tenantScoped(
            bankConnections,
            request,
            status ? eq(bankConnections.status, status as ConnectionStatus) : undefined,
            after
              ? or(lt(bankConnections.createdAt, new Date(after[0])), and(eq(bankConnections.createdAt, new Date(after[0])), lt(bankConnections.id, after[1])))
              : undefined,
          ),
        )
        .orderBy(desc(bankConnections.createdAt), desc(bankConnections.id))
        .limit(limit + 1);
      const views = await Promise.all(rows.map(view));
      return page(
        rows.map((row, i) => ({ row, view: views[i]! })),
        limit,
        (item) => item.view,
        (item) => [item.row.createdAt.toISOString(), item.row.id],
      );
    },
  );

  app.get(
    '/v1/connections/:connectionId',
    { schema: { tags: ['connections'], summary: 'A connection: status, consent, accounts, last and next sync', params: Params, response: { 200: Connection } } },
    async (request) => view(await load(request, request.params.connectionId)),
  );

  app.patch(
    '/v1/connections/:connectionId',
    {
      schema: {
        tags: ['connections'],
        summary: "Change where reminders go (notification_email) or where the user's browser goes after the bank (redirect_url); null removes either",
        params: Params,
        body: ConnectionUpdate,
        response: { 200: Connection },
      },
    },
    async (request) => {
      const connection = await load(request, request.params.connectionId);
      const { notification_email: email, redirect_url: redirectUrl } = request.body;
      await inTransaction(database, async (tx) => {
        await tx.db
          .update(bankConnections)
          .set({
            ...(email !== undefined && { notificationEmail: sealEmail(app.deps.secrets, { connectionId: connection.id }, email) }),
            ...(redirectUrl !== undefined && { redirectUrl }),
          })
          .where(eq(bankConnections.id, connection.id));
        // The fields' names only: the address is personal data.
        await audit(tx.db, request, 'connection.updated', { type: 'connection', id: connection.id }, { fields: Object.keys(request.body) });
      });
      return view(await load(request, connection.id));
    },
  );

  app.post(
    '/v1/connections/:connectionId/renew',
    {
      schema: {
        tags: ['connections'],
        summary: 'A new consent and authorization URL (renewal, or another try at linking)',
        description: 'Syncing goes on with the old consent until the user has authorised the new one; accounts, mappings and watermarks stay.',
        params: Params,
        headers: PsuHeaders,
        response: { 201: Authorization, 202: Authorization },
      },
    },
    async (request, reply) => {
      const connection = await load(request, request.params.connectionId);
      if (connection.status === 'disconnected') throw conflict('The connection is disconnected: create a new one to link the bank again.', 'connection-disconnected');
      const { consentId } = await connections.renew(connection.id, psuIp(request) ?? request.ip);
      await audit(db, request, 'connection.renewal_started', { type: 'connection', id: connection.id }, { consent_id: consentId });
      const url = await connections.authorizationUrl(consentId, AUTHORIZATION_URL_WAIT_MS);
      return reply.code(url ? 201 : 202).send({ consent_id: consentId, authorization_url: url ?? null });
    },
  );

  app.get(
    '/v1/connections/:connectionId/renew-link',
    {
      config: { public: true },
      schema: {
        tags: ['connections'],
        summary: 'The renewal link of a reminder e-mail: starts a renewal and sends the browser to the bank',
        description:
          'Public: the signed, expiring `token` from the e-mail is the authorisation. Answers 303 to the bank\'s login page (the one already waiting, if a renewal is under way); ' +
          '404 for a token that is not valid for this connection, 400 for an expired one, 409 for a disconnected connection.',
        params: Params,
        querystring: Type.Object({ token: Type.String({ minLength: 1, maxLength: 1000 }) }),
        response: { 303: Type.Null() },
      },
    },
    async (request, reply) => {
      const { connectionId } = request.params;
      const check = checkRenewToken(app.deps.secrets, connectionId, request.query.token);
      if (check === 'invalid') throw new HttpProblem(404, 'This renewal link is not valid.', { type: 'not-found' });
      if (check === 'expired') throw new HttpProblem(400, 'This renewal link has expired: ask for a new one in the ledger app.', { type: 'renew-link-expired' });
      const [connection] = await db.select().from(bankConnections).where(eq(bankConnections.id, connectionId));
      if (!connection) throw new HttpProblem(404, 'This renewal link is not valid.', { type: 'not-found' });
      if (connection.status === 'disconnected') throw conflict('The connection is disconnected: link the bank again in the ledger app.', 'connection-disconnected');
      // A second click while the first renewal waits for the user goes to the same login page.
      let url = await connections.pendingAuthorizationUrl(connection.id);
      if (!url) {
        const { consentId } = await connections.renew(connection.id, request.ip);
        // No API key here: the e-mail's link is the authorisation, so the event has no actor.
        await recordAuditEvent(db, {
          tenantId: connection.tenantId,
          actor: null,
          requestId: request.id,
          action: 'connection.renewal_started',
          target: { type: 'connection', id: connection.id },
          details: { consent_id: consentId, via: 'renewal link' },
        });
        url = await connections.authorizationUrl(consentId, AUTHORIZATION_URL_WAIT_MS);
      }
      if (!url) throw new HttpProblem(503, 'The bank has not answered yet: try the link again in a minute.', { headers: { 'retry-after': '30' } });
      return reply.code(303).header('location', url).header('cache-control', 'no-store').send(null);
    },
  );

  app.post(
    '/v1/connections/:connectionId/sync',
    {
      schema: {
        tags: ['connections'],
        summary: 'Sync now',
        description:
          "Answers at once with the sync's id (follow it at GET /v1/syncs/{id}). With the person's IP address in PSU-IP-Address the bank counts the access as attended, outside the four unattended accesses a day. A request while a sync runs joins it.",
        params: Params,
        headers: PsuHeaders,
        response: { 202: SyncRequested },
      },
    },
    async (request, reply) => {
      const connection = await load(request, request.params.connectionId);
      if (!isSyncable(connection.status)) {
        throw conflict(`The connection is ${connection.status.replaceAll('_', ' ')}: it cannot sync${connection.status === 'disconnected' ? '' : ' until it is renewed'}.`, 'connection-not-syncing');
      }
      const { syncId } = await connections.syncNow(connection.id, psuIp(request));
      return reply.code(202).header('location', `/v1/syncs/${syncId}`).send({ sync_id: syncId, status: 'requested' as const });
    },
  );

  app.post(
    '/v1/connections/:connectionId/disconnect',
    {
      schema: {
        tags: ['connections'],
        summary: 'Disconnect: the consent is revoked at the bank; imported data stays',
        params: Params,
        response: { 202: Type.Object({ id: Uuid, status: Type.Literal('disconnecting') }) },
      },
    },
    async (request, reply) => {
      const connection = await load(request, request.params.connectionId);
      if (connection.status === 'disconnected') throw conflict('The connection is disconnected already.', 'connection-disconnected');
      await connections.disconnect(connection.id);
      await audit(db, request, 'connection.disconnect_requested', { type: 'connection', id: connection.id });
      return reply.code(202).send({ id: connection.id, status: 'disconnecting' as const });
    },
  );

  app.get(
    '/v1/connections/:connectionId/consents',
    { schema: { tags: ['connections'], summary: "The connection's consents, newest first", params: Params, response: { 200: Type.Object({ data: Type.Array(Consent) }) } } },
    async (request) => {
      const connection = await load(request, request.params.connectionId);
      const rows = await db.select().from(consents).where(eq(consents.connectionId, connection.id)).orderBy(desc(consents.createdAt));
      return { data: rows.map(consentView) };
    },
  );
};
