/**
 * The Demo Bank's transactions, invented one account-day at a time: the entries of a day are a
 * pure function of (seed, account, day), so a history of a million entries never has to sit in
 * memory and every run of the same seed sees the same bank.
 */
import { DAY_MS, isoDate } from './clock.js';
import { reportCounterparty, type NameChannel, type ReportedCounterparty } from './noise.js';
import { ATM, BILLERS, CUSTOMERS, EMPLOYER, isParty, LANDLORD, MERCHANTS, PEOPLE, SUPPLIERS, THE_BANK, type Counterparty } from './parties.js';
import { Random, stableId } from './random.js';
import { withReferences, type Payee, type PaymentReference } from './references.js';
import type { AccountProfile, Currency, DemoAccount } from './users.js';

export interface LedgerEntry {
  /** The day the entry came into being (epoch day); also its value date. */
  day: number;
  /** Position among the day's entries: (account, day, index) is the entry's identity. */
  index: number;
  /** The bank instant at which the entry appears. */
  atMs: number;
  /** 0: booked at once; 1 to 3: pending until the night `lagDays` later. */
  lagDays: number;
  /** Signed: a debit is negative. In the currency's minor units. */
  amountMinor: number;
  /** The counterparty as the bank reports it on this entry (noisy: see noise.ts). */
  counterparty: ReportedCounterparty;
  /** Ground truth: the party the entry really is with, or null for nobody a ledger registers (cash). */
  partyId: string | null;
  remittance: string;
  /** Ground truth: the payment references the remittance text carries (referencesOf adds the end-to-end id). */
  references: PaymentReference[];
  endToEndId?: string;
  /** SEPA direct debits: the mandate the account's holder gave this creditor. */
  mandateId?: string;
  bankTransactionCode: string;
  proprietaryBankTransactionCode: string;
}

/** How busy each weekday is, Sunday first (shops, payroll and invoices run on weekdays). */
const WEEKDAY_WEIGHTS = [3, 12, 11, 10, 11, 14, 6];
const WEEK_WEIGHT = WEEKDAY_WEIGHTS.reduce((a, b) => a + b, 0);
/** Epoch day 0, 1970-01-01, was a Thursday. */
const EPOCH_WEEKDAY = 4;
/** WEIGHT_BEFORE[n]: the weight of the first n days of a week that starts on a Thursday. */
const WEIGHT_BEFORE = Array.from({ length: 8 }, (_, n) =>
  Array.from({ length: n }, (_, i) => WEEKDAY_WEIGHTS[(EPOCH_WEEKDAY + i) % 7]!).reduce((a, b) => a + b, 0),
);

/** The total weight of the epoch days before `day`, in closed form. */
function weightBefore(day: number): number {
  return Math.floor(day / 7) * WEEK_WEIGHT + WEIGHT_BEFORE[day % 7]!;
}

/**
 * How many entries the account has on a day: its `historyTransactions` spread over each window of
 * `historyDays` days by weekday weight, with floors taken on the running total so that any span
 * of days holds its exact share (no drift, however large the account).
 */
export function dailyCount(account: DemoAccount, historyDays: number, day: number): number {
  const perWeight = (7 * account.historyTransactions) / (WEEK_WEIGHT * historyDays);
  return Math.floor(weightBefore(day + 1) * perWeight) - Math.floor(weightBefore(day) * perWeight);
}

const CURRENCY_FACTOR: Record<Currency, number> = { EUR: 1, DKK: 7.46, SEK: 11.5 };

/** A credit or debit of one kind, in the currency and with the texts such an entry has. */
interface Kind {
  weight: number;
  /** Amount range in euro cents, converted to the account's currency. */
  min: number;
  max: number;
  sign: 1 | -1;
  counterparties: readonly Counterparty[];
  bankTransactionCode: string;
  proprietaryBankTransactionCode: string;
  /** Probability that the entry is pending for 1 to 3 days before it books. */
  pendingChance: number;
  sepa: boolean;
  /** A SEPA direct debit: collected under a mandate. */
  directDebit?: true;
  /** How the bank names the counterparty on such an entry. */
  names: NameChannel;
  /** Whose invoice such a payment settles, for the references it quotes; none for entries that settle none. */
  payee?: Payee;
  /** The text, given the counterparty and the name the bank reports for it (card slips print the terminal's). */
  text: (random: Random, day: number, counterparty: Counterparty, reportedName: string | undefined) => string;
}

