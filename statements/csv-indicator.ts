import { INDICATOR_VALUES } from './csv-indicator-values.js';

export interface IndicatorValues {
  debit: readonly string[];
  credit: readonly string[];
}

/**
 * Which side a debit/credit indicator cell names, matched ignoring case and surrounding spaces:
 * the preset's own values, else the usual ones (S/H, Soll/Haben, D/C, DR/CR, DBIT/CRDT,
 * Debit/Credit, Af/Bij, Débit/Crédit, Debet/Kredit). Undefined for any other value.
 */
export function indicatorSide(value: string, own: IndicatorValues | undefined): 'debit' | 'credit' | undefined {
  const values = own ?? INDICATOR_VALUES;
  const word = value.trim().toLowerCase();
  if (values.debit.some((debit) => debit.trim().toLowerCase() === word)) return 'debit';
  if (values.credit.some((credit) => credit.trim().toLowerCase() === word)) return 'credit';
  return undefined;
}
