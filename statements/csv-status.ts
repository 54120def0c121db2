import type { EntryStatus } from './model.js';

/**
 * What banks write in a CSV export's status column, by language, matched ignoring case and
 * surrounding spaces. A word that is in none of the lists is refused rather than guessed: a
 * pending row imported as booked doubles up once the bank books it.
 */
const PENDING_WORDS = [
  // German (Sparkasse "Umsatz vorgemerkt", DKB "Vorgemerkt", PayPal "Ausstehend")
  'vorgemerkt', 'umsatz vorgemerkt', 'vormerkung', 'ausstehend', 'in bearbeitung', 'nicht gebucht',
  // Danish, Swedish, Norwegian (Nordea writes "Reserveret" / "Reserverat" / "Reservert" where the date would be)
  'reserveret', 'ikke bogført', 'venter', 'afventer', 'reserverat', 'reserverad', 'reservation', 'ej bokförd', 'väntande', 'reservert', 'ikke bokført',
  // Finnish (Nordea "Varaus", OP "Odottaa")
  'varaus', 'varattu', 'katevaraus', 'odottaa', 'kirjaamaton',
  // Dutch, French
  'in behandeling', 'in verwerking', 'nog niet verwerkt', 'gereserveerd', 'en attente', 'en cours', 'à venir', 'non comptabilisé', 'réservé',
  // English (PayPal, Revolut "PENDING", card authorisations)
  'pending', 'not yet booked', 'unposted', 'uncleared', 'authorised', 'authorized', 'in progress', 'processing', 'held', 'on hold', 'reserved',
];

const BOOKED_WORDS = [
  'gebucht', 'umsatz gebucht', 'abgeschlossen', 'ausgeführt', 'erledigt', 'rückerstattet', 'teilweise rückerstattet',
  'bogført', 'gennemført', 'udført', 'bokförd', 'bokförd transaktion', 'genomförd', 'utförd', 'bokført', 'gjennomført', 'utført',
  'kirjattu', 'toteutunut', 'suoritettu',
  'geboekt', 'verwerkt', 'uitgevoerd', 'comptabilisé', 'exécuté', 'effectué', 'réalisé',
  'booked', 'completed', 'complete', 'cleared', 'posted', 'settled', 'executed', 'done', 'refunded', 'partially refunded',
];

/** Rows that moved no money: a declined or cancelled card payment, a failed transfer. Read as information, never booked. */
const VOID_WORDS = [
  'storniert', 'abgelehnt', 'fehlgeschlagen', 'abgebrochen', 'annulleret', 'afvist', 'annullerad', 'avvisad', 'makulerad', 'kansellert', 'avvist',
  'hylätty', 'peruttu', 'geannuleerd', 'afgewezen', 'mislukt', 'annulé', 'refusé', 'échoué', 'rejeté',
  'cancelled', 'canceled', 'declined', 'denied', 'failed', 'rejected', 'reverted', 'voided', 'expired',
];

const BUILT_IN = new Map<string, EntryStatus>([
  ...PENDING_WORDS.map((word) => [word, 'pending'] as const),
  ...BOOKED_WORDS.map((word) => [word, 'booked'] as const),
  ...VOID_WORDS.map((word) => [word, 'info'] as const),
]);

/**
 * The status a row's status cell gives it, or undefined when the value is not known. With the
 * preset's own `pendingValues`, those make a row pending, the built-in words for rows that moved
 * no money still make it information, and every other value is booked.
 */
export function statusOf(value: string, pendingValues: readonly string[] | undefined): EntryStatus | undefined {
  const word = normalWord(value);
  if (pendingValues === undefined) return BUILT_IN.get(word);
  if (pendingValues.some((pending) => normalWord(pending) === word)) return 'pending';
  return BUILT_IN.get(word) === 'info' ? 'info' : 'booked';
}

function normalWord(value: string): string {
  return value.trim().replace(/\s+/g, ' ').toLowerCase();
}