const monthOf = (day: number) => isoDate(day).slice(0, 7);
const invoiceNo = (random: Random, day: number) => `${monthOf(day).slice(0, 4)}-${random.int(1000, 99999)}`;

const LONG_TEXTS = [
  (r: Random, d: number) =>
    `Rechnung RE-${invoiceNo(r, d)} vom ${monthOf(d)}, Kundennummer 0815-${r.int(1000, 9999)}, Leistungszeitraum ${monthOf(d)}, bei Rückfragen bitte Belegnummer angeben`,
  (r: Random, d: number) =>
    `Faktura ${invoiceNo(r, d)} · ordrenr. ${r.int(100000, 999999)} · levering Århus/Göteborg · betales senest 14 dage efter fakturadato · tak for handlen`,
];

const card = (r: Random, _d: number, c: Counterparty, name: string | undefined) => `Kortköp ${name ?? c.name} ****${r.int(1000, 9999)}`.slice(0, 140);
const transfer = (r: Random, d: number) => (r.chance(0.2) ? r.pick(LONG_TEXTS)(r, d).slice(0, 140) : `Invoice ${invoiceNo(r, d)}`);

const PERSONAL: Kind[] = [
  { weight: 50, min: 250, max: 12_000, sign: -1, counterparties: MERCHANTS, bankTransactionCode: 'PMNT-CCRD-POSD', proprietaryBankTransactionCode: 'CARD', pendingChance: 0.85, sepa: false, names: 'card', text: card },
  { weight: 14, min: 1_500, max: 16_000, sign: -1, counterparties: BILLERS, bankTransactionCode: 'PMNT-RDDT-ESDD', proprietaryBankTransactionCode: 'SEPA-DD', pendingChance: 0, sepa: true, directDebit: true, names: 'transfer',
    text: (r, d, c) => `${c.name} ${monthOf(d)} Kundennr. ${r.int(100000, 999999)} Mandat M-${r.int(1000, 9999)}` },
  { weight: 12, min: 1_000, max: 40_000, sign: -1, counterparties: PEOPLE, bankTransactionCode: 'PMNT-ICDT-ESCT', proprietaryBankTransactionCode: 'SEPA-CT', pendingChance: 0, sepa: true, names: 'transfer', text: transfer },
  { weight: 12, min: 500, max: 30_000, sign: 1, counterparties: PEOPLE, bankTransactionCode: 'PMNT-RCDT-ESCT', proprietaryBankTransactionCode: 'SEPA-CT', pendingChance: 0, sepa: true, names: 'transfer',
    text: (r) => r.pick(['Tak for lån 🍕', 'Middag fredag', 'Dinner split', 'Hyttetur Skagen – din andel', 'Geburtstagsgeschenk für Jürgen', 'Återbetalning']) },
  { weight: 5, min: 2_000, max: 20_000, sign: -1, counterparties: [ATM], bankTransactionCode: 'PMNT-CCRD-CWDL', proprietaryBankTransactionCode: 'ATM', pendingChance: 0.5, sepa: false, names: 'card',
    text: (r) => `Kontantuttag automat ${r.int(100, 999)}` },
  { weight: 2, min: 100, max: 1_500, sign: -1, counterparties: [THE_BANK], bankTransactionCode: 'ACMT-MDOP-CHRG', proprietaryBankTransactionCode: 'FEE', pendingChance: 0, sepa: false, names: 'none',
    text: (_r, d) => `Account fee ${monthOf(d)}` },
];

