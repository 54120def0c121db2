import { camtEntries, type EntryStatusRule } from './camt-entry.js';
import { camtFileEvent, camtStatement } from './camt-statement.js';
import { StatementFormatError } from './errors.js';
import type { StatementEndEvent, StatementEvent } from './model.js';
import { localName, XmlTreeBuilder, type XmlElement } from './xml-element.js';
import { XmlTokenizer, type XmlHandler } from './xml-tokenizer.js';

export type CamtFormat = 'camt.052' | 'camt.053' | 'camt.054';

/** A bank-to-customer cash management message: what its account reports are called and how their entries' status reads. */
interface CamtMessage {
  format: CamtFormat;
  label: string;
  /** The element of one account's report: a statement, an intraday report, a notification. */
  report: 'Stmt' | 'Rpt' | 'Ntfctn';
  status: EntryStatusRule;
}

const MESSAGES = new Map<string, CamtMessage>([
  ['BkToCstmrStmt', { format: 'camt.053', label: 'camt.053 (end-of-day statement)', report: 'Stmt', status: {} }],
  // An intraday report lists what has happened so far: only what the bank says is booked is booked.
  ['BkToCstmrAcctRpt', { format: 'camt.052', label: 'camt.052 (intraday account report)', report: 'Rpt', status: { otherwise: 'pending' } }],
  // A notification reports a booking unless its status says otherwise.
  ['BkToCstmrDbtCdtNtfctn', { format: 'camt.054', label: 'camt.054 (debit/credit notification)', report: 'Ntfctn', status: { missing: 'booked' } }],
]);

const BY_FORMAT = new Map([...MESSAGES].map(([element, message]) => [message.format, { element, ...message }]));

/**
 * Reads a camt.052, camt.053 or camt.054 (versions .001.01 to .001.13) as events while the text
 * streams in; the message's root element decides which, and `expected` (a format the caller
 * named) must agree. Only one piece is ever held as a tree: the group header, a report's header
 * (its elements before the first Ntry: Id, Acct, Bal...) or one entry, so memory follows the
 * largest entry, not the file. Elements are matched by local name, whatever their namespace or prefix.
 */
export async function* parseCamt(text: AsyncIterable<string>, expected?: CamtFormat): AsyncGenerator<StatementEvent> {
  const reader = new CamtReader(expected);
  const tokenizer = new XmlTokenizer(reader);
  for await (const chunk of text) {
    tokenizer.write(chunk);
    yield* reader.take();
  }
  tokenizer.end();
  yield* reader.take();
}

class CamtReader implements XmlHandler {
  private events: StatementEvent[] = [];
  /** Local names of the open elements, root first. */
  private readonly names: string[] = [];
  private readonly tree = new XmlTreeBuilder();
  private piece: 'GrpHdr' | 'report' | 'Ntry' | undefined;
  private version: string | undefined;
  private message: CamtMessage | undefined;
  private fileSeen = false;
  private reports = 0;
  private entries = 0;
  private reportHeader: XmlElement | undefined;
  private reportEnd: StatementEndEvent | undefined;

  constructor(private readonly expected: CamtFormat | undefined) {}

  take(): StatementEvent[] {
    const events = this.events;
    this.events = [];
    return events;
  }

  open(qualifiedName: string, attributes: Readonly<Record<string, string>>, line: number): void {
    const name = localName(qualifiedName);
    const depth = this.names.length;
    this.names.push(name);
    const report = this.message?.report;
    if (depth === 3 && name === 'Ntry' && this.names[2] === report) {
      if (this.piece === 'report') this.startEntries();
      this.entries++;
      this.startPiece('Ntry', name, attributes, line);
    } else if (this.tree.building) {
      this.tree.start(name, attributes, line);
    } else if (depth === 0) {
      this.version = documentVersion(qualifiedName, attributes, this.expected, this.path());
    } else if (depth === 1) {
      this.message = camtMessage(name, this.version, this.expected, this.path());
    } else if (depth === 2 && name === 'GrpHdr') {
      if (this.fileSeen) throw new StatementFormatError('a second GrpHdr: expected one group header per message', { location: this.path(), line });
      this.startPiece('GrpHdr', name, attributes, line);
    } else if (depth === 2 && name === report) {
      this.reports++;
      if (!this.fileSeen) throw new StatementFormatError(`missing GrpHdr: expected the group header before the first ${report}`, { location: this.path(), line });
      this.entries = 0;
      this.reportHeader = this.startPiece('report', name, attributes, line);
    }
  }

  text(text: string): void {
    this.tree.text(text);
  }

