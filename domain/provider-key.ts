/** Values banks put in id fields that identify nothing. */
const PLACEHOLDERS = new Set(['', 'NONREF', 'NOTPROVIDED', 'NOT PROVIDED', 'N/A', 'NA', 'NONE', 'NULL', 'UNDEFINED', '-']);

/** The first candidate that identifies something: trimmed, not blank, not a placeholder such as "0". */
export function usableProviderKey(...candidates: (string | null | undefined)[]): string | undefined {
  for (const candidate of candidates) {
    const key = candidate?.trim();
    if (key && !PLACEHOLDERS.has(key.toUpperCase()) && !/^0+$/.test(key)) return key;
  }
  return undefined;
}
