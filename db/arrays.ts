import { sql, type SQL } from 'drizzle-orm';

/**
 * A Postgres array parameter, for batch statements over `unnest(...)`: one parameter per column
 * instead of one per value, whatever the batch size. Sent as an array literal, which both drivers
 * pass through unchanged (drizzle would otherwise expand a JS array into a row of parameters).
 */
export function arrayParam(values: readonly (string | number | boolean | null | undefined)[], type: string): SQL {
  const literal = `{${values.map((value) => (value === null || value === undefined ? 'NULL' : `"${String(value).replace(/[\\"]/g, '\\$&')}"`)).join(',')}}`;
  return sql`${literal}::${sql.raw(type)}[]`;
}
