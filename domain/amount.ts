/**
 * Exact decimal money amounts, as strings, computed with BigInt: never floating point.
 *
 * The canonical form is what every part of bankfeed stores and compares: an optional minus, an
 * integer part without leading zeros, and a fraction without trailing zeros ("-12.5", "0",
 * "1200"). Display with a currency's decimals is `formatAmount`.
 */

export class AmountError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AmountError';
  }
}

interface Scaled {
  units: bigint;
  scale: number;
}

const DECIMAL = /^([+-]?)(\d+)(?:\.(\d*))?$/;
/** A Postgres numeric(20,4) column holds at most 16 integer digits. */
const MAX_INTEGER_DIGITS = 16;
const MAX_FRACTION_DIGITS = 4;

export interface AmountFormat {
  /** "." (default) or ",", as in MT940 and many European CSV exports. */
  decimalSeparator?: '.' | ',';
  /** Grouping character to ignore, e.g. "." in "1.234,56" or " " in "1 234,56". */
  thousandsSeparator?: string;
}

/** Parses a decimal amount ("-12.50", or "1.234,56" with a format) into canonical form. */
export function parseAmount(text: string, format: AmountFormat = {}): string {
  let cleaned = text.trim();
  const grouping = format.thousandsSeparator;
  if (grouping && cleaned.includes(grouping)) {
    // Separators only between groups of three integer digits: "1.50,00" with "." grouping is a
    // file in another number format, and reading it as 150 would be a silent factor of 100.
    const grouped = new RegExp(`^[+-]?\\d{1,3}(?:${escapeRegExp(grouping)}\\d{3})+(?:${escapeRegExp(format.decimalSeparator ?? '.')}\\d*)?$`);
    if (!grouped.test(cleaned)) throw new AmountError(`"${text}" is not an amount: expected digit groups of three between "${grouping}" separators`);
    cleaned = cleaned.split(grouping).join('');
  }
  if (format.decimalSeparator === ',') {
    if (cleaned.includes('.')) throw new AmountError(`"${text}" is not an amount: expected a decimal comma, found a point`);
    cleaned = cleaned.replace(',', '.');
  }
  const match = DECIMAL.exec(cleaned);
  if (!match) throw new AmountError(`"${text}" is not an amount: expected digits with an optional sign and decimal separator`);
  const [, sign, integer, fraction = ''] = match;
  const digits = integer!.replace(/^0+(?=\d)/, '');
  const decimals = fraction.replace(/0+$/, '');
  if (digits.length > MAX_INTEGER_DIGITS) throw new AmountError(`"${text}" is too large: at most ${MAX_INTEGER_DIGITS} digits before the decimal separator`);
  if (decimals.length > MAX_FRACTION_DIGITS) throw new AmountError(`"${text}" has more than ${MAX_FRACTION_DIGITS} decimals`);
  return fromScaled({ units: BigInt(`${sign === '-' ? '-' : ''}${digits}${decimals}`), scale: decimals.length });
}

/** a + b, exactly. */
export function addAmounts(a: string, b: string): string {
  const [x, y] = aligned(toScaled(a), toScaled(b));
  return fromScaled({ units: x.units + y.units, scale: x.scale });
}

export function sumAmounts(amounts: Iterable<string>): string {
  let total = '0';
  for (const amount of amounts) total = addAmounts(total, amount);
  return total;
}

export function negateAmount(amount: string): string {
  const { units, scale } = toScaled(amount);
  return fromScaled({ units: -units, scale });
}

/** Negative, zero or positive, as a < b, a = b, a > b. */
export function compareAmounts(a: string, b: string): number {
  const [x, y] = aligned(toScaled(a), toScaled(b));
  return x.units < y.units ? -1 : x.units > y.units ? 1 : 0;
}

/** Digits after the decimal point per ISO 4217; 2 for every currency not listed. */
const CURRENCY_DECIMALS: Record<string, number> = {
  BHD: 3, BIF: 0, CLF: 4, CLP: 0, DJF: 0, GNF: 0, IQD: 3, ISK: 0, JOD: 3, JPY: 0, KMF: 0, KRW: 0, KWD: 3,
  LYD: 3, OMR: 3, PYG: 0, RWF: 0, TND: 3, UGX: 0, UYI: 0, UYW: 4, VND: 0, VUV: 0, XAF: 0, XOF: 0, XPF: 0,
};

