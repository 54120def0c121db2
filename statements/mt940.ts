import { defined } from './defined.js';
import { StatementFormatError } from './errors.js';
import { LineSplitter } from './lines.js';
import type { Balance, StatementEntry, StatementEvent, StatementHeader } from './model.js';
import {
  accountField,
  balanceField,
  dateTimeField,
  entrySumField,
  fieldError,
  floorLimitField,
  singleLine,
  statementLineField,
  statementNumberField,
  type Field,
  type StatementLine,
} from './mt940-fields.js';
import { dialectList, type Mt940Dialect } from './mt940-dialects.js';
import { transactionInformation } from './mt940-information.js';
import { cleanText } from './text.js';

/**
 * Reads MT940 customer statements, or MT942 interim transaction reports, line by line: plain files
 * (messages separated by "-" or just by the next :20:) and SWIFT FIN files ({1:...}{2:...}{4: ... -}),
 * framed or not. Each message is one statement; a :61: entry is complete when the field after it
 * (its :86: or the next tag) arrives.
 *
 * MT942 entries are pending. The standard marks expected entries EC/ED and calls C/D entries
 * debited or credited, but German banks deliver the entries they have not booked yet as MT942 with
 * C/D marks (FinTS: MT940 for booked turnover, MT942 for the rest), so a mark cannot tell; and every
 * entry of an interim report comes again, booked, in the day's MT940 or camt.053, which is the one
 * to store. An MT942 has no opening or closing balance (some banks add them; they are read then).
 * Whether a message is an MT942 is told by its fields (a file may hold both kinds); `format` only
 * names the file.
 */
export async function* parseMt940(text: AsyncIterable<string>, format: 'mt940' | 'mt942' = 'mt940'): AsyncGenerator<StatementEvent> {
  const reader = new Mt940Reader();
  const lines = new LineSplitter();
  yield { kind: 'file', format };
  for await (const chunk of text) {
    for (const line of lines.write(chunk)) reader.line(line.text, line.number);
    yield* reader.take();
  }
  for (const line of lines.end()) reader.line(line.text, line.number);
  reader.end();
  yield* reader.take();
}

interface Statement {
  reference: string;
  line: number;
  sequence?: string;
  account?: StatementHeader['account'];
  opening?: Balance;
  /** MT942: the currency of the floor limit :34F:, and the day of the report :13D: (its text in the statement id). */
  floorCurrency?: string;
  reportedAt?: { date: string; text: string };
  /** An MT942 message: it had :34F: or :13D: before its entries. */
  interim: boolean;
  started: boolean;
  entry?: { line: StatementLine; at: number };
  closing?: Balance;
  available?: Balance;
  /** How the message departs from the SWIFT layout, as far as it was read. */
  dialects: Set<Mt940Dialect>;
}

const TAG = /^:(\d{2}[A-Z]?|NS):/;

/** SWIFT interfaces frame each FIN message with SOH (0x01) before {1: and ETX (0x03) after its trailer. */
const SOH = '\u0001';
const ETX = '\u0003';

class Mt940Reader {
  private events: StatementEvent[] = [];
  private field: Field | undefined;
  private statement: Statement | undefined;
  /** Inside a SWIFT block 4 ({4: ... -}). */
  private inBlock = false;
  private statements = 0;
  private lastLine = 0;
  /** Dialects of what came before a message (its framing, block headers, a preamble): the next message's. */
  private dialectsBefore = new Set<Mt940Dialect>();

  take(): StatementEvent[] {
    const events = this.events;
    this.events = [];
    return events;
  }

  line(raw: string, number: number): void {
    this.lastLine = number;
    // ETX ends the message read so far; SOH comes before the {1: of the next one.
    if (raw.includes(ETX)) this.dialects().add('swift-framing');
    this.text(raw.replaceAll(SOH, '').replaceAll(ETX, ''), number);
    if (raw.includes(SOH)) this.dialects().add('swift-framing');
  }

  private text(text: string, number: number): void {
    const tag = TAG.exec(text);
    if (tag) {
      this.finishField();
      this.field = { tag: tag[1]!, lines: [text.slice(tag[0].length)], line: number };
      if (tag[1] === '20') this.finishStatement();
      return;
    }
    const trimmed = text.trim();
    if (!trimmed) return;
    if (this.field && trimmed !== '-' && !trimmed.startsWith('-}')) {
      this.field.lines.push(text);
      return;
    }
    if (trimmed.startsWith('-')) return this.endOfMessage(trimmed, number);
    if (trimmed.startsWith('{')) return this.blockHeader(trimmed, number);
    // Text outside a message is a bank's preamble (ABN AMRO writes "ABNANL2A" and "940" lines before each message).
    this.dialects().add('preamble');
  }

