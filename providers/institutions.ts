import { readFileSync } from 'node:fs';
import { Type, type Static } from 'typebox';
import Value from 'typebox/value';
import { NextGenPsd2Client } from './nextgenpsd2/client.js';
import { NextGenPsd2Provider } from './nextgenpsd2/provider.js';
import type { Institution } from './provider.js';
import { createProviderRegistry, type ProviderRegistry } from './registry.js';

/** One institution in an INSTITUTIONS_FILE: who the bank is, what it allows, and how to reach it. */
export const InstitutionConfig = Type.Object(
  {
    id: Type.String({ pattern: '^[A-Za-z0-9_.-]{1,64}$' }),
    name: Type.String({ minLength: 1 }),
    countries: Type.Array(Type.String({ pattern: '^[A-Z]{2}$' }), { minItems: 1 }),
    bic: Type.Optional(Type.String({ pattern: '^[A-Z0-9]{8}([A-Z0-9]{3})?$' })),
    maxConsentDays: Type.Integer({ minimum: 1, maximum: 730, default: 90 }),
    historyDays: Type.Integer({ minimum: 1, maximum: 3650, default: 730 }),
    frequencyPerDay: Type.Integer({ minimum: 1, maximum: 96, default: 4 }),
    timeZone: Type.String({ minLength: 1, default: 'Europe/Berlin' }),
    provider: Type.Literal('nextgenpsd2'),
    nextgenpsd2: Type.Object(
      {
        baseUrl: Type.String({ pattern: '^https?://' }),
        /** PEM files of the TPP's QWAC for mTLS, and a CA bundle for the bank's server certificate. */
        clientCertFile: Type.Optional(Type.String()),
        clientKeyFile: Type.Optional(Type.String()),
        caFile: Type.Optional(Type.String()),
      },
      { additionalProperties: false },
    ),
  },
  { additionalProperties: false },
);
export type InstitutionConfig = Static<typeof InstitutionConfig>;

/** Reads and checks an institutions file; a wrong entry stops start-up, naming where it is wrong. */
export function readInstitutionsFile(path: string): InstitutionConfig[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new Error(`INSTITUTIONS_FILE=${path} cannot be read as JSON: ${(error as Error).message}`, { cause: error });
  }
  const schema = Type.Array(InstitutionConfig);
  const withDefaults = Value.Default(schema, parsed);
  const errors = Value.Errors(schema, withDefaults);
  if (errors.length > 0) {
    throw new Error(`INSTITUTIONS_FILE=${path} is not valid: ${errors.slice(0, 5).map((e) => `${e.instancePath || '/'} ${e.message}`).join('; ')}`);
  }
  return withDefaults as InstitutionConfig[];
}

/** The Demo Bank as the institutions of `npm start`'s embedded mode: one bank, in three countries. */
export function demoBankInstitutions(url: string, maxConsentDays: number): InstitutionConfig[] {
  return [
    {
      id: 'DEMOBANK',
      name: 'Demo Bank (sandbox)',
      countries: ['DE', 'DK', 'SE'],
      maxConsentDays,
      historyDays: 730,
      frequencyPerDay: 4,
      // The Demo Bank's days run from UTC midnight to UTC midnight.
      timeZone: 'UTC',
      provider: 'nextgenpsd2',
      nextgenpsd2: { baseUrl: url },
    },
  ];
}

/** Providers for the configured institutions. */
export function createInstitutionRegistry(configs: readonly InstitutionConfig[]): ProviderRegistry {
  return createProviderRegistry(
    configs.map((config) => {
      const { nextgenpsd2, ...institution } = config;
      const read = (file?: string) => (file ? readFileSync(file) : undefined);
      const cert = read(nextgenpsd2.clientCertFile);
      const key = read(nextgenpsd2.clientKeyFile);
      const client = new NextGenPsd2Client({
        baseUrl: nextgenpsd2.baseUrl,
        ...(cert && key && { tls: { cert, key, ca: read(nextgenpsd2.caFile) } }),
      });
      return { institution: institution satisfies Institution, provider: new NextGenPsd2Provider(client) };
    }),
  );
}
