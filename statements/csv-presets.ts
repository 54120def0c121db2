import type { CsvPreset } from './csv-preset.js';
import { DUTCH_CSV_PRESETS } from './csv-presets-dutch.js';
import { FINTECH_CSV_PRESETS } from './csv-presets-fintech.js';
import { GERMAN_CSV_PRESETS } from './csv-presets-german.js';
import { NORDIC_CSV_PRESETS } from './csv-presets-nordic.js';

/**
 * CSV presets for common bank export layouts, by name, written from the banks' published column
 * lists (each says which export it reads). Banks change their exports now and then: a tenant
 * copies one and adjusts it when a file no longer matches (the parser says which column or value
 * it could not read).
 */
export const BUILT_IN_CSV_PRESETS = {
  ...NORDIC_CSV_PRESETS,
  ...GERMAN_CSV_PRESETS,
  ...DUTCH_CSV_PRESETS,
  ...FINTECH_CSV_PRESETS,
} as const satisfies Record<string, CsvPreset>;
