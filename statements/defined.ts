/** A copy of the object without its undefined properties: optional fields of file, statement and balance events are absent, never present-but-undefined. */
export function defined<T extends object>(object: T): T {
  const copy: Record<string, unknown> = {};
  for (const key in object) if (object[key] !== undefined) copy[key] = object[key];
  return copy as T;
}
