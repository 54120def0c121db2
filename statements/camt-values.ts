import { AmountError, negateAmount, parseAmount } from '../domain/amount.js';
import { datePart } from './dates.js';
import { StatementFormatError } from './errors.js';
import { find, textAt, type XmlElement } from './xml-element.js';

/** Reading typed values out of camt elements; every failure names the element path and its line. */

export function camtError(path: string, element: XmlElement | undefined, detail: string): StatementFormatError {
  return new StatementFormatError(detail, element ? { location: path, line: element.line } : { location: path });
}

export function requiredText(parent: XmlElement, path: string, name: string, what: string): string {
  const text = textAt(parent, name);
  if (text === undefined) throw camtError(`${path}/${name}`, find(parent, name) ?? parent, `missing ${what}: expected the element ${name} with a value`);
  return text;
}

export function currencyCode(text: string | undefined, path: string, element: XmlElement): string {
  if (text === undefined || !/^[A-Z]{3}$/.test(text)) {
    throw camtError(path, element, `currency ${JSON.stringify(text ?? '')} is not an ISO 4217 code: expected three capital letters such as EUR`);
  }
  return text;
}

/** An `Amt Ccy="EUR"` element, unsigned as the schema has it: { amount, currency }. */
export function unsignedAmount(parent: XmlElement, path: string, name = 'Amt'): { amount: string; currency: string } {
  const element = find(parent, name);
  const at = `${path}/${name}`;
  if (!element) throw camtError(at, parent, `missing amount: expected the element ${name}`);
  const text = element.text.trim();
  let amount: string;
  try {
    amount = parseAmount(text);
  } catch (error) {
    if (error instanceof AmountError) throw camtError(at, element, `${error.message} (camt amounts use a decimal point)`);
    throw error;
  }
  if (amount.startsWith('-') || text.startsWith('-')) throw camtError(at, element, `amount ${text} is negative: camt amounts are unsigned, the sign is in CdtDbtInd`);
  return { amount, currency: currencyCode(element.attributes.Ccy, `${at}/@Ccy`, element) };
}

/** The sibling CdtDbtInd: CRDT or DBIT; `fallback` when the element has none. */
export function creditDebit(parent: XmlElement, path: string, fallback?: 'CRDT' | 'DBIT'): 'CRDT' | 'DBIT' {
  const indicator = textAt(parent, 'CdtDbtInd') ?? fallback;
  if (indicator === 'CRDT' || indicator === 'DBIT') return indicator;
  const element = find(parent, 'CdtDbtInd');
  throw camtError(`${path}/CdtDbtInd`, element ?? parent, indicator === undefined ? 'missing CdtDbtInd: expected CRDT or DBIT' : `unknown CdtDbtInd "${indicator}": expected CRDT or DBIT`);
}

/** The unsigned amount signed by its indicator: debits negative. */
export function signed(amount: string, indicator: 'CRDT' | 'DBIT'): string {
  return indicator === 'DBIT' ? negateAmount(amount) : amount;
}

/** A date choice element (BookgDt, ValDt, Bal/Dt) holding Dt or DtTm: the date part as written, or undefined when absent. */
export function dateChoice(parent: XmlElement, path: string, name: string): string | undefined {
  const choice = find(parent, name);
  if (!choice) return undefined;
  const inner = find(choice, 'Dt') ?? find(choice, 'DtTm');
  if (!inner) throw camtError(`${path}/${name}`, choice, `${name} holds neither Dt nor DtTm`);
  return dateValue(inner, `${path}/${name}/${inner.name}`);
}

/** A Dt or DtTm element's date, validated as a real calendar date. */
export function dateValue(element: XmlElement, path: string): string {
  const text = element.text.trim();
  const date = datePart(text);
  if (!date) throw camtError(path, element, `"${text}" is not a date: expected YYYY-MM-DD (or an ISO date-time) that exists in the calendar`);
  return date;
}
