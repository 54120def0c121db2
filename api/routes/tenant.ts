import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@fastify/type-provider-typebox';
import { eq } from 'drizzle-orm';
import type { FastifyRequest } from 'fastify';
import { tenants } from '../../db/schema.js';
import { inTransaction } from '../../db/transaction.js';
import { audit } from '../audit.js';
import { rematchAfterChange } from '../rematch.js';
import { openEmail, sealEmail } from '../../notifications/recipients.js';
import { parseInvoiceNumberPattern } from '../../matching/references/index.js';
import { HttpProblem, orNotFound } from '../problems.js';
import { Nullable } from '../schemas/common.js';

const Tenant = Type.Object({
  id: Type.String({ format: 'uuid' }),
  name: Type.String(),
  notification_email: Nullable(Type.String({ description: "who gets the e-mail reminders of connections without a notification_email of their own" })),
  invoice_number_pattern: Nullable(Type.String({ description: "the tenant's invoice numbers: found in transactions as references of kind invoice_number" })),
  created_at: Type.String({ format: 'date-time' }),
});

const TenantUpdate = Type.Object(
  {
    notification_email: Type.Optional(Nullable(Type.String({ format: 'email', maxLength: 254, description: 'null: no default recipient' }))),
    invoice_number_pattern: Type.Optional(
      Nullable(
        Type.String({
          minLength: 1,
          maxLength: 200,
          description:
            'a JavaScript regular expression (u flag, no slashes) for the invoice numbers in remittance texts and end-to-end ids; its group 1, if it has one, is the number. ' +
            'Refused with 422 `invalid-invoice-number-pattern` when it could match the empty string or backtrack without bound (backreferences, lookbehind, nested or too many open repetitions). null: none',
        }),
      ),
    ),
  },
  { additionalProperties: false },
);

/** GET /v1/tenant: the tenant the API key belongs to, so a ledger app can check its key; PATCH sets its defaults. */
export const tenantRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { database } = app.deps;
  const { db } = database;
  const view = async (request: FastifyRequest) => {
    const [tenant] = await db.select().from(tenants).where(eq(tenants.id, request.tenantId));
    const { id, name, notificationEmail, invoiceNumberPattern, createdAt } = orNotFound(tenant, 'tenant', request.tenantId);
    return {
      id,
      name,
      notification_email: openEmail(app.deps.secrets, { tenantId: id }, notificationEmail),
      invoice_number_pattern: invoiceNumberPattern,
      created_at: createdAt.toISOString(),
    };
  };

  app.get('/v1/tenant', { schema: { tags: ['tenant'], summary: "The API key's tenant", response: { 200: Tenant } } }, view);

  app.patch(
    '/v1/tenant',
    {
      schema: {
        tags: ['tenant'],
        summary: "The tenant's settings: the e-mail reminders' recipient, the invoice-number pattern",
        description: 'Only the fields given change.',
        body: TenantUpdate,
        response: { 200: Tenant },
      },
    },
    async (request) => {
      const { notification_email: email, invoice_number_pattern: pattern } = request.body;
      if (pattern) {
        const parsed = parseInvoiceNumberPattern(pattern);
        if (!parsed.ok) {
          throw new HttpProblem(422, `The ${parsed.error}.`, { type: 'invalid-invoice-number-pattern', extensions: { errors: [{ location: 'body/invoice_number_pattern', message: parsed.error }] } });
        }
      }
      await inTransaction(database, async (tx) => {
        await tx.db
          .update(tenants)
          .set({
            ...(email !== undefined && { notificationEmail: sealEmail(app.deps.secrets, { tenantId: request.tenantId }, email) }),
            ...(pattern !== undefined && { invoiceNumberPattern: pattern }),
          })
          .where(eq(tenants.id, request.tenantId));
        // The field's name only: the address is personal data.
        await audit(tx.db, request, 'tenant.updated', { type: 'tenant', id: request.tenantId }, { fields: Object.keys(request.body) });
      });
      // Invoice numbers are references: existing transactions are searched for them again.
      if (pattern !== undefined) await rematchAfterChange(request);
      return view(request);
    },
  );
};
