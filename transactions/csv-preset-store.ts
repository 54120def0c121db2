import { and, eq, or } from 'drizzle-orm';
import type { Database } from '../db/client.js';
import { csvPresets } from '../db/schema.js';
import { BUILT_IN_CSV_PRESETS, type CsvPreset } from '../statements/index.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The tenant's saved preset by id or name, else a built-in one by name; undefined when there is neither. */
export async function findCsvPreset(db: Database, tenantId: string, reference: string): Promise<CsvPreset | undefined> {
  const match = UUID.test(reference) ? or(eq(csvPresets.id, reference), eq(csvPresets.name, reference)) : eq(csvPresets.name, reference);
  const [row] = await db.select({ preset: csvPresets.preset }).from(csvPresets).where(and(eq(csvPresets.tenantId, tenantId), match));
  if (row) return row.preset;
  return Object.hasOwn(BUILT_IN_CSV_PRESETS, reference) ? (BUILT_IN_CSV_PRESETS as Record<string, CsvPreset>)[reference] : undefined;
}

/** Why a preset reference found nothing, and what would. */
export function unknownPresetMessage(reference: string): string {
  return `There is no CSV preset "${reference}": save one with POST /v1/csv-presets, or name a built-in one (${Object.keys(BUILT_IN_CSV_PRESETS).join(', ')}).`;
}
