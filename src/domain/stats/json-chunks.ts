/**
 * `JSON.stringify(doc)` as a sequence of chunks, with one array property written a batch of items at a time, so a
 * document larger than V8's largest string (about 512 MB: an open-data snapshot of about a million reports) can be
 * written and hashed. The chunks joined are exactly `JSON.stringify(doc)`: same key order, properties whose value is
 * `undefined` (or a function) left out, an `undefined` item of the array written as `null`.
 */

/** What `JSON.stringify` writes for an array item (`undefined` and functions become `null`). */
function itemJson(v: unknown): string {
  return JSON.stringify(v) ?? 'null';
}

/**
 * The chunks of `JSON.stringify(doc)` for a plain object `doc`: each property but `arrayKey` in one chunk, the array
 * under `arrayKey` in chunks of `batch` items.
 */
export function* jsonChunks(
  doc: Readonly<Record<string, unknown>>,
  arrayKey: string,
  batch = 1000,
): Generator<string> {
  let first = true;
  yield '{';
  for (const [key, value] of Object.entries(doc)) {
    if (key === arrayKey && Array.isArray(value)) {
      yield `${first ? '' : ','}${JSON.stringify(key)}:[`;
      for (let i = 0; i < value.length; i += batch) {
        const items = value.slice(i, i + batch).map(itemJson);
        yield (i === 0 ? '' : ',') + items.join(',');
      }
      yield ']';
      first = false;
      continue;
    }
    const json = JSON.stringify(value) as string | undefined;
    if (json === undefined) continue;
    yield `${first ? '' : ','}${JSON.stringify(key)}:${json}`;
    first = false;
  }
  yield '}';
}
