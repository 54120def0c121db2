import { Type, type TSchema } from '@fastify/type-provider-typebox';

export const Uuid = Type.String({ format: 'uuid' });
export const IsoDate = Type.String({ format: 'date', description: 'YYYY-MM-DD' });
export const Instant = Type.String({ format: 'date-time' });
export const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);

/** Money as an exact decimal string with the currency's decimals ("-12.50"): never a float. */
export const Amount = Type.String({ pattern: '^-?[0-9]+(\\.[0-9]+)?$', description: 'exact decimal, debits negative' });
export const Currency = Type.String({ pattern: '^[A-Z]{3}$' });

/** A page of a list, and where the next one starts. */
export const Page = <T extends TSchema>(item: T) =>
  Type.Object({
    data: Type.Array(item),
    next_cursor: Nullable(Type.String({ description: 'pass as `cursor` for the next page; null on the last' })),
  });

export const PageQuery = {
  cursor: Type.Optional(Type.String({ maxLength: 200 })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 100 })),
};

/** The PSU-IP-Address header: the IP address of the person who asked, for access the bank counts as attended. */
export const PsuHeaders = Type.Object({
  'psu-ip-address': Type.Optional(Type.Union([Type.String({ format: 'ipv4' }), Type.String({ format: 'ipv6' })])),
});

export const iso = (instant: Date | null | undefined) => (instant ? instant.toISOString() : null);
