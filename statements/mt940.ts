import { defined } from './defined.js';
import { StatementFormatError } from './errors.js';
import { LineSplitter } from './lines.js';
import type { Balance, StatementEntry, StatementEvent, StatementHeader } from './model.js';
import { accountField, balanceField, fieldError, singleLine, statementLineField, type Field, type StatementLine } from './mt940-fields.js';
import { transactionInformation } from './mt940-information.js';
import { cleanText } from './text.js';

/**
 * Reads MT940 customer statements line by line: plain files (messages separated by "-" or just by
 * the next :20:) and SWIFT FIN files ({1:...}{2:...}{4: ... -}). Each message is one statement;
 * a :61: entry is complete when the field after it (its :86: or the next tag) arrives.
 */
export async function* parseMt940(text: AsyncIterable<string>): AsyncGenerator<StatementEvent> {
  const reader = new Mt940Reader();
  const lines = new LineSplitter();
  yield { kind: 'file', format: 'mt940' };
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
  started: boolean;
  entry?: { line: StatementLine; at: number };
  closing?: Balance;
  available?: Balance;
}

const TAG = /^:(\d{2}[A-Z]?|NS):/;
const MT942_TAGS = new Set(['13D', '34F', '90D', '90C']);

class Mt940Reader {
  private events: StatementEvent[] = [];
  private field: Field | undefined;
  private statement: Statement | undefined;
  /** Inside a SWIFT block 4 ({4: ... -}). */
  private inBlock = false;
  private statements = 0;
  private lastLine = 0;

  take(): StatementEvent[] {
    const events = this.events;
    this.events = [];
    return events;
  }

  line(text: string, number: number): void {
    this.lastLine = number;
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
    const rest = trimmed.slice(block4 + 3);
    if (rest) this.line(rest, number);
  }

  private finishField(): void {
    const field = this.field;
    if (!field) return;
    this.field = undefined;
    if (field.tag === '20') {
      this.statement = { reference: singleLine(field, 'the transaction reference'), line: field.line, started: false };
      this.statements++;
      return;
    }
    const statement = this.statement;
    if (!statement) throw fieldError(field, 'comes before any :20: transaction reference: expected a message to start with :20:');
    if (MT942_TAGS.has(field.tag)) throw fieldError(field, 'belongs to MT942 interim transaction reports, which are not supported: expected an MT940 statement');
    switch (field.tag) {
      case '21':
      case 'NS':
        return;
      case '25':
      case '25P':
        statement.account = accountField(field);
        return;
      case '28C':
      case '28':
        statement.sequence = singleLine(field, 'the statement number');
        return;
      case '60F':
      case '60M':
        if (statement.started) throw fieldError(field, 'the opening balance comes after entries: expected it before the first :61:');
        statement.opening = balanceField(field);
        return;
      case '61':
        this.startEntries(statement, field);
        this.flushEntry(statement);
        statement.entry = { line: statementLineField(field), at: field.line };
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
        throw fieldError(field, 'is not an MT940 field: expected :20:, :21:, :25:, :28C:, :60F:/:60M:, :61:, :86:, :62F:/:62M:, :64: or :65:');
    }
  }

  /** The statement header is complete at the first :61: or the closing balance. */
  private startEntries(statement: Statement, field: Field): void {
    if (statement.started) {
      if (statement.closing) throw fieldError(field, 'comes after the closing balance: expected the next message to start with :20:');
      return;
    }
    if (!statement.account) throw fieldError(field, 'comes before the account :25:: expected :25: after :20:');
    if (!statement.opening) throw fieldError(field, 'comes before the opening balance: expected :60F: or :60M: first');
    statement.started = true;
    const header = defined<StatementHeader>({
      statementId: statement.sequence ? `${statement.reference}/${statement.sequence}` : statement.reference,
      sequenceNumber: statement.sequence,
      account: { ...statement.account, currency: statement.opening.currency },
      openingBalance: statement.opening,
    });
    this.events.push({ kind: 'statement', statement: header });
  }

  private flushEntry(statement: Statement, information?: string[]): void {
    const pending = statement.entry;
    if (!pending) return;
    statement.entry = undefined;
    const { line } = pending;
    const details = information ? transactionInformation(information, line.credit) : {};
    const entry: StatementEntry = {
      status: 'booked',
      bookingDate: line.bookingDate,
      valueDate: line.valueDate,
      amount: line.amount,
      currency: statement.opening!.currency,
      bankReference: line.bankReference,
      endToEndId: details.endToEndId,
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

  private sameCurrency(statement: Statement, field: Field, balance: Balance): Balance {
    const currency = statement.opening?.currency;
    if (currency && balance.currency !== currency) throw fieldError(field, `balance in ${balance.currency} in a statement in ${currency}: expected ${currency}`);
    return balance;
  }

  private finishStatement(): void {
    const statement = this.statement;
    if (!statement) return;
    this.statement = undefined;
    if (!statement.closing) {
      throw new StatementFormatError(`the statement :20:${statement.reference} has no closing balance: expected :62F: or :62M: (truncated file?)`, {
        location: `line ${statement.line}`,
        line: statement.line,
      });
    }
    this.events.push(defined({ kind: 'statementEnd', closingBalance: statement.closing, closingAvailableBalance: statement.available }));
  }

  private error(line: number, detail: string): StatementFormatError {
    return new StatementFormatError(detail, { location: `line ${line}`, line });
  }
}