const BUSINESS: Kind[] = [
  { weight: 40, min: 8_000, max: 800_000, sign: 1, counterparties: CUSTOMERS, bankTransactionCode: 'PMNT-RCDT-ESCT', proprietaryBankTransactionCode: 'SEPA-CT', pendingChance: 0, sepa: true, names: 'transfer', payee: 'ours',
    text: transfer },
  { weight: 30, min: 5_000, max: 900_000, sign: -1, counterparties: SUPPLIERS, bankTransactionCode: 'PMNT-ICDT-ESCT', proprietaryBankTransactionCode: 'SEPA-CT', pendingChance: 0, sepa: true, names: 'transfer', payee: 'theirs',
    text: transfer },
  { weight: 15, min: 500, max: 50_000, sign: -1, counterparties: MERCHANTS, bankTransactionCode: 'PMNT-CCRD-POSD', proprietaryBankTransactionCode: 'CARD', pendingChance: 0.85, sepa: false, names: 'card', text: card },
  { weight: 8, min: 3_000, max: 60_000, sign: -1, counterparties: BILLERS, bankTransactionCode: 'PMNT-RDDT-ESDD', proprietaryBankTransactionCode: 'SEPA-DD', pendingChance: 0, sepa: true, directDebit: true, names: 'transfer',
    text: (r, d, c) => `${c.name} ${monthOf(d)} Kundennr. ${r.int(100000, 999999)}` },
  { weight: 4, min: 200_000, max: 500_000, sign: -1, counterparties: PEOPLE, bankTransactionCode: 'PMNT-ICDT-SALA', proprietaryBankTransactionCode: 'SALARY', pendingChance: 0, sepa: true, names: 'transfer',
    text: (_r, d) => `Løn ${monthOf(d)}` },
  { weight: 3, min: 500, max: 5_000, sign: -1, counterparties: [THE_BANK], bankTransactionCode: 'ACMT-MDOP-CHRG', proprietaryBankTransactionCode: 'FEE', pendingChance: 0, sepa: false, names: 'none',
    text: (_r, d) => `Gebyr betalingsservice ${monthOf(d)}` },
];

const SAVINGS: Kind[] = [
  { weight: 50, min: 5_000, max: 60_000, sign: 1, counterparties: PEOPLE, bankTransactionCode: 'PMNT-RCDT-ESCT', proprietaryBankTransactionCode: 'TRANSFER', pendingChance: 0, sepa: true, names: 'transfer',
    text: (_r, d) => `Opsparing ${monthOf(d)}` },
  { weight: 45, min: 5_000, max: 50_000, sign: -1, counterparties: PEOPLE, bankTransactionCode: 'PMNT-ICDT-ESCT', proprietaryBankTransactionCode: 'TRANSFER', pendingChance: 0, sepa: true, names: 'transfer',
    text: (r) => r.pick(['Uttag till lönekonto', 'Ferie – Gardasee', 'Ny cykel 🚲']) },
  { weight: 5, min: 100, max: 2_000, sign: 1, counterparties: [THE_BANK], bankTransactionCode: 'ACMT-MDOP-INTR', proprietaryBankTransactionCode: 'INTEREST', pendingChance: 0, sepa: false, names: 'none',
    text: (_r, d) => `Zinsen / Ränta ${monthOf(d)}` },
];

/** The monthly salary of a personal account: its range is replaced by what keeps the account afloat. */
const SALARY: Kind = {
  weight: 0, min: 0, max: 0, sign: 1, counterparties: [EMPLOYER], bankTransactionCode: 'PMNT-RCDT-SALA', proprietaryBankTransactionCode: 'SALARY',
  pendingChance: 0, sepa: true, names: 'transfer', text: (_r, d) => `Løn ${monthOf(d)} / Gehalt / Salary`,
};
const RENT: Kind = {
  weight: 0, min: 95_000, max: 95_000, sign: -1, counterparties: [LANDLORD], bankTransactionCode: 'PMNT-ICDT-STDO', proprietaryBankTransactionCode: 'STANDING-ORDER',
  pendingChance: 0, sepa: true, names: 'transfer', text: (_r, d) => `Husleje ${monthOf(d)} lejemål 4. th.`,
};
const OFFICE_RENT: Kind = { ...RENT, min: 350_000, max: 350_000, text: (_r, d) => `Husleje ${monthOf(d)} erhvervslejemål 1. sal` };

const weighted = (kinds: Kind[]) => {
  const total = kinds.reduce((sum, kind) => sum + kind.weight, 0);
  return { kinds, total, meanCents: kinds.reduce((sum, kind) => sum + (kind.weight * kind.sign * (kind.min + kind.max)) / 2, 0) / total };
};
const KINDS: Record<AccountProfile, { kinds: Kind[]; total: number; meanCents: number }> = {
  personal: weighted(PERSONAL),
  business: weighted(BUSINESS),
  savings: weighted(SAVINGS),
};

