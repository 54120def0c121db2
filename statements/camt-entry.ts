import { compareAmounts, sumAmounts } from '../domain/amount.js';
import { defined } from './defined.js';
import { normaliseIban } from '../domain/iban.js';
import { camtError, creditDebit, dateChoice, signed, unsignedAmount } from './camt-values.js';
import type { EntryStatus, StatementEntry } from './model.js';
import { cleanReference, cleanText } from './text.js';
import { find, findAll, textAt, type XmlElement } from './xml-element.js';

// ExternalEntryStatus1Code; FUTR (value at a future date) is not on the balance yet, like PDNG.
const STATUSES = new Map<string, EntryStatus>([['BOOK', 'booked'], ['PDNG', 'pending'], ['INFO', 'info'], ['FUTR', 'pending']]);

/**
 * How a message's entries read their Sts: `missing` is the status of an entry without one,
 * `otherwise` that of an entry whose code is none of ours; without them both are errors.
 */
export interface EntryStatusRule {
  missing?: EntryStatus;
  otherwise?: EntryStatus;
}

/**
 * One Ntry as statement entries: the entry itself, or, when it books a batch whose TxDtls carry
 * amounts that add up to it, one entry per transaction.
 */
export function camtEntries(entry: XmlElement, path: string, statusRule: EntryStatusRule): StatementEntry[] {
  const { amount, currency } = unsignedAmount(entry, path);
  const indicator = creditDebit(entry, path);
  const entryAmount = signed(amount, indicator);
  const reversal = reversalIndicator(entry, path);
  const status = entryStatus(entry, path, statusRule);
  const bookingDate = dateChoice(entry, path, 'BookgDt');
  const valueDate = dateChoice(entry, path, 'ValDt');
  const date = bookingDate ?? (status === 'booked' ? undefined : valueDate);
  if (!date) throw camtError(`${path}/BookgDt`, entry, `missing booking date${status === 'booked' ? '' : ' and value date'}: expected BookgDt/Dt or BookgDt/DtTm`);
  const bankReference = cleanReference(textAt(entry, 'AcctSvcrRef')) ?? cleanReference(textAt(entry, 'NtryRef'));
  const transactions = findAll(entry, 'NtryDtls').flatMap((details) => findAll(details, 'TxDtls'));
  const entryCode = transactionCode(entry);
  const entryInfo = cleanText(textAt(entry, 'AddtlNtryInf'));
  // Entries are object literals of one shape (no spreads, no dropped keys): this runs once per
  // entry of files with 100,000s, and one shape keeps every later read of them fast.
  const split = transactions.length > 1 ? splitAmounts(transactions, path, entryAmount, indicator, currency) : undefined;
  if (!split) {
    const only = transactions.length === 1 ? transactions[0] : undefined;
    const details = only ? transactionDetails(only, indicator, reversal) : NO_DETAILS;
    return [
      {
        status,
        bookingDate: date,
        valueDate,
        amount: entryAmount,
        currency,
        bankReference,
        endToEndId: details.endToEndId,
        mandateId: details.mandateId,
        counterpartyName: details.counterpartyName,
        counterpartyIban: details.counterpartyIban,
        counterpartyAccount: details.counterpartyAccount,
        remittanceInformation: (only && remittance(only)) ?? entryInfo,
        bankTransactionCode: (only && transactionCode(only)) ?? entryCode,
        reversal,
        batch: undefined,
        location: path,
      },
    ];
  }
  return transactions.map((transaction, index) => {
    const details = transactionDetails(transaction, split[index]!.indicator, reversal);
    return {
      status,
      bookingDate: date,
      valueDate,
      amount: split[index]!.amount,
      currency,
      bankReference: cleanReference(textAt(transaction, 'Refs', 'AcctSvcrRef')),
      endToEndId: details.endToEndId,
      mandateId: details.mandateId,
      counterpartyName: details.counterpartyName,
      counterpartyIban: details.counterpartyIban,
      counterpartyAccount: details.counterpartyAccount,
      remittanceInformation: remittance(transaction) ?? entryInfo,
      bankTransactionCode: transactionCode(transaction) ?? entryCode,
      reversal,
      batch: defined({ entryReference: bankReference, index: index + 1, size: transactions.length }),
      location: `${path}/TxDtls[${index + 1}]`,
    };
  });
}

/**
 * The signed amounts of a batch's transactions, when every one has an amount in the entry's
 * currency and they add up to the entry; else undefined and the entry stays whole, so that the
 * statement's balance still adds up (banks leave amounts out, or give them in the instructed
 * currency, or before charges).
 */
