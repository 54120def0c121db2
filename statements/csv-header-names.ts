/**
 * What a CSV column is, from its header name, in the languages of the banks bankfeed's users
 * have: Danish, Swedish, Norwegian, Finnish, German, Dutch, French and English. Names are
 * compared normalised (see `normaliseHeader`), so "Beløb", "Belob" and "BELØB" are one name.
 */

export type ColumnRole =
  | 'bookingDate'
  | 'valueDate'
  | 'amount'
  | 'debit'
  | 'credit'
  | 'indicator'
  | 'currency'
  | 'counterpartyName'
  | 'counterpartyIban'
  | 'text'
  | 'reference'
  | 'endToEndId'
  | 'mandateId'
  | 'bankTransactionCode'
  | 'accountIban'
  | 'status'
  | 'balance';

/**
 * Header names per role. `specific` names say the role outright ("Buchungstag" is the booking
 * date); `generic` ones ("Datum", "Date") are the role when no specific name is there. Two
 * columns with names of the same strength for one role are a tie that detection refuses to break.
 */
const NAMES: Record<ColumnRole, { specific: string[]; generic?: string[] }> = {
  bookingDate: {
    specific: [
      'buchungstag', 'buchungsdatum', 'buchung', 'bogføringsdato', 'bogført', 'bogført dato', 'bokföringsdag', 'bokföringsdatum', 'bokförd', 'bokført',
      'bokført dato', 'bokføringsdato', 'kirjauspäivä', 'kirjauspvm', 'boekdatum', 'boekingsdatum', 'date comptable', 'date de comptabilisation',
      'booking date', 'posting date', 'post date', 'posted date', 'completed date', 'date posted',
    ],
    generic: [
      'datum', 'dato', 'date', 'päivämäärä', 'pvm', 'transaktionsdatum', 'transaktionsdag', 'transaktionsdato', 'tapahtumapäivä', 'transactiedatum',
      'date opération', "date d'opération", 'date de l opération', 'transaction date', 'trans date', 'date de transaction',
    ],
  },
  valueDate: {
    specific: ['valutadatum', 'valuta', 'wertstellung', 'wertstellungsdatum', 'valørdato', 'valør', 'rentedato', 'rentedatum', 'valutadag', 'arvopäivä', 'date de valeur', 'date valeur', 'valeur', 'value date'],
  },
  amount: {
    specific: ['betrag', 'umsatz', 'beløb', 'belopp', 'beløp', 'määrä', 'summa', 'euroa', 'bedrag', 'montant', 'amount', 'transaktionsbelopp', 'transaction amount', 'value', 'beløb i alt'],
  },
  debit: {
    specific: [
      'debit', 'débit', 'debet', 'soll', 'debit amount', 'paid out', 'money out', 'withdrawal', 'withdrawals', 'withdrawal amount', 'out', 'ausgang',
      'udbetaling', 'hævet', 'uttag', 'ut', 'ut fra konto', 'ut av konto', 'veloitus', 'nosto', 'af', 'montant débit',
    ],
  },
  credit: {
    specific: [
      'credit', 'crédit', 'kredit', 'haben', 'credit amount', 'paid in', 'money in', 'deposit', 'deposits', 'deposit amount', 'in', 'eingang',
      'indbetaling', 'indsat', 'insättning', 'inn', 'inn på konto', 'hyvitys', 'pano', 'bij', 'montant crédit',
    ],
  },
  indicator: {
    specific: ['af bij', 'soll haben', 's h', 'soll/haben', 'debit credit', 'credit debit', 'debet credit', 'd c', 'c d', 'dc', 'cd', 'debit/credit', 'kennung', 'soll haben kennung', 'sh'],
  },
  currency: {
    specific: ['währung', 'waehrung', 'currency', 'valuta', 'devise', 'valuutta', 'munt', 'ccy', 'currency code', 'valutakode', 'valutakod'],
  },
  counterpartyName: {
    specific: [
      'beguenstigter zahlungspflichtiger', 'begünstigter zahlungspflichtiger', 'zahlungsempfänger', 'zahlungspflichtiger', 'empfänger', 'auftraggeber',
      'auftraggeber empfänger', 'empfänger zahlungspflichtiger', 'auftraggeber zahlungsempfänger', 'name zahlungsbeteiligter', 'zahlungsbeteiligter',
      'modtager', 'afsender', 'modtagernavn', 'mottagare', 'avsändare', 'betalningsmottagare', 'mottaker', 'avsender', 'saaja', 'maksaja',
      'saaja maksaja', 'maksaja saaja', 'saajan nimi', 'naam', 'naam omschrijving', 'naam tegenpartij', 'tegenpartij', 'bénéficiaire',
      'tiers', 'payee', 'payer', 'payee name', 'payer name', 'counterparty', 'counter party', 'counterparty name', 'merchant', 'name', 'nom', 'auftraggeber begünstigter',
    ],
  },
  counterpartyIban: {
    specific: [
      'kontonummer iban', 'iban', 'tegenrekening', 'tegenrekening iban bban', 'iban zahlungsbeteiligter', 'counterparty iban', 'counterparty account',
      'payee account', 'modtagerkonto', 'mottagarkonto', 'saajan tilinumero', 'tilinumero', 'iban du tiers', 'compte du tiers', 'iban tegenpartij', 'kontonummer',
    ],
  },
  text: {
    specific: [
      'verwendungszweck', 'vorgang verwendungszweck', 'buchungsdetails', 'tekst', 'text', 'beskrivelse', 'beskrivning', 'meddelande', 'forklaring',
      'viesti', 'selite', 'selitys', 'viite', 'text mottagare', 'omschrijving', 'mededelingen', 'omschrijving 1', 'omschrijving 2', 'omschrijving 3', 'libellé',
      "libellé de l'opération", 'libellé opération', 'détail', 'description', 'details', 'memo', 'notes', 'notes and tags', 'narrative',
      'transaction description', 'remittance information', 'reference', 'referens', 'referanse', 'besked', 'kommentar', 'message',
    ],
  },
  reference: {
    specific: ['transaction id', 'transaktions id', 'id', 'volgnr', 'volgnummer', 'arkistointitunnus', 'bank reference', 'bankreferenz', 'buchungsreferenz', 'référence de l opération'],
  },
  endToEndId: {
    specific: ['kundenreferenz end to end', 'end to end referenz', 'end to end reference', 'end to end id', 'endtoendid', 'eref', 'ende zu ende referenz', 'transactiereferentie'],
  },
  mandateId: {
    specific: ['mandatsreferenz', 'mandate reference', 'mandate id', 'mandateid', 'mref', 'mandaatreferentie', 'machtigingskenmerk', 'référence du mandat', 'référence unique du mandat'],
  },
  bankTransactionCode: {
    specific: [
      'buchungstext', 'umsatzart', 'vorgang', 'type', 'transaction type', 'typ', 'transaktionstype', 'transaktionstyp', 'mutatiesoort', 'code',
      'tapahtuma', 'tapahtumalaji', 'kirjauslaji', 'laji', 'type d opération', "type d'opération", 'nature',
    ],
  },
  accountIban: {
    specific: ['auftragskonto', 'iban auftragskonto', 'iban', 'rekening', 'iban bban', 'own account', 'account', 'account iban', 'konto', 'kontonummer', 'oma tili', 'mon compte'],
  },
  status: {
    specific: ['status', 'info', 'buchungsstatus', 'umsatzstatus', 'state', 'tila', 'staat', 'statut', 'transaktionsstatus', 'transaction status'],
  },
  balance: {
    specific: ['saldo', 'kontostand', 'balance', 'running balance', 'saldo na mutatie', 'saldo na boeking', 'solde', 'saldo efter', 'saldo etter', 'disponibel saldo', 'bokfört saldo', 'saldo na trn', 'running bal', 'balance after'],
  },
};

