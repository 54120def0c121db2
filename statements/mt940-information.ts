import { defined } from './defined.js';
import { normaliseIban } from '../domain/iban.js';
import type { Mt940Dialect } from './mt940-dialects.js';
import { cleanReference, cleanText } from './text.js';

/** What a :86: information-to-account-owner field says about a transaction. */
export interface TransactionInformation {
  counterpartyName?: string;
  counterpartyIban?: string;
  counterpartyAccount?: string;
  remittanceInformation?: string;
  endToEndId?: string;
  mandateId?: string;
  /** German business transaction code (GVC), e.g. 166 for a SEPA credit transfer. */
  businessCode?: string;
}

/**
 * Reads a :86: field in one of three styles:
 * - German DFÜ subfields: a 3-digit business transaction code, then `?00` booking text, `?20`–`?29`
 *   and `?60`–`?63` purpose, `?30` bank code, `?31` account, `?32`/`?33` name (some banks use `>`
 *   instead of `?`); the purpose may carry SEPA keywords (EREF+, SVWZ+, ...);
 * - SWIFT slash codes: `/NAME/.../IBAN/.../REMI/.../EREF/...` (also `/ORDP//NAME/`, `/BENM//NAME/`, `/CNTP/iban/bic/name/city/`);
 * - free text.
 * Structured values are wrapped at fixed widths, often inside words, so their lines are joined
 * without a separator (and 27-character DFÜ subfields that are full, too); free-text lines are
 * joined with a space.
 */
export function transactionInformation(lines: string[], credit: boolean, dialects: Set<Mt940Dialect>): TransactionInformation {
  const joined = lines.join('');
  const german = /^(\d{3})?([?>])\d{2}/.exec(joined);
  if (german) {
    dialects.add('german-86');
    return germanSubfields(joined.slice(german[1] ? 3 : 0), german[2]!, german[1]);
  }
  if (/^\/[A-Z]{2,4}\//.test(joined)) {
    dialects.add('slash-codes-86');
    return slashCodes(joined, credit);
  }
  return defined({ remittanceInformation: cleanText(lines.join(' ')) });
}

function germanSubfields(text: string, separator: string, businessCode: string | undefined): TransactionInformation {
  const subfields = new Map<number, string>();
  for (const part of text.split(separator === '?' ? /\?(?=\d{2})/ : />(?=\d{2})/).slice(1)) {
    const code = Number(part.slice(0, 2));
    subfields.set(code, (subfields.get(code) ?? '') + part.slice(2));
  }
  const purpose = joinWrapped([20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 60, 61, 62, 63].map((code) => subfields.get(code) ?? ''));
  const sepa = sepaKeywords(purpose);
  // ?31 holds an IBAN, or a national account number whose bank code (BLZ) is in ?30.
  const account = subfields.get(31)?.trim();
  const bankCode = subfields.get(30)?.trim();
  const parts = accountParts(account);
  return defined({
    counterpartyIban: parts.counterpartyIban,
    counterpartyAccount: parts.counterpartyAccount && bankCode && /^\d{8}$/.test(bankCode) ? `${bankCode}/${parts.counterpartyAccount}` : parts.counterpartyAccount,
    counterpartyName: cleanText(joinWrapped([subfields.get(32) ?? '', subfields.get(33) ?? ''])) ?? cleanText(sepa.get('ABWA')),
    remittanceInformation: cleanText(sepa.size > 0 ? (sepa.get('SVWZ') ?? purpose) : purpose),
    endToEndId: cleanReference(sepa.get('EREF')),
    mandateId: cleanReference(sepa.get('MREF')),
    businessCode,
  });
}

/** DFÜ text subfields hold 27 characters: a full one was cut (often inside a word) and continues without a gap; a shorter one ended. */
function joinWrapped(parts: string[]): string {
  let text = '';
  let continues = true;
  for (const part of parts.filter(Boolean)) {
    text += continues ? part : ` ${part}`;
    continues = part.length >= 27;
  }
  return text;
}