/**
 * A salary that covers a month of the account's typical spending and rent, and a little more:
 * whatever the account's size, its balance drifts gently upwards instead of into the red.
 */
function salaryCents(account: DemoAccount, historyDays: number, random: Random): number {
  const entriesPerMonth = (account.historyTransactions / historyDays) * 30.44;
  const spending = -KINDS.personal.meanCents * entriesPerMonth + RENT.max;
  return Math.round(Math.max(spending, 50_000) * (1.02 + random.next() * 0.06));
}

/** Chance that an entry repeats the one before it exactly: two coffees, two identical tickets. */
const TWIN_CHANCE = 0.04;

function pickKind(random: Random, profile: AccountProfile): Kind {
  const { kinds, total } = KINDS[profile];
  let ticket = random.next() * total;
  for (const kind of kinds) {
    ticket -= kind.weight;
    if (ticket < 0) return kind;
  }
  return kinds[kinds.length - 1]!;
}

/** A personal account's first entry of the 1st is the rent, of the 25th the salary; a business account's of the 1st its office rent. */
function scheduledKind(account: DemoAccount, day: number, index: number): Kind | undefined {
  if (account.profile === 'savings' || index !== 0) return undefined;
  const dayOfMonth = new Date(day * DAY_MS).getUTCDate();
  if (account.profile === 'business') return dayOfMonth === 1 ? OFFICE_RENT : undefined;
  return dayOfMonth === 25 ? SALARY : dayOfMonth === 1 ? RENT : undefined;
}

/** The account's entries of one day, in the order they happened. */
export function generateDay(seed: string, account: DemoAccount, historyDays: number, day: number): LedgerEntry[] {
  const count = dailyCount(account, historyDays, day);
  if (count === 0) return [];
  const random = new Random(seed, account.key, day);
  const factor = CURRENCY_FACTOR[account.currency];
  const entries: LedgerEntry[] = [];
  for (let index = 0; index < count; index++) {
    // Spread over the day in order, without sorting: entry i falls in the i-th slice of the day.
    const atMs = day * DAY_MS + Math.floor(((index + random.next()) / count) * DAY_MS);
    const previous = entries[index - 1];
    if (previous && random.chance(TWIN_CHANCE)) {
      entries.push({ ...previous, index, atMs, endToEndId: previous.endToEndId && 'NOTPROVIDED' });
      continue;
    }
    const kind = scheduledKind(account, day, index) ?? pickKind(random, account.profile);
    const counterparty = random.pick(kind.counterparties);
    // How the bank spells and references the entry comes from a stream of the entry's own, so the
    // day's stream (kinds, amounts, texts) is what it would be without the noise.
    const noise = new Random(seed, account.key, day, index, 'noise');
    const reported = reportCounterparty(counterparty, kind.names, noise);
    const lagDays = random.chance(kind.pendingChance) ? random.int(1, 3) : 0;
    const amountMinor = kind.sign * Math.round((kind === SALARY ? salaryCents(account, historyDays, random) : random.int(kind.min, kind.max)) * factor);
    const text = kind.text(random, day, counterparty, reported.name);
    const endToEndId = kind.sepa ? (random.chance(0.3) ? 'NOTPROVIDED' : `E2E${stableId(16, seed, account.key, day, index)}`) : undefined;
    // One mandate per debtor account and creditor, as in life: every collection of a biller carries the same one.
    const mandateId = kind.directDebit ? `MNDT${stableId(12, seed, account.key, counterparty.name)}` : undefined;
    const { text: remittance, references } = withReferences(text, { payee: kind.payee, sepa: kind.sepa, account, counterparty, endToEndId, mandateId }, noise);
    entries.push({
      day,
      index,
      atMs,
      lagDays,
      amountMinor,
      counterparty: reported,
      partyId: isParty(counterparty) ? counterparty.id : null,
      remittance,
      references,
      endToEndId,
      mandateId,
      bankTransactionCode: kind.bankTransactionCode,
      proprietaryBankTransactionCode: kind.proprietaryBankTransactionCode,
    });
  }
  return entries;
}
