import { NO_ATTRIBUTES } from './xml-tokenizer.js';

/** A small element tree for one piece of a camt document (a group header, a statement header, an entry), by local names. */
export interface XmlElement {
  /** The local name: namespace prefixes are dropped, so any prefix or namespace matches. */
  name: string;
  attributes: Readonly<Record<string, string>>;
  children: XmlElement[];
  text: string;
  line: number;
}

export function localName(qualifiedName: string): string {
  const colon = qualifiedName.indexOf(':');
  return colon === -1 ? qualifiedName : qualifiedName.slice(colon + 1);
}

/** Builds element trees from tokenizer events: `start` a piece, then feed it until `close` says it is complete. */
export class XmlTreeBuilder {
  private readonly open: XmlElement[] = [];

  get building(): boolean {
    return this.open.length > 0;
  }

  start(name: string, attributes: Readonly<Record<string, string>>, line: number): XmlElement {
    const element: XmlElement = { name, attributes: localAttributes(attributes), children: [], text: '', line };
    this.open.at(-1)?.children.push(element);
    this.open.push(element);
    return element;
  }

  text(text: string): void {
    const element = this.open.at(-1);
    if (element) element.text += text;
  }

  /** Closes the innermost element; returns it when it was the root of the piece. */
  close(): XmlElement | undefined {
    const element = this.open.pop();
    return this.open.length === 0 ? element : undefined;
  }

  /** Stops building the current piece (its root stays as it is). */
  abandon(): void {
    this.open.length = 0;
  }
}

function localAttributes(attributes: Readonly<Record<string, string>>): Readonly<Record<string, string>> {
  if (attributes === NO_ATTRIBUTES) return attributes;
  const local: Record<string, string> = Object.create(null);
  for (const [name, value] of Object.entries(attributes)) if (!name.startsWith('xmlns')) local[localName(name)] = value;
  return local;
}

/** The first child element with this local name, following a path of names. */
export function find(element: XmlElement | undefined, ...path: string[]): XmlElement | undefined {
  let current = element;
  for (const name of path) {
    if (!current) return undefined;
    const children: XmlElement[] = current.children;
    current = undefined;
    for (const child of children) {
      if (child.name === name) {
        current = child;
        break;
      }
    }
  }
  return current;
}

export function findAll(element: XmlElement | undefined, name: string): XmlElement[] {
  return element ? element.children.filter((child) => child.name === name) : [];
}

/** The trimmed text at the path, or undefined when the element is absent or empty. */
export function textAt(element: XmlElement | undefined, ...path: string[]): string | undefined {
  const text = find(element, ...path)?.text.trim();
  return text ? text : undefined;
}
