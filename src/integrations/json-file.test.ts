/**
 * readJsonFile: the value of `JSON.parse` and the sha256 of the bytes, whether the file is read whole or (past
 * `jsonFileReading.wholeUpTo`, lowered here to 0) parsed as it streams in; a file that is not one JSON value is a
 * SyntaxError either way. Real files in a temporary directory.
 */
import { createHash } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { jsonFileReading, readJsonFile } from './json-file.ts';

let dir: string;
const WHOLE = jsonFileReading.wholeUpTo;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'aduan-json-file-'));
});
afterEach(() => {
  jsonFileReading.wholeUpTo = WHOLE;
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const file = async (text: string | Buffer) => {
  const path = join(dir, `f-${Math.random().toString(36).slice(2)}.json`);
  await writeFile(path, text);
  return path;
};

describe.each([
  ['read whole', WHOLE],
  ['streamed', 0],
])('readJsonFile (%s)', (_name, wholeUpTo) => {
  it.each([
    '{"a":1}',
    '{"a":1}\n',
    '  [1, 2.5, -3e2, "dua", null, true]  ',
    '"teks dengan \\"kutip\\" dan ü"',
    '12',
    JSON.stringify({ reports: Array.from({ length: 3000 }, (_, i) => ({ i, s: `baris ${i} ✓` })) }),
  ])('%s: the value of JSON.parse, the sha256 of the bytes', async (text) => {
    jsonFileReading.wholeUpTo = wholeUpTo;
    const r = await readJsonFile(await file(text));
    expect(r.value).toEqual(JSON.parse(text));
    expect(r.sha256).toBe(createHash('sha256').update(text).digest('hex'));
    expect(r.bytes).toBe(Buffer.byteLength(text));
  });

  it('a UTF-8 byte-order mark is skipped (and hashed)', async () => {
    jsonFileReading.wholeUpTo = wholeUpTo;
    const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('{"a":[1]}')]);
    const r = await readJsonFile(await file(bytes));
    expect(r.value).toEqual({ a: [1] });
    expect(r.sha256).toBe(createHash('sha256').update(bytes).digest('hex'));
  });

  it.each(['', '{"a":', '{"a":1} x', '{"a":1}{"b":2}', 'nul', '<html>'])(
    '%j is not one JSON value: SyntaxError',
    async (text) => {
      jsonFileReading.wholeUpTo = wholeUpTo;
      await expect(readJsonFile(await file(text))).rejects.toThrow(SyntaxError);
    },
  );

  it('a missing file: ENOENT', async () => {
    jsonFileReading.wholeUpTo = wholeUpTo;
    await expect(readJsonFile(join(dir, 'tidak-ada.json'))).rejects.toMatchObject({ code: 'ENOENT' });
  });
});
