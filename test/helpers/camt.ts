import { addAmounts, sumAmounts } from '../../domain/amount.js';
import type { ProviderTransaction } from '../../providers/provider.js';

/** One entry of a generated camt.053 statement. */
export interface CamtEntry {
  bookingDate: string;
  valueDate?: string;
  /** Signed, debits negative. */
  amount: string;
  status?: 'BOOK' | 'PDNG';
  /** AcctSvcrRef: the bank's own id. */
  reference?: string;
  endToEndId?: string;
  mandateId?: string;
  counterpartyName?: string;
  counterpartyIban?: string;
  remittanceInformation?: string;
}

/** A camt entry of a transaction as the feed reads it, without the bank's reference: only its content can recognise it. */
export function camtEntryOf(entry: ProviderTransaction): CamtEntry {
  return {
    bookingDate: entry.bookingDate,
    valueDate: entry.valueDate ?? undefined,
    amount: entry.amount,
    endToEndId: entry.endToEndId ?? undefined,
    mandateId: entry.mandateId ?? undefined,
    counterpartyName: entry.counterpartyName ?? undefined,
    counterpartyIban: entry.counterpartyIban ?? undefined,
    remittanceInformation: entry.remittanceInformation ?? undefined,
  };
}

export interface CamtStatement {
  id: string;
  /** The statement's account, when not the file's (a company's file holds statements of several). */
  iban?: string;
  currency?: string;
  opening: string;
  /** Opening + the booked entries when absent (then `entries` must be an array). */
  closing?: string;
  date?: string;
  entries: Iterable<CamtEntry>;
}

export interface CamtFile {
  iban: string;
  currency: string;
  messageId: string;
  statements: CamtStatement[];
}

const escape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const unsigned = (amount: string) => amount.replace(/^-/, '');
const indicator = (amount: string) => (amount.startsWith('-') ? 'DBIT' : 'CRDT');

function balance(code: string, amount: string, currency: string, date: string): string {
  return `<Bal><Tp><CdOrPrtry><Cd>${code}</Cd></CdOrPrtry></Tp><Amt Ccy="${currency}">${unsigned(amount)}</Amt><CdtDbtInd>${indicator(amount)}</CdtDbtInd><Dt><Dt>${date}</Dt></Dt></Bal>`;
}

function refs(entry: CamtEntry): string {
  const endToEnd = entry.endToEndId ? `<EndToEndId>${escape(entry.endToEndId)}</EndToEndId>` : '';
  const mandate = entry.mandateId ? `<MndtId>${escape(entry.mandateId)}</MndtId>` : '';
  return endToEnd || mandate ? `<Refs>${endToEnd}${mandate}</Refs>` : '';
}

export function camtEntry(entry: CamtEntry, currency: string): string {
  const debit = entry.amount.startsWith('-');
  const party = entry.counterpartyName ? `<${debit ? 'Cdtr' : 'Dbtr'}><Pty><Nm>${escape(entry.counterpartyName)}</Nm></Pty></${debit ? 'Cdtr' : 'Dbtr'}>` : '';
  const account = entry.counterpartyIban ? `<${debit ? 'CdtrAcct' : 'DbtrAcct'}><Id><IBAN>${entry.counterpartyIban}</IBAN></Id></${debit ? 'CdtrAcct' : 'DbtrAcct'}>` : '';
  return (
    `<Ntry><Amt Ccy="${currency}">${unsigned(entry.amount)}</Amt><CdtDbtInd>${indicator(entry.amount)}</CdtDbtInd><Sts><Cd>${entry.status ?? 'BOOK'}</Cd></Sts>` +
    `<BookgDt><Dt>${entry.bookingDate}</Dt></BookgDt>${entry.valueDate ? `<ValDt><Dt>${entry.valueDate}</Dt></ValDt>` : ''}` +
    `${entry.reference ? `<AcctSvcrRef>${escape(entry.reference)}</AcctSvcrRef>` : ''}` +
    `<NtryDtls><TxDtls>${refs(entry)}` +
    `${party || account ? `<RltdPties>${party}${account}</RltdPties>` : ''}` +
    `${entry.remittanceInformation ? `<RmtInf><Ustrd>${escape(entry.remittanceInformation)}</Ustrd></RmtInf>` : ''}</TxDtls></NtryDtls></Ntry>\n`
  );
}

/** A camt.053.001.08 file as text chunks, generated as it is read (so a 100 MB file is never held whole). */
export function* camtFile(file: CamtFile): Generator<string> {
  yield `<?xml version="1.0" encoding="UTF-8"?>\n<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.08"><BkToCstmrStmt>` +
    `<GrpHdr><MsgId>${escape(file.messageId)}</MsgId><CreDtTm>2025-01-01T00:00:00</CreDtTm></GrpHdr>\n`;
  for (const statement of file.statements) {
    const date = statement.date ?? '2025-01-01';
    const { iban = file.iban, currency = file.currency } = statement;
    const closing =
      statement.closing ??
      addAmounts(statement.opening, sumAmounts([...(statement.entries as CamtEntry[])].filter((entry) => (entry.status ?? 'BOOK') === 'BOOK').map((entry) => entry.amount)));
    yield `<Stmt><Id>${escape(statement.id)}</Id><Acct><Id><IBAN>${iban}</IBAN></Id><Ccy>${currency}</Ccy></Acct>` +
      balance('OPBD', statement.opening, currency, date) +
      balance('CLBD', closing, currency, date) +
      '\n';
    let chunk = '';
    for (const entry of statement.entries) {
      chunk += camtEntry(entry, currency);
      if (chunk.length > 64 * 1024) {
        yield chunk;
        chunk = '';
      }
    }
    yield `${chunk}</Stmt>\n`;
  }
  yield '</BkToCstmrStmt></Document>\n';
}

/** The whole generated file as one string (small files). */
export const camtText = (file: CamtFile) => [...camtFile(file)].join('');