  close(): void {
    const depth = this.names.length - 1;
    if (this.tree.building) {
      const root = this.tree.close();
      if (root) this.finishPiece(root);
    } else if (depth === 2 && this.names[2] === this.message?.report) {
      this.endReport();
    } else if (depth <= 1 && this.reports === 0) {
      const report = this.message?.report ?? 'Stmt';
      throw new StatementFormatError(`the message holds no ${report}: expected at least one ${report === 'Stmt' ? 'statement' : report === 'Rpt' ? 'report' : 'notification'}`, { location: this.path() });
    }
    this.names.pop();
  }

  path(): string {
    if (this.names.length <= 2) return this.names.join('/') || 'Document';
    const steps = this.names.slice(2);
    const report = this.message?.report;
    if (steps[0] === report) steps[0] = `${report}[${this.reports}]`;
    if (steps[0]?.startsWith(`${report}[`) && steps[1] === 'Ntry') steps[1] = `Ntry[${this.entries}]`;
    return steps.join('/');
  }

  private startPiece(piece: 'GrpHdr' | 'report' | 'Ntry', name: string, attributes: Readonly<Record<string, string>>, line: number): XmlElement {
    this.piece = piece;
    return this.tree.start(name, attributes, line);
  }

  private finishPiece(root: XmlElement): void {
    const piece = this.piece;
    this.piece = undefined;
    if (piece === 'GrpHdr') {
      this.events.push(camtFileEvent(root, this.message!.format, this.version));
      this.fileSeen = true;
    } else if (piece === 'Ntry') {
      for (const entry of camtEntries(root, this.path(), this.message!.status)) this.events.push({ kind: 'entry', entry });
    } else if (piece === 'report') {
      this.startEntries();
      this.endReport();
    }
  }

  /** The report header is complete at its first Ntry (or its end): balances and account come before the entries in every version. */
  private startEntries(): void {
    this.tree.abandon();
    this.piece = undefined;
    const { header, end } = camtStatement(this.reportHeader!, `${this.message!.report}[${this.reports}]`);
    this.reportHeader = undefined;
    this.reportEnd = end;
    this.events.push({ kind: 'statement', statement: header });
  }

  private endReport(): void {
    this.events.push(this.reportEnd!);
    this.reportEnd = undefined;
  }
}

const NAMESPACE_EXAMPLE = 'urn:iso:std:iso:20022:tech:xsd:camt.053.001.xx';

/** The message version from the root's namespace ("camt.053.001.08"); other ISO 20022 messages are refused by name. */
function documentVersion(qualifiedName: string, attributes: Readonly<Record<string, string>>, expected: CamtFormat | undefined, path: string): string | undefined {
  const name = localName(qualifiedName);
  const prefix = qualifiedName.includes(':') ? qualifiedName.slice(0, qualifiedName.indexOf(':')) : undefined;
  const namespace = attributes[prefix ? `xmlns:${prefix}` : 'xmlns'];
  const message = namespace?.match(/\b([a-z]{4})\.(\d{3})\.(\d{3})\.(\d{2})\b/);
  if (message && !BY_FORMAT.has(`${message[1]}.${message[2]}` as CamtFormat)) {
    throw new StatementFormatError(`${message[0]} is not a bank-to-customer statement, report or notification: expected a camt.052, camt.053 or camt.054 namespace such as ${NAMESPACE_EXAMPLE}`, { location: path });
  }
  if (name !== 'Document') throw new StatementFormatError(`the root element is <${name}>: expected a camt <Document>`, { location: path });
  if (message) namedFormat(`${message[1]}.${message[2]}` as CamtFormat, expected, path);
  return message?.[0];
}

/** The message under Document; it must be the one the namespace names, and the one the caller expects. */
function camtMessage(name: string, version: string | undefined, expected: CamtFormat | undefined, path: string): CamtMessage {
  const message = MESSAGES.get(name);
  if (!message) {
    throw new StatementFormatError(`<${name}> is not a camt bank-to-customer message: expected <BkToCstmrStmt> (camt.053), <BkToCstmrAcctRpt> (camt.052) or <BkToCstmrDbtCdtNtfctn> (camt.054)`, { location: path });
  }
  if (version && !version.startsWith(message.format)) {
    throw new StatementFormatError(`the namespace names ${version}, but the message is <${name}> (${message.label})`, { location: path });
  }
  namedFormat(message.format, expected, path);
  return message;
}

function namedFormat(format: CamtFormat, expected: CamtFormat | undefined, path: string): void {
  if (expected === undefined || format === expected) return;
  const found = BY_FORMAT.get(format)!;
  throw new StatementFormatError(`the file is ${found.label}, not ${BY_FORMAT.get(expected)!.label}: upload it with the format ${format.replace(".", "")}, or let the format be detected`, { location: path });
}