export function currencyDecimals(currency: string): number {
  return CURRENCY_DECIMALS[currency.toUpperCase()] ?? 2;
}

/**
 * The amount in the currency's minor units (cents for EUR): exact, or an AmountError when the
 * amount has finer decimals than the currency has.
 */
export function minorUnits(amount: string, currency: string): bigint {
  const { units, scale } = toScaled(amount);
  const decimals = currencyDecimals(currency);
  if (scale > decimals) throw new AmountError(`${amount} ${currency} has more decimals than ${currency} allows (${decimals})`);
  return units * 10n ** BigInt(decimals - scale);
}

/** An amount as the fast path of `amountIdentity` takes it: a minus or not, at most 16 integer digits without leading zeros, at most 4 decimals. */
const PLAIN_AMOUNT = /^(-?)(0|[1-9]\d{0,15})(?:\.(\d{1,4}))?$/;

/**
 * What identifies an amount of a currency, as text: its minor units ("-12.50" EUR is "-1250"),
 * or its canonical decimal when it is finer than the currency's minor unit. The same as
 * `minorUnits(parseAmount(text))`, but the usual amount takes string operations alone (no
 * BigInt): this runs once per bank entry.
 */
export function amountIdentity(text: string, currency: string): string {
  const plain = PLAIN_AMOUNT.exec(text);
  const fraction = plain?.[3]?.replace(/0+$/, '') ?? '';
  const decimals = currencyDecimals(currency);
  if (!plain || fraction.length > decimals) {
    const amount = parseAmount(text);
    try {
      return minorUnits(amount, currency).toString();
    } catch (error) {
      if (error instanceof AmountError) return amount; // finer than the minor unit: the exact decimal identifies it
      throw error;
    }
  }
  const digits = `${plain[2]}${fraction.padEnd(decimals, '0')}`.replace(/^0+(?=\d)/, '');
  return plain[1] && digits !== '0' ? `-${digits}` : digits;
}

/** The inverse of `minorUnits`: 1250n EUR is "12.5" (canonical form). */
export function fromMinorUnits(units: bigint, currency: string): string {
  return fromScaled({ units, scale: currencyDecimals(currency) });
}

/** The amount with exactly the currency's decimals, for display: formatAmount("-12.5", "EUR") = "-12.50". */
export function formatAmount(amount: string, currency: string): string {
  const { units: raw, scale } = toScaled(amount);
  const decimals = Math.max(currencyDecimals(currency), scale);
  const units = raw * 10n ** BigInt(decimals - scale);
  const padded = (units < 0n ? -units : units).toString().padStart(decimals + 1, '0');
  const text = decimals === 0 ? padded : `${padded.slice(0, -decimals)}.${padded.slice(-decimals)}`;
  return units < 0n ? `-${text}` : text;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function toScaled(amount: string): Scaled {
  const match = DECIMAL.exec(amount);
  if (!match) throw new AmountError(`"${amount}" is not an amount`);
  const [, sign, integer, fraction = ''] = match;
  return { units: BigInt(`${sign === '-' ? '-' : ''}${integer}${fraction}`), scale: fraction.length };
}

function aligned(a: Scaled, b: Scaled): [Scaled, Scaled] {
  const scale = Math.max(a.scale, b.scale);
  return [
    { units: a.units * 10n ** BigInt(scale - a.scale), scale },
    { units: b.units * 10n ** BigInt(scale - b.scale), scale },
  ];
}

function fromScaled({ units, scale }: Scaled): string {
  let digits = (units < 0n ? -units : units).toString().padStart(scale + 1, '0');
  let fraction = scale > 0 ? digits.slice(-scale) : '';
  digits = scale > 0 ? digits.slice(0, -scale) : digits;
  fraction = fraction.replace(/0+$/, '');
  const text = fraction ? `${digits}.${fraction}` : digits;
  return units < 0n && text !== '0' ? `-${text}` : text;
}
