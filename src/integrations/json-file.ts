/**
 * Reads a JSON file of any size, with the sha256 of its bytes. The bytes are parsed as they are read
 * (@streamparser/json), never held as one string: `JSON.parse` needs the whole text as a string, and V8's largest
 * string (about 512 MB) is smaller than an open-data snapshot of about a million reports.
 */
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { readFile, rm, stat } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { JSONParser } from '@streamparser/json';

/**
 * Files up to this many bytes are read whole and given to `JSON.parse` (about 5 times faster than the streaming
 * parser); larger ones are parsed as they are read. A setting only so that a test can send a small file through the
 * streaming parser.
 */
export const jsonFileReading = { wholeUpTo: 256 * 1024 * 1024 };

/** What `readJsonFile` read: the parsed value, the sha256 (hex) of the bytes and their number. */
export interface JsonFile {
  value: unknown;
  sha256: string;
  bytes: number;
}

/**
 * The file's JSON value (the same as `JSON.parse` of its text, a UTF-8 byte-order mark and surrounding whitespace
 * allowed) and the sha256 of its bytes. A file that is not one JSON value throws a `SyntaxError`.
 */
export async function readJsonFile(path: string): Promise<JsonFile> {
  if ((await stat(path)).size <= jsonFileReading.wholeUpTo) {
    const buf = await readFile(path);
    const text = buf.toString('utf8');
    return {
      value: JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text) as unknown,
      sha256: createHash('sha256').update(buf).digest('hex'),
      bytes: buf.length,
    };
  }
  const hash = createHash('sha256');
  const parser = new JSONParser({ paths: ['$'], keepStack: false });
  let value: unknown;
  let parsed = false;
  parser.onValue = ({ value: v }) => {
    value = v;
    parsed = true;
  };
  let bytes = 0;
  let start = true;
  for await (const chunk of createReadStream(path) as AsyncIterable<Buffer>) {
    hash.update(chunk);
    bytes += chunk.length;
    let data = chunk;
    if (start && data[0] === 0xef && data[1] === 0xbb && data[2] === 0xbf) data = data.subarray(3);
    start = false;
    try {
      parser.write(data);
    } catch (e) {
      // Bytes after the value: whitespace is ignored by the parser; anything else is not JSON.
      throw new SyntaxError(`not one JSON value: ${(e as Error).message}`);
    }
  }
  // A number at the very end is complete only at the end of the input.
  if (!parser.isEnded && bytes > 0) {
    try {
      parser.end();
    } catch {
      // An unfinished value: reported below.
    }
  }
  if (!parsed) throw new SyntaxError(bytes === 0 ? 'empty file' : 'unexpected end of JSON');
  return { value, sha256: hash.digest('hex'), bytes };
}

/**
 * Writes the chunks to a new file at `path` (refused if it exists), returning the sha256 (hex) of the bytes and their
 * number. On an error the file is removed.
 */
export async function writeJsonFile(
  path: string,
  chunks: Iterable<string>,
): Promise<{ sha256: string; bytes: number }> {
  const hash = createHash('sha256');
  let bytes = 0;
  function* hashed() {
    for (const chunk of chunks) {
      const buf = Buffer.from(chunk);
      hash.update(buf);
      bytes += buf.length;
      yield buf;
    }
  }
  try {
    await pipeline(Readable.from(hashed()), createWriteStream(path, { flags: 'wx' }));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') await rm(path, { force: true });
    throw e;
  }
  return { sha256: hash.digest('hex'), bytes };
}