function splitAmounts(
  transactions: XmlElement[],
  path: string,
  entryAmount: string,
  entryIndicator: 'CRDT' | 'DBIT',
  currency: string,
): { amount: string; indicator: 'CRDT' | 'DBIT' }[] | undefined {
  const amounts: { amount: string; indicator: 'CRDT' | 'DBIT' }[] = [];
  for (const [index, transaction] of transactions.entries()) {
    const at = `${path}/TxDtls[${index + 1}]`;
    const direct = find(transaction, 'Amt') ? transaction : undefined;
    const detailed = find(transaction, 'AmtDtls', 'TxAmt');
    const holder = direct ?? detailed;
    if (!holder) return undefined;
    const amount = unsignedAmount(holder, direct ? at : `${at}/AmtDtls/TxAmt`);
    if (amount.currency !== currency) return undefined;
    const indicator = creditDebit(transaction, at, entryIndicator);
    amounts.push({ amount: signed(amount.amount, indicator), indicator });
  }
  return compareAmounts(sumAmounts(amounts.map(({ amount }) => amount)), entryAmount) === 0 ? amounts : undefined;
}

/** Counterparty, end-to-end id and mandate of a TxDtls. The counterparty is the creditor of a debit and the debtor of a credit; a reversal names the parties of the payment it reverses. */
type TransactionDetails = Pick<StatementEntry, 'endToEndId' | 'mandateId' | 'counterpartyName' | 'counterpartyIban' | 'counterpartyAccount'>;
const NO_DETAILS: TransactionDetails = {};

function transactionDetails(transaction: XmlElement, indicator: 'CRDT' | 'DBIT', reversal: boolean): TransactionDetails {
  const role = (indicator === 'CRDT') !== reversal ? 'Dbtr' : 'Cdtr';
  const parties = find(transaction, 'RltdPties');
  const party = find(parties, role);
  const ultimate = find(parties, `Ultmt${role}`);
  // .001.08 and later wrap the party: Dbtr/Pty/Nm; earlier versions: Dbtr/Nm.
  const name = cleanText(textAt(party, 'Pty', 'Nm') ?? textAt(party, 'Nm') ?? textAt(ultimate, 'Pty', 'Nm') ?? textAt(ultimate, 'Nm'));
  const accountId = find(parties, `${role}Acct`, 'Id');
  const ibanText = textAt(accountId, 'IBAN');
  const iban = ibanText === undefined ? undefined : normaliseIban(ibanText);
  const otherAccount = iban ? undefined : (ibanText ?? textAt(accountId, 'Othr', 'Id'));
  return {
    endToEndId: cleanReference(textAt(transaction, 'Refs', 'EndToEndId')),
    mandateId: cleanReference(textAt(transaction, 'Refs', 'MndtId')),
    counterpartyName: name,
    counterpartyIban: iban,
    counterpartyAccount: otherAccount,
  };
}

/** Unstructured lines joined with a space; else the structured creditor references; else the additional transaction information. */
function remittance(transaction: XmlElement): string | undefined {
  const information = find(transaction, 'RmtInf');
  const unstructured = findAll(information, 'Ustrd').map((line) => line.text.trim());
  const structured = findAll(information, 'Strd').map((part) => textAt(part, 'CdtrRefInf', 'Ref') ?? '');
  return cleanText(unstructured.join(' ')) ?? cleanText(structured.join(' ')) ?? cleanText(textAt(transaction, 'AddtlTxInf'));
}

/** ISO Domain-Family-SubFamily (PMNT-RCDT-ESCT), else the proprietary code. */
function transactionCode(element: XmlElement): string | undefined {
  const code = find(element, 'BkTxCd');
  const domain = find(code, 'Domn');
  if (domain) {
    const parts = [textAt(domain, 'Cd'), textAt(domain, 'Fmly', 'Cd'), textAt(domain, 'Fmly', 'SubFmlyCd')];
    if (parts.every(Boolean)) return parts.join('-');
  }
  return textAt(code, 'Prtry', 'Cd');
}

function entryStatus(entry: XmlElement, path: string, rule: EntryStatusRule): EntryStatus {
  const element = find(entry, 'Sts');
  // Older versions write the code as text (<Sts>BOOK</Sts>), later ones wrap it (<Sts><Cd>BOOK</Cd></Sts>).
  const code = element && (textAt(element, 'Cd') ?? textAt(element, 'Prtry') ?? (element.text.trim() || undefined));
  if (!element || code === undefined) {
    if (rule.missing ?? rule.otherwise) return (rule.missing ?? rule.otherwise)!;
    throw camtError(`${path}/Sts`, element ?? entry, 'missing entry status: expected Sts with BOOK, PDNG or INFO');
  }
  const status = STATUSES.get(code) ?? rule.otherwise;
  if (!status) throw camtError(`${path}/Sts`, element, `unknown entry status "${code}": expected BOOK, PDNG, INFO or FUTR`);
  return status;
}

function reversalIndicator(entry: XmlElement, path: string): boolean {
  const text = textAt(entry, 'RvslInd');
  if (text === undefined || text === 'false' || text === '0') return false;
  if (text === 'true' || text === '1') return true;
  throw camtError(`${path}/RvslInd`, find(entry, 'RvslInd')!, `RvslInd "${text}" is not a boolean: expected true or false`);
}
