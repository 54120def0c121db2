import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@fastify/type-provider-typebox';
import type { ApiKeyRow } from '../../tenants/store.js';
import { issueApiKey, listApiKeys, revokeTenantApiKey } from '../../tenants/store.js';
import { inTransaction } from '../../db/transaction.js';
import { audit } from '../audit.js';
import { conflict, HttpProblem, notFound } from '../problems.js';
import { Instant, iso, Nullable, Uuid } from '../schemas/common.js';

const Scope = Type.Union([Type.Literal('full'), Type.Literal('read_only')], { description: 'read_only: GET and HEAD, and the POSTs that change nothing (statement previews); every other method answers 403' });

const ApiKey = Type.Object({
  id: Uuid,
  prefix: Type.String({ description: 'the first characters of the key, to tell it apart; never the key itself' }),
  label: Nullable(Type.String()),
  scope: Scope,
  created_at: Instant,
  last_used_at: Nullable(Type.String({ format: 'date-time', description: 'to the minute: updated at most once a minute' })),
  expires_at: Nullable(Instant),
});

const NewApiKey = Type.Object(
  {
    label: Type.Optional(Type.String({ minLength: 1, maxLength: 100, description: 'your name for the key, e.g. "ledger production"' })),
    scope: Type.Optional(Scope),
    expires_at: Type.Optional(Type.String({ format: 'date-time', description: 'from then on the key is refused (401); in the future' })),
  },
  { additionalProperties: false },
);

const CreatedApiKey = Type.Object({ ...ApiKey.properties, key: Type.String({ description: 'the key itself, shown this once: bankfeed keeps only its hash' }) });

const apiKeyView = (row: ApiKeyRow) => ({
  id: row.id,
  prefix: row.prefix,
  label: row.label,
  scope: row.scope,
  created_at: row.createdAt.toISOString(),
  last_used_at: iso(row.lastUsedAt),
  expires_at: iso(row.expiresAt),
});

/** The tenant's API keys: list, issue (rotate: issue a new one, then revoke the old), revoke. */
export const apiKeyRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { database } = app.deps;

  app.get(
    '/v1/tenant/keys',
    { schema: { tags: ['tenant'], summary: "The tenant's API keys that are not revoked, newest first (expired ones included)", response: { 200: Type.Object({ data: Type.Array(ApiKey) }) } } },
    async (request) => ({ data: (await listApiKeys(database.db, request.tenantId)).map(apiKeyView) }),
  );

  app.post(
    '/v1/tenant/keys',
    {
      schema: {
        tags: ['tenant'],
        summary: 'Issue an API key; the answer shows the key, once',
        description: 'To rotate a key: issue a new one, move the ledger app to it, then DELETE the old one.',
        body: NewApiKey,
        response: { 201: CreatedApiKey },
      },
    },
    async (request, reply) => {
      const { label, scope = 'full', expires_at: expires } = request.body;
      const expiresAt = expires === undefined ? undefined : new Date(expires);
      if (expiresAt && expiresAt.getTime() <= Date.now()) throw new HttpProblem(400, `expires_at ${expires} is not in the future.`, { type: 'validation-failed' });
      const issued = await inTransaction(database, async (tx) => {
        const key = (await issueApiKey(tx.db, request.tenantId, { label, scope, expiresAt }))!;
        await audit(tx.db, request, 'api_key.created', { type: 'api_key', id: key.keyId }, { prefix: key.prefix, scope, expires_at: iso(expiresAt) });
        return key;
      });
      return reply.code(201).send({ ...apiKeyView(issued.row), key: issued.key });
    },
  );

  app.delete(
    '/v1/tenant/keys/:keyId',
    {
      schema: {
        tags: ['tenant'],
        summary: 'Revoke an API key: refused from the very next request on',
        description: "The tenant's last key with full scope that is not expired cannot be revoked (409): issue another first.",
        params: Type.Object({ keyId: Uuid }),
        response: { 204: Type.Null() },
      },
    },
    async (request, reply) => {
      const { keyId } = request.params;
      const outcome = await inTransaction(database, async (tx) => {
        const result = await revokeTenantApiKey(tx.db, request.tenantId, keyId);
        if (typeof result === 'object') await audit(tx.db, request, 'api_key.revoked', { type: 'api_key', id: keyId }, { prefix: result.revoked.prefix });
        return result;
      });
      if (outcome === 'not-found') throw notFound('API key', keyId);
      if (outcome === 'last-key') throw conflict("This is the tenant's last usable key with full scope: issue another one first, then revoke this one.", 'last-api-key');
      return reply.code(204).send(null);
    },
  );
};