  end(): void {
    this.finishField();
    if (this.inBlock) throw new StatementFormatError('the file ends inside a SWIFT block 4: expected "-}" (truncated file?)', { location: `line ${this.lastLine}`, line: this.lastLine });
    this.finishStatement();
    if (this.statements === 0) throw new StatementFormatError('no MT940 statement found: expected a message starting with :20:', { location: 'line 1', line: 1 });
  }

  /** "-" ends a plain message; "-}" ends a SWIFT block 4 (a trailer {5:...} and the next message's {1:... may follow on the line). */
  private endOfMessage(trimmed: string, number: number): void {
    if (trimmed !== '-' && !trimmed.startsWith('-}')) throw this.error(number, `"${trimmed.slice(0, 30)}" outside a field: expected a tag such as :61:, or "-" to end the message`);
    if (trimmed.startsWith('-}') && !this.inBlock) throw this.error(number, '"-}" closes a SWIFT block 4 that was not opened with {4:');
    if (!this.statement) throw this.error(number, `"${trimmed}" ends a message that has no :20:`);
    this.finishField();
    this.finishStatement();
    this.inBlock = false;
    const next = trimmed.indexOf('{1:');
    if (next !== -1) this.blockHeader(trimmed.slice(next), number);
  }

  /** {1:...}{2:...}{3:...}{4: opens a SWIFT message; its fields follow on the next lines. */
  private blockHeader(trimmed: string, number: number): void {
    const block4 = trimmed.indexOf('{4:');
    if (block4 === -1) return;
    if (this.inBlock) throw this.error(number, 'a new SWIFT block 4 before the previous one ended with "-}"');
    this.inBlock = true;
    this.dialects().add('swift-blocks');
    const rest = trimmed.slice(block4 + 3);
    if (rest) this.text(rest, number);
  }

  private finishField(): void {
    const field = this.field;
    if (!field) return;
    this.field = undefined;
    if (field.tag === '20') {
      this.statement = { reference: singleLine(field, 'the transaction reference'), line: field.line, started: false, interim: false, dialects: this.dialectsBefore };
      this.dialectsBefore = new Set();
      this.statements++;
      return;
    }
    const statement = this.statement;
    if (!statement) throw fieldError(field, 'comes before any :20: transaction reference: expected a message to start with :20:');
    switch (field.tag) {
      case '21':
      case 'NS':
        return;
      case '25':
      case '25P':
        if (statement.started) throw fieldError(field, `the account comes after the entries of the statement :20:${statement.reference}: expected :25: after :20:, before the first :61:`);
        if (statement.account) throw fieldError(field, `a second account in the statement :20:${statement.reference}: expected one :25: per message`);
        statement.account = accountField(field);
        return;
      case '28C':
      case '28':
        statement.sequence = statementNumberField(field, statement.dialects);
        return;
      case '34F':
        this.beforeEntries(statement, field, 'the floor limit');
        statement.floorCurrency ??= floorLimitField(field).currency;
        return;
      case '13D':
        this.beforeEntries(statement, field, 'the date-time indication');
        statement.reportedAt = { date: dateTimeField(field), text: singleLine(field, 'the date-time indication') };
        return;
      case '90D':
      case '90C':
        this.startEntries(statement, field);
        if (!statement.interim) throw fieldError(field, 'sums of entries belong to MT942 interim reports: expected :34F: and :13D: before the entries of an MT942, or :62F: to end an MT940');
        this.flushEntry(statement);
        this.sameCurrency(statement, field, entrySumField(field), 'sum of entries');
        return;
      case '60F':
      case '60M':
        this.beforeEntries(statement, field, 'the opening balance');
        statement.opening = balanceField(field);
        return;
      case '61':
        this.startEntries(statement, field);
        this.flushEntry(statement);
        statement.entry = { line: statementLineField(field, { interim: statement.interim, dialects: statement.dialects }), at: field.line };
        return;
      case '86':
        // After a :61: it describes that entry; after the closing balance it is about the statement.
        if (statement.entry) this.flushEntry(statement, field.lines);
        return;
      case '62F':
      case '62M':
        this.startEntries(statement, field);
        this.flushEntry(statement);
        statement.closing = this.sameCurrency(statement, field, balanceField(field));
        return;
      case '64':
        statement.available = this.sameCurrency(statement, field, balanceField(field));
        return;
      case '65':
        this.sameCurrency(statement, field, balanceField(field));
        return;
      default:
        throw fieldError(field, 'is not an MT940 or MT942 field: expected :20:, :21:, :25:, :28C:, :34F:, :13D:, :60F:/:60M:, :61:, :86:, :62F:/:62M:, :64:, :65:, :90D: or :90C:');
    }
  }

