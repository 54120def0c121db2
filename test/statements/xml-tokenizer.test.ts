import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { describe, expect, test } from 'vitest';
import { StatementFormatError } from '../../statements/errors.js';
import { localName, XmlTreeBuilder, type XmlElement } from '../../statements/xml-element.js';
import { XmlTokenizer } from '../../statements/xml-tokenizer.js';
import { fixture } from './helpers.js';
import { mutations, seededRandom } from './mutations.js';

/**
 * bankfeed reads camt with its own streaming tokenizer (fast-xml-parser costs 45-65 µs per entry,
 * several times the whole rest of the import). fast-xml-parser is the reference here: whatever
 * the tokenizer accepts, fast-xml-parser accepts too and reads as the same tree.
 */
const reference = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  removeNSPrefix: true,
  parseTagValue: false,
  parseAttributeValue: false,
  htmlEntities: true,
  ignoreDeclaration: true,
  ignorePiTags: true,
});

/** The whole document as one tree, in chunks of `chunkSize` characters. */
function tree(text: string, chunkSize = 1024): XmlElement {
  const builder = new XmlTreeBuilder();
  let root: XmlElement | undefined;
  const tokenizer = new XmlTokenizer({
    open: (name, attributes, line) => void builder.start(localName(name), attributes, line),
    close: () => void (root = builder.close() ?? root),
    text: (value) => builder.text(value),
    path: () => 'document',
  });
  for (let start = 0; start < text.length; start += chunkSize) tokenizer.write(text.slice(start, start + chunkSize));
  tokenizer.end();
  return root!;
}

/** An element in fast-xml-parser's shape: text, or an object of attributes (@name), children (arrays when repeated) and #text. */
function referenceShape(element: XmlElement): unknown {
  const text = element.text.trim();
  const attributes = Object.entries(element.attributes);
  if (element.children.length === 0 && attributes.length === 0) return text;
  const shape: Record<string, unknown> = {};
  for (const [name, value] of attributes) shape[`@${name}`] = value;
  for (const child of element.children) {
    const value = referenceShape(child);
    const existing = shape[child.name];
    shape[child.name] = existing === undefined ? value : Array.isArray(existing) ? [...existing, value] : [existing, value];
  }
  if (text) shape['#text'] = text;
  return shape;
}

/** fast-xml-parser drops namespace declarations and prefixed attributes (xsi:schemaLocation) when it drops prefixes. */
function withoutNamespaceAttributes(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutNamespaceAttributes);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(Object.entries(value).filter(([key]) => !key.startsWith('@xmlns') && key !== '@schemaLocation').map(([key, item]) => [key, withoutNamespaceAttributes(item)]));
}

function agreesWithReference(text: string): void {
  const ours = tree(text);
  expect(XMLValidator.validate(text)).toBe(true);
  expect(withoutNamespaceAttributes({ [ours.name]: referenceShape(ours) })).toEqual(withoutNamespaceAttributes(reference.parse(text)));
}

const FIXTURES = ['camt053-v02-german-bank.xml', 'camt053-v08-prefixed.xml', 'camt053-v13-other-account.xml'];

describe('the XML tokenizer against fast-xml-parser', () => {
  test.each(FIXTURES)('%s reads as the same tree', (name) => agreesWithReference(fixture(name).toString('utf8')));

  test('chunk boundaries anywhere give the same tree', () => {
    const text = fixture('camt053-v08-prefixed.xml').toString('utf8');
    const whole = tree(text, text.length);
    for (const size of [1, 2, 3, 5, 64]) expect(tree(text, size)).toEqual(whole);
  });

  test('each element knows its line, however the text is chunked', () => {
    const text = fixture('camt053-v02-german-bank.xml').toString('utf8');
    const lines = (element: XmlElement): [string, number][] => [[element.name, element.line], ...element.children.flatMap(lines)];
    // The line of each start tag, counted in the text itself.
    const expected = [...text.matchAll(/<(?![?!/])(?:[\w.-]+:)?([\w.-]+)/g)].map((match): [string, number] => [match[1]!, text.slice(0, match.index).split('\n').length]);
    for (const size of [1, 7, 64, text.length]) expect(lines(tree(text, size))).toEqual(expected);
    // A file on one line, as many banks write them.
    expect(new Set(lines(tree(text.replace(/\n/g, ' '), 5)).map(([, line]) => line))).toEqual(new Set([1]));
  });

  test('every mutated fixture the tokenizer accepts is well-formed to fast-xml-parser too, with the same tree', () => {
    const random = seededRandom(20240315);
    let accepted = 0;
    for (let round = 0; round < 600; round++) {
      const source = fixture(FIXTURES[round % FIXTURES.length]!).toString('utf8');
      const mutated = mutations.xml(source, random);
      try {
        tree(mutated);
      } catch (error) {
        expect(error).toBeInstanceOf(StatementFormatError);
        continue;
      }
      accepted++;
      agreesWithReference(mutated);
    }
    // Enough survivors for the comparison to mean something (element deletions and duplications keep documents well-formed).
    expect(accepted).toBeGreaterThan(100);
  });
});