/** Lower case, accents and Nordic letters folded (ø → o, æ → ae, ß → ss), punctuation as single spaces. */
export function normaliseHeader(name: string): string {
  return name
    .replace(/^\uFEFF/, '')
    .toLowerCase()
    .replace(/ø/g, 'o')
    .replace(/æ/g, 'ae')
    .replace(/ß/g, 'ss')
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

export interface HeaderMeaning {
  role: ColumnRole;
  strength: 'specific' | 'generic';
}

const INDEX = buildIndex();

function buildIndex(): Map<string, HeaderMeaning[]> {
  const index = new Map<string, HeaderMeaning[]>();
  for (const [role, { specific, generic = [] }] of Object.entries(NAMES) as [ColumnRole, (typeof NAMES)[ColumnRole]][]) {
    const add = (name: string, strength: HeaderMeaning['strength']) => {
      const key = normaliseHeader(name);
      index.set(key, [...(index.get(key) ?? []), { role, strength }]);
    };
    specific.forEach((name) => add(name, 'specific'));
    generic.forEach((name) => add(name, 'generic'));
  }
  return index;
}

const CURRENCIES = new Set(Intl.supportedValuesOf('currency'));

/**
 * What a header may mean (several roles for names such as "Valuta", which is the value date in
 * German and the currency in Danish: the column's values decide), and the currency a header
 * names for its amounts ("Betrag (EUR)", "Beløb i DKK", "Amount GBP").
 */
export function headerMeanings(header: string): { meanings: HeaderMeaning[]; currency?: string } {
  const name = normaliseHeader(header);
  const exact = INDEX.get(name);
  if (exact) return { meanings: exact };
  const qualified = /^(.+?) (?:in |i |en )?([a-z]{3}|euros?|euroa)$/.exec(name);
  const currency = qualified?.[2]?.startsWith('euro') ? 'EUR' : qualified?.[2]?.toUpperCase();
  if (qualified && currency && CURRENCIES.has(currency)) {
    const meanings = INDEX.get(qualified[1]!);
    if (meanings) return { meanings, currency };
  }
  return { meanings: [] };
}

/** Examples of the names a role is recognised by, quoted and capitalised, for messages that say what detection expected. */
export function exampleList(role: ColumnRole, count = 12): string {
  const { specific, generic = [] } = NAMES[role];
  return [...specific, ...generic]
    .slice(0, count)
    .map((name) => JSON.stringify(name[0]!.toUpperCase() + name.slice(1)))
    .join(', ');
}

/** What detection expects when it finds no amount: one of the amount names, or a debit and a credit column. */
export function amountExpectation(): string {
  return `expected one of ${exampleList('amount')}, or a debit and a credit column (${exampleList('debit', 6)}; ${exampleList('credit', 6)})`;
}
