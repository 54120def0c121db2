/**
 * The values of debit/credit indicator columns that detection recognises: German S/H and
 * Soll/Haben, Dutch Af/Bij, ISO 20022 DBIT/CRDT, English D/C, DR/CR and Debit/Credit, French
 * Débit/Crédit, Nordic Debet/Kredit.
 */
export const INDICATOR_VALUES = {
  debit: ['S', 'Soll', 'D', 'DR', 'DBIT', 'Debit', 'Débit', 'Debet', 'Af'],
  credit: ['H', 'Haben', 'C', 'CR', 'CRDT', 'Credit', 'Crédit', 'Kredit', 'Bij'],
};

