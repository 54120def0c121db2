import { StatementFormatError } from './errors.js';

/** Receives the elements and text of an XML document, in order, as the tokenizer reads them. */
export interface XmlHandler {
  open(name: string, attributes: Readonly<Record<string, string>>, line: number): void;
  close(name: string): void;
  /** Character data inside an element, entities resolved; white-space-only runs are left out. */
  text(text: string): void;
  /** Where the reader is, for error messages ("Stmt[1]/Ntry[3]"). */
  path(): string;
}

const NAME = '[A-Za-z_][\\w.-]*(?::[A-Za-z_][\\w.-]*)?';
const START_TAG = new RegExp(`<(${NAME})((?:\\s+${NAME}\\s*=\\s*(?:"[^"<]*"|'[^'<]*'))*)\\s*(/?)>`, 'y');
const END_TAG = new RegExp(`</(${NAME})\\s*>`, 'y');
const ATTRIBUTE = new RegExp(`(${NAME})\\s*=\\s*(?:"([^"<]*)"|'([^'<]*)')`, 'g');
const REFERENCE = /&(?:(amp|lt|gt|quot|apos)|#([0-9]+)|#x([0-9a-fA-F]+));|&/g;
// Characters XML 1.0 forbids anywhere (C0 controls other than tab, line feed, carriage return).
// eslint-disable-next-line no-control-regex -- finding these control characters is the point
const FORBIDDEN_CHARACTER = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/;
const NAMED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
/** Most elements have no attributes: they share one empty, frozen record. */
export const NO_ATTRIBUTES: Readonly<Record<string, string>> = Object.freeze(Object.create(null));
/** A single text run or tag longer than this is not a bank statement but a broken or hostile file. */
const MAX_TOKEN = 1 << 20;

const GREATER_THAN = 0x3e;

/** Where a NAME without a prefix that starts at `start` ends, or -1 when there is none (anything unusual is left to the patterns). */
function plainNameEnd(text: string, start: number): number {
  const first = text.charCodeAt(start);
  // [A-Za-z_]
  if (!((first >= 0x41 && first <= 0x5a) || (first >= 0x61 && first <= 0x7a) || first === 0x5f)) return -1;
  let at = start + 1;
  for (;;) {
    const code = text.charCodeAt(at);
    // [\w.-]
    if ((code >= 0x41 && code <= 0x5a) || (code >= 0x61 && code <= 0x7a) || (code >= 0x30 && code <= 0x39) || code === 0x5f || code === 0x2e || code === 0x2d) at++;
    else return at;
  }
}

/**
 * A streaming, non-validating XML 1.0 tokenizer for the subset bank messages use: elements,
 * attributes, text, the five predefined and numeric character references, CDATA, comments and
 * processing instructions. It checks well-formedness (names, nesting, attribute syntax,
 * references, one root) and refuses a DOCTYPE (no entity tricks). Memory: the unread rest of the
 * current chunk plus one unfinished token.
 */
export class XmlTokenizer {
  private buffer = '';
  private position = 0;
  private line = 1;
  private lineStart = 0;
  /** The first line feed not counted yet, or -1: looked up once per line, not once per tag (a file on one line is common). */
  private nextLineFeed = -1;
  private readonly open: string[] = [];
  private rootSeen = false;

  constructor(private readonly handler: XmlHandler) {}

  write(chunk: string): void {
    this.countLines(this.position);
    this.buffer = this.buffer.slice(this.position) + chunk;
    this.lineStart -= this.position;
    this.position = 0;
    this.nextLineFeed = this.buffer.indexOf('\n', Math.max(0, this.lineStart));
    this.read(false);
  }

  end(): void {
    this.read(true);
    if (!this.rootSeen) throw this.error('the file holds no XML element');
    if (this.open.length > 0) throw this.error(`the file ends inside <${this.open.at(-1)}>: expected </${this.open.at(-1)}> (truncated file?)`);
  }

  private read(final: boolean): void {
    const buffer = this.buffer;
    while (this.position < buffer.length) {
      const lt = buffer.indexOf('<', this.position);
      if (lt === -1) {
        if (!final) return this.waitForMore(buffer.length - this.position, 'text');
        this.characters(buffer.slice(this.position));
        this.position = buffer.length;
        return;
      }
      if (lt > this.position) this.characters(buffer.slice(this.position, lt));
      this.position = lt;
      this.countLines(lt);
      const end = this.markup(lt, final);
      if (end === undefined) return this.waitForMore(buffer.length - lt, 'markup');
      this.position = end;
    }
  }

  /** Handles the markup at `lt`; returns where it ends, or undefined when it is not complete yet. */
  private markup(lt: number, final: boolean): number | undefined {
    const buffer = this.buffer;
    const next = buffer[lt + 1];
    if (next === undefined) return this.incomplete(final, 'the middle of a tag');
    if (next === '?') return this.skipTo(lt, '?>', final, 'processing instruction');
    if (next === '!') {
      if (buffer.startsWith('<!--', lt)) return this.skipTo(lt, '-->', final, 'comment');
      if (buffer.startsWith('<![CDATA[', lt)) {
        const end = buffer.indexOf(']]>', lt + 9);
        if (end === -1) return this.incomplete(final, 'a CDATA section that is not closed');
        this.characters(buffer.slice(lt + 9, end), true);
        return end + 3;
      }
      if (buffer.length - lt < 9 && !final) return undefined;
      if (buffer.startsWith('<!DOCTYPE', lt)) throw this.error('a DOCTYPE is not allowed in a bank statement');
      throw this.error(`unexpected "${buffer.slice(lt, lt + 9)}": expected a comment or CDATA section`);
    }
    // The usual end tag, exactly the </Name> of the open element, needs no pattern.
    const expected = this.open.at(-1);
    if (next === '/' && expected !== undefined && buffer.startsWith(expected, lt + 2) && buffer[lt + 2 + expected.length] === '>') {
      this.endTag(expected);
      return lt + 3 + expected.length;
    }
    // The usual start tag, a name and ">", needs no pattern either.
    const nameEnd = next === '/' ? -1 : plainNameEnd(buffer, lt + 1);
    if (nameEnd !== -1 && buffer.charCodeAt(nameEnd) === GREATER_THAN) {
      this.startTag(buffer.slice(lt + 1, nameEnd), '', false);
      return nameEnd + 1;
    }
    const pattern = next === '/' ? END_TAG : START_TAG;
    pattern.lastIndex = lt;
    const match = pattern.exec(buffer);
    if (!match) {
      // A tag cannot contain "<": when another one follows, this one is malformed, not unfinished.
      if (buffer.indexOf('<', lt + 1) === -1 && buffer.indexOf('>', lt) === -1) return this.incomplete(final, 'the middle of a tag');
      const what = next === '/' ? 'end tag' : 'start tag';
      throw this.error(`malformed ${what} "${buffer.slice(lt, Math.min(buffer.length, lt + 40)).split('\n')[0]}": expected ${next === '/' ? '</Name>' : '<Name attribute="value">'}`);
    }
    if (next === '/') this.endTag(match[1]!);
    else this.startTag(match[1]!, match[2]!, match[3] === '/');
    return pattern.lastIndex;
  }

  private startTag(name: string, attributeText: string, selfClosing: boolean): void {
    if (this.open.length === 0 && this.rootSeen) throw this.error(`<${name}> after the end of the root element: expected the end of the file`);
    this.rootSeen = true;
    // No prototype: an attribute named "constructor" or "__proto__" is just an attribute.
    const attributes: Record<string, string> = attributeText ? Object.create(null) : NO_ATTRIBUTES;
    if (attributeText) {
      for (const [, attribute, double, single] of attributeText.matchAll(ATTRIBUTE)) {
        if (attribute! in attributes) throw this.error(`attribute ${attribute} appears twice in <${name}>`);
        attributes[attribute!] = this.resolve(double ?? single ?? '');
      }
    }
    this.open.push(name);
    this.handler.open(name, attributes, this.line);
    if (selfClosing) this.endTag(name);
  }

  private endTag(name: string): void {
    const expected = this.open.at(-1);
    if (expected !== name) {
      throw this.error(expected ? `</${name}> where </${expected}> was expected` : `</${name}> without a matching start tag`);
    }
    this.handler.close(name);
    this.open.pop();
  }

  private characters(raw: string, cdata = false): void {
    if (this.open.length === 0) {
      if (raw.trim()) throw this.error(`text "${raw.trim().slice(0, 20)}" outside the root element: expected only XML markup`);
      return;
    }
    if (FORBIDDEN_CHARACTER.test(raw)) throw this.error(`control character U+${raw.match(FORBIDDEN_CHARACTER)![0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')} is not allowed in XML`);
    const text = cdata ? raw : this.resolve(raw);
    if (text.trim()) this.handler.text(text);
  }

  private resolve(raw: string): string {
    if (!raw.includes('&')) return raw;
    return raw.replace(REFERENCE, (reference, name?: string, decimal?: string, hex?: string) => {
      if (name) return NAMED[name]!;
      const code = decimal !== undefined ? Number(decimal) : hex !== undefined ? parseInt(hex, 16) : NaN;
      if (Number.isNaN(code)) throw this.error(`"&" that does not start a character reference: expected &amp;, &lt;, &gt;, &quot;, &apos; or &#number;`);
      const valid = code === 0x9 || code === 0xa || code === 0xd || (code >= 0x20 && code <= 0xd7ff) || (code >= 0xe000 && code <= 0xfffd) || (code >= 0x10000 && code <= 0x10ffff);
      if (!valid) throw this.error(`character reference ${reference} is not a character XML allows`);
      return String.fromCodePoint(code);
    });
  }

  private skipTo(lt: number, terminator: string, final: boolean, what: string): number | undefined {
    const end = this.buffer.indexOf(terminator, lt + 2);
    return end === -1 ? this.incomplete(final, `a ${what} that is not closed`) : end + terminator.length;
  }

  private incomplete(final: boolean, what: string): undefined {
    if (final) throw this.error(`the file ends in ${what} (truncated file?)`);
    return undefined;
  }

  private waitForMore(length: number, what: string): void {
    if (length > MAX_TOKEN) throw this.error(`${what} longer than ${MAX_TOKEN} characters without a "<": not a bank statement`);
  }

  private countLines(upTo: number): void {
    while (this.nextLineFeed !== -1 && this.nextLineFeed < upTo) {
      this.line++;
      this.lineStart = this.nextLineFeed + 1;
      this.nextLineFeed = this.buffer.indexOf('\n', this.lineStart);
    }
  }

  private error(detail: string): StatementFormatError {
    this.countLines(this.position);
    const column = this.position - this.lineStart + 1;
    return new StatementFormatError(`${detail} (column ${column})`, { location: this.handler.path(), line: this.line });
  }
}