// A keyword is not part of a word: "KREF+" inside "ABCKREF+" is text.
const SEPA_KEYWORD = /(?<![A-Za-z])(EREF|KREF|MREF|CRED|DEBT|SVWZ|ABWA|ABWE|COAS|OAMT|IBAN|BIC)\+/g;

/**
 * SEPA purpose keywords (EREF+..., SVWZ+...), each value up to the next keyword; an empty map when
 * there are none. Most banks start the purpose with one; some put text before them (a PayPal
 * direct debit in wolph/mt940 pull request #80 starts with the payee's name and the booking text),
 * which stays out of every value. The mandate (MREF+) has a value of its own and stays out of the
 * SVWZ text, as camt.053 keeps it in its own element: the same payment from either file is stored once.
 */
function sepaKeywords(purpose: string): Map<string, string> {
  const values = new Map<string, string>();
  const text = purpose.trimStart();
  const matches = [...text.matchAll(SEPA_KEYWORD)];
  matches.forEach((match, index) => {
    const end = matches[index + 1]?.index ?? text.length;
    if (!values.has(match[1]!)) values.set(match[1]!, text.slice(match.index + match[0].length, end));
  });
  return values;
}

// Every code the Dutch banks document (Rabobank also writes TRCD, EXCH and INIT): an unknown one would run into the value before it.
const SLASH_CODE = /\/(TRTP|TRCD|IBAN|BIC|NAME|REMI|EREF|CSID|MARF|ORDP|BENM|INIT|CNTP|ULTC|ULTD|ULTB|PURP|RTRN|ADDR|PREF|ISDT|ID|CHGS|OCMT|EXCH|KREF|MREF|SVCL|BUSP)\//g;

function slashCodes(text: string, credit: boolean): TransactionInformation {
  const matches = [...text.matchAll(SLASH_CODE)];
  const names: { ordering?: string; beneficiary?: string; initiating?: string; plain?: string } = {};
  const values = new Map<string, string>();
  let party: 'ordering' | 'beneficiary' | 'initiating' | undefined;
  matches.forEach((match, index) => {
    const code = match[1]!;
    const value = text.slice(match.index + match[0].length, matches[index + 1]?.index ?? text.length).replace(/\/+$/, '');
    // /ORDP//NAME/x/, /BENM//NAME/x/ and /INIT//NAME/x/ (the initiating party, never the counterparty) nest the name under the party code.
    if (code === 'ORDP' || code === 'BENM' || code === 'INIT') party = code === 'ORDP' ? 'ordering' : code === 'BENM' ? 'beneficiary' : 'initiating';
    else if (code === 'NAME') names[party ?? 'plain'] ??= value;
    else if (code !== 'ID' && code !== 'ADDR') party = undefined;
    if (!values.has(code)) values.set(code, value);
  });
  // /CNTP/account/bic/name/city/: the counterparty by position.
  const counterparty = values.get('CNTP')?.split('/');
  const name = (credit ? names.ordering : names.beneficiary) ?? names.plain ?? counterparty?.[2];
  const remittance = values.get('REMI')?.replace(/^(?:USTD\/\/?|STRD\/(?:CUR|ISO)\/)/, '');
  return defined({
    ...accountParts(values.get('IBAN') ?? counterparty?.[0]),
    counterpartyName: cleanText(name),
    remittanceInformation: cleanText(remittance),
    endToEndId: cleanReference(values.get('EREF')),
    // ING and Rabobank write the mandate as /MARF/; MREF is the German keyword some banks carry over.
    mandateId: cleanReference(values.get('MARF') ?? values.get('MREF')),
  });
}

function accountParts(account: string | undefined): Pick<TransactionInformation, 'counterpartyIban' | 'counterpartyAccount'> {
  const trimmed = account?.trim();
  if (!trimmed) return {};
  const iban = normaliseIban(trimmed);
  return iban ? { counterpartyIban: iban } : { counterpartyAccount: trimmed };
}

