import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@fastify/type-provider-typebox';

const Institution = Type.Object({
  id: Type.String(),
  name: Type.String(),
  countries: Type.Array(Type.String()),
  bic: Type.Union([Type.String(), Type.Null()]),
  max_consent_days: Type.Integer({ description: 'the longest consent the bank grants' }),
  history_days: Type.Integer({ description: 'how many days back the bank serves transactions' }),
});

/** GET /v1/institutions: the banks a ledger user can pick, by country. */
export const institutionRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/v1/institutions',
    {
      schema: {
        tags: ['institutions'],
        summary: 'Banks that can be linked',
        querystring: Type.Object({ country: Type.Optional(Type.String({ pattern: '^[A-Za-z]{2}$', description: 'ISO 3166 country code' })) }),
        response: { 200: Type.Object({ data: Type.Array(Institution) }) },
      },
    },
    async (request) => ({
      data: app.deps.providers.institutions(request.query.country).map((i) => ({
        id: i.id,
        name: i.name,
        countries: i.countries,
        bic: i.bic ?? null,
        max_consent_days: i.maxConsentDays,
        history_days: i.historyDays,
      })),
    }),
  );
};
