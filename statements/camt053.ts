import { camtEntries } from './camt053-entry.js';
import { camtFileEvent, camtStatement } from './camt053-statement.js';
import { StatementFormatError } from './errors.js';
import type { StatementEndEvent, StatementEvent } from './model.js';
import { localName, XmlTreeBuilder, type XmlElement } from './xml-element.js';
import { XmlTokenizer, type XmlHandler } from './xml-tokenizer.js';

/**
 * Reads a camt.053 (BkToCstmrStmt, versions .001.01 to .001.13) as events while the text streams
 * in. Only one piece is ever held as a tree: the group header, a statement's header (its elements
 * before the first Ntry: Id, Acct, Bal...) or one entry, so memory follows the largest entry, not
 * the file. Elements are matched by local name, whatever their namespace or prefix.
 */
export async function* parseCamt053(text: AsyncIterable<string>): AsyncGenerator<StatementEvent> {
  const reader = new Camt053Reader();
  const tokenizer = new XmlTokenizer(reader);
  for await (const chunk of text) {
    tokenizer.write(chunk);
    yield* reader.take();
  }
  tokenizer.end();
  yield* reader.take();
}

const OTHER_MESSAGES = new Map([
  ['BkToCstmrAcctRpt', 'camt.052 (intraday account report)'],
  ['BkToCstmrDbtCdtNtfctn', 'camt.054 (debit/credit notification)'],
]);

class Camt053Reader implements XmlHandler {
  private events: StatementEvent[] = [];
  /** Local names of the open elements, root first. */
  private readonly names: string[] = [];
  private readonly tree = new XmlTreeBuilder();
  private piece: 'GrpHdr' | 'Stmt' | 'Ntry' | undefined;
  private version: string | undefined;
  private fileSeen = false;
  private statements = 0;
  private entries = 0;
  private statementHeader: XmlElement | undefined;
  private statementEnd: StatementEndEvent | undefined;

  take(): StatementEvent[] {
    const events = this.events;
    this.events = [];
    return events;
  }

  open(qualifiedName: string, attributes: Readonly<Record<string, string>>, line: number): void {
    const name = localName(qualifiedName);
    const depth = this.names.length;
    this.names.push(name);
    if (depth === 3 && name === 'Ntry' && this.names[2] === 'Stmt') {
      if (this.piece === 'Stmt') this.startEntries();
      this.entries++;
      this.startPiece('Ntry', name, attributes, line);
    } else if (this.tree.building) {
      this.tree.start(name, attributes, line);
    } else if (depth === 0) {
      this.version = documentVersion(qualifiedName, attributes, this.path());
    } else if (depth === 1) {
      checkMessage(name, this.path());
    } else if (depth === 2 && name === 'GrpHdr') {
      if (this.fileSeen) throw new StatementFormatError('a second GrpHdr: expected one group header per message', { location: this.path(), line });
      this.startPiece('GrpHdr', name, attributes, line);
    } else if (depth === 2 && name === 'Stmt') {
      this.statements++;
      if (!this.fileSeen) throw new StatementFormatError('missing GrpHdr: expected the group header before the first Stmt', { location: this.path(), line });
      this.entries = 0;
      this.statementHeader = this.startPiece('Stmt', name, attributes, line);
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
    } else if (depth === 2 && this.names[2] === 'Stmt') {
      this.endStatement();
    } else if (depth <= 1 && this.statements === 0) {
      throw new StatementFormatError('the message holds no Stmt: expected at least one statement', { location: this.path() });
    }
    this.names.pop();
  }

  path(): string {
    if (this.names.length <= 2) return this.names.join('/') || 'Document';
    const steps = this.names.slice(2);
    if (steps[0] === 'Stmt') steps[0] = `Stmt[${this.statements}]`;
    if (steps[0]?.startsWith('Stmt') && steps[1] === 'Ntry') steps[1] = `Ntry[${this.entries}]`;
    return steps.join('/');
  }

  private startPiece(piece: 'GrpHdr' | 'Stmt' | 'Ntry', name: string, attributes: Readonly<Record<string, string>>, line: number): XmlElement {
    this.piece = piece;
    return this.tree.start(name, attributes, line);
  }

  private finishPiece(root: XmlElement): void {
    const piece = this.piece;
    this.piece = undefined;
    if (piece === 'GrpHdr') {
      this.events.push(camtFileEvent(root, this.version));
      this.fileSeen = true;
    } else if (piece === 'Ntry') {
      for (const entry of camtEntries(root, this.path())) this.events.push({ kind: 'entry', entry });
    } else if (piece === 'Stmt') {
      this.startEntries();
      this.endStatement();
    }
  }

  /** The statement header is complete at its first Ntry (or its end): balances and account come before the entries in every version. */
  private startEntries(): void {
    this.tree.abandon();
    this.piece = undefined;
    const { header, end } = camtStatement(this.statementHeader!, `Stmt[${this.statements}]`);
    this.statementHeader = undefined;
    this.statementEnd = end;
    this.events.push({ kind: 'statement', statement: header });
  }

  private endStatement(): void {
    this.events.push(this.statementEnd!);
    this.statementEnd = undefined;
  }
}

/** The message version from the root's namespace ("camt.053.001.08"); other ISO 20022 messages are refused by name. */
function documentVersion(qualifiedName: string, attributes: Readonly<Record<string, string>>, path: string): string | undefined {
  const name = localName(qualifiedName);
  const prefix = qualifiedName.includes(':') ? qualifiedName.slice(0, qualifiedName.indexOf(':')) : undefined;
  const namespace = attributes[prefix ? `xmlns:${prefix}` : 'xmlns'];
  const message = namespace?.match(/\b([a-z]{4})\.(\d{3})\.(\d{3})\.(\d{2})\b/);
  if (message && `${message[1]}.${message[2]}` !== 'camt.053') {
    const known = [...OTHER_MESSAGES.values()].find((label) => label.startsWith(`${message[1]}.${message[2]}`));
    throw new StatementFormatError(`${known ?? message[0]} is not a camt.053 bank-to-customer statement: expected the namespace urn:iso:std:iso:20022:tech:xsd:camt.053.001.xx`, { location: path });
  }
  if (name !== 'Document') throw new StatementFormatError(`the root element is <${name}>: expected a camt.053 <Document>`, { location: path });
  return message?.[0];
}

function checkMessage(name: string, path: string): void {
  if (name === 'BkToCstmrStmt') return;
  const other = OTHER_MESSAGES.get(name);
  throw new StatementFormatError(
    other ? `${other} is not supported: upload the camt.053 end-of-day statement` : `<${name}> is not a camt.053 message: expected <BkToCstmrStmt>`,
    { location: path },
  );
}
