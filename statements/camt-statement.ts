import { defined } from './defined.js';
import { normaliseIban } from '../domain/iban.js';
import { camtError, creditDebit, currencyCode, dateChoice, dateValue, requiredText, signed, unsignedAmount } from './camt-values.js';
import type { CamtFormat } from './camt.js';
import type { Balance, FileEvent, StatementEndEvent, StatementHeader } from './model.js';
import { cleanText } from './text.js';
import { find, findAll, textAt, type XmlElement } from './xml-element.js';

/** GrpHdr: the message id and creation time. */
export function camtFileEvent(groupHeader: XmlElement, format: CamtFormat, version: string | undefined): FileEvent {
  const messageId = requiredText(groupHeader, 'GrpHdr', 'MsgId', 'message id');
  const createdAt = requiredText(groupHeader, 'GrpHdr', 'CreDtTm', 'creation date-time');
  dateValue(find(groupHeader, 'CreDtTm')!, 'GrpHdr/CreDtTm');
  return defined({ kind: 'file', format, messageId, createdAt, version });
}

/**
 * A report's header (Stmt, Rpt or Ntfctn: its elements before the first Ntry): the statement event
 * and the balances its end reports. An intraday report's ITBD/ITAV and a notification's missing
 * balances leave opening or closing undefined: such a report is not balance-checked.
 */
export function camtStatement(statement: XmlElement, path: string): { header: StatementHeader; end: StatementEndEvent } {
  const statementId = requiredText(statement, path, 'Id', 'statement Id');
  const sequenceNumber = textAt(statement, 'ElctrncSeqNb') ?? textAt(statement, 'LglSeqNb');
  const balances = camtBalances(statement, path);
  const opening = balances.get('OPBD') ?? balances.get('PRCD');
  const period = find(statement, 'FrToDt');
  const fromDate = period && find(period, 'FrDtTm') ? dateValue(find(period, 'FrDtTm')!, `${path}/FrToDt/FrDtTm`) : undefined;
  const toDate = period && find(period, 'ToDtTm') ? dateValue(find(period, 'ToDtTm')!, `${path}/FrToDt/ToDtTm`) : undefined;
  const header = defined<StatementHeader>({
    statementId,
    sequenceNumber,
    account: camtAccount(statement, path, opening?.currency),
    openingBalance: opening,
    fromDate,
    toDate,
  });
  return {
    header,
    end: defined<StatementEndEvent>({ kind: 'statementEnd', closingBalance: balances.get('CLBD'), closingAvailableBalance: balances.get('CLAV') }),
  };
}

function camtAccount(statement: XmlElement, path: string, balanceCurrency: string | undefined): StatementHeader['account'] {
  const account = find(statement, 'Acct');
  if (!account) throw camtError(`${path}/Acct`, statement, 'missing Acct: expected the account of the statement');
  const id = find(account, 'Id');
  const ibanText = textAt(id, 'IBAN');
  const otherId = textAt(id, 'Othr', 'Id');
  if (ibanText === undefined && otherId === undefined) throw camtError(`${path}/Acct/Id`, id ?? account, 'missing account id: expected Id/IBAN or Id/Othr/Id');
  const iban = ibanText === undefined ? undefined : normaliseIban(ibanText);
  if (ibanText !== undefined && !iban) throw camtError(`${path}/Acct/Id/IBAN`, find(id, 'IBAN')!, `"${ibanText}" is not a valid IBAN (check digits do not match)`);
  const currencyText = textAt(account, 'Ccy');
  const currency = currencyText === undefined ? balanceCurrency : currencyCode(currencyText, `${path}/Acct/Ccy`, find(account, 'Ccy')!);
  const name = cleanText(textAt(account, 'Nm'));
  return defined({ iban, otherId, currency, name });
}

/** Every Bal, validated, by type code (the first of each type wins). */
function camtBalances(statement: XmlElement, path: string): Map<string, Balance> {
  const balances = new Map<string, Balance>();
  findAll(statement, 'Bal').forEach((balance, index) => {
    const at = `${path}/Bal[${index + 1}]`;
    // .001.02 and later: Tp/CdOrPrtry/Cd; .001.01: Tp/Cd. A proprietary type (Prtry) is the bank's own: not one of ours.
    const type = textAt(balance, 'Tp', 'CdOrPrtry', 'Cd') ?? textAt(balance, 'Tp', 'Cd');
    const proprietary = textAt(balance, 'Tp', 'CdOrPrtry', 'Prtry');
    if (!type && !proprietary) throw camtError(`${at}/Tp`, balance, 'missing balance type: expected Tp/CdOrPrtry/Cd such as OPBD or CLBD');
    const { amount, currency } = unsignedAmount(balance, at);
    const date = dateChoice(balance, at, 'Dt');
    if (!date) throw camtError(`${at}/Dt`, balance, 'missing balance date: expected Dt/Dt or Dt/DtTm');
    const indicator = creditDebit(balance, at);
    if (type && !balances.has(type)) balances.set(type, { amount: signed(amount, indicator), currency, date });
  });
  return balances;
}