  private beforeEntries(statement: Statement, field: Field, what: string): void {
    if (statement.started) throw fieldError(field, `${what} comes after entries: expected it before the first :61:`);
  }

  /** The statement header is complete at the first :61:, the sums (MT942) or the closing balance. */
  private startEntries(statement: Statement, field: Field): void {
    if (statement.started) {
      if (statement.closing) throw fieldError(field, 'comes after the closing balance: expected the next message to start with :20:');
      return;
    }
    if (!statement.account) throw fieldError(field, 'comes before the account :25:: expected :25: after :20:');
    statement.interim = statement.floorCurrency !== undefined || statement.reportedAt !== undefined;
    const currency = statement.opening?.currency ?? statement.floorCurrency;
    if (!currency) throw fieldError(field, statement.interim ? 'comes before the floor limit: expected :34F: first' : 'comes before the opening balance: expected :60F: or :60M: first');
    if (statement.opening && statement.floorCurrency && statement.floorCurrency !== currency) {
      throw fieldError(field, `the floor limit :34F: is in ${statement.floorCurrency}, the opening balance in ${currency}: expected one currency`);
    }
    statement.started = true;
    const id = statement.sequence ? `${statement.reference}/${statement.sequence}` : statement.reference;
    const header = defined<StatementHeader>({
      // Interim reports repeat their :20:/:28C: during a day: the time of the report tells them apart.
      statementId: statement.reportedAt ? `${id}@${statement.reportedAt.text}` : id,
      sequenceNumber: statement.sequence,
      account: { ...statement.account, currency },
      openingBalance: statement.opening,
      toDate: statement.reportedAt?.date,
    });
    this.events.push({ kind: 'statement', statement: header });
  }

  private flushEntry(statement: Statement, information?: string[]): void {
    const pending = statement.entry;
    if (!pending) return;
    statement.entry = undefined;
    const { line } = pending;
    const details = information ? transactionInformation(information, line.credit, statement.dialects) : {};
    const entry: StatementEntry = {
      status: statement.interim ? 'pending' : 'booked',
      bookingDate: line.bookingDate,
      valueDate: line.valueDate,
      amount: line.amount,
      currency: statement.opening?.currency ?? statement.floorCurrency!,
      bankReference: line.bankReference,
      endToEndId: details.endToEndId,
      mandateId: details.mandateId,
      counterpartyName: details.counterpartyName,
      counterpartyIban: details.counterpartyIban,
      counterpartyAccount: details.counterpartyAccount,
      remittanceInformation: details.remittanceInformation ?? cleanText(line.supplementaryDetails),
      bankTransactionCode: details.businessCode ? `${line.typeCode}+${details.businessCode}` : line.typeCode,
      reversal: line.reversal,
      batch: undefined,
      location: `line ${pending.at}`,
    };
    this.events.push({ kind: 'entry', entry });
  }

  private sameCurrency<T extends { currency: string }>(statement: Statement, field: Field, balance: T, what = 'balance'): T {
    const currency = statement.opening?.currency ?? statement.floorCurrency;
    if (currency && balance.currency !== currency) throw fieldError(field, `${what} in ${balance.currency} in a statement in ${currency}: expected ${currency}`);
    return balance;
  }

  private finishStatement(): void {
    const statement = this.statement;
    if (!statement) return;
    this.statement = undefined;
    if (statement.floorCurrency !== undefined || statement.reportedAt !== undefined) {
      // A report without entries or sums still says the account had nothing new.
      if (!statement.started) this.startEntries(statement, { tag: '20', lines: [statement.reference], line: statement.line });
      this.flushEntry(statement);
      this.events.push(this.statementEnd(statement));
      return;
    }
    if (!statement.closing) {
      throw new StatementFormatError(`the statement :20:${statement.reference} has no closing balance: expected :62F: or :62M: (truncated file?)`, {
        location: `line ${statement.line}`,
        line: statement.line,
      });
    }
    this.events.push(this.statementEnd(statement));
  }

  private statementEnd(statement: Statement): StatementEvent {
    const dialects = statement.dialects.size > 0 ? dialectList(statement.dialects) : undefined;
    return defined({ kind: 'statementEnd', closingBalance: statement.closing, closingAvailableBalance: statement.available, dialects });
  }

  /** Where a dialect seen now belongs: the message being read, else the next one. */
  private dialects(): Set<Mt940Dialect> {
    return this.statement?.dialects ?? this.dialectsBefore;
  }

  private error(line: number, detail: string): StatementFormatError {
    return new StatementFormatError(detail, { location: `line ${line}`, line });
  }
}
