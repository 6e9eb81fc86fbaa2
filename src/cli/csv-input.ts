/**
 * Reading an operator's CSV file for a CLI command (`agencies import`, `users invite --csv`, `routing eval`): the
 * bytes from disk through the shared reader (src/commands/csv-reader.ts), with its file-level problems and its
 * windows-1252 notice as locale messages (`csv.error.*`, `csv.notice.*`), printed in one language or in both.
 */
import { readFileSync } from 'node:fs';
import { readCsv, type CsvReadOptions, type CsvTable } from '../commands/csv-reader.ts';
import { t, type Lang } from '../locales/index.ts';

/** A message of the `csv` namespace with its parameters. */
export interface CsvMessage {
  key: string;
  params: Record<string, string | number>;
}

/** The table (with a notice when the file was not UTF-8), or the problem with the file. */
export type CsvFile = { table: CsvTable; notice?: CsvMessage; error?: undefined } | { error: CsvMessage };

/** Reads and parses `file`; never throws for a missing, unreadable, binary or malformed file or a directory. */
export function loadCsvFile(file: string, opts: CsvReadOptions): CsvFile {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return { error: { key: 'csv.error.not_found', params: { file } } };
    if (code === 'EISDIR') return { error: { key: 'csv.error.directory', params: { file } } };
    return { error: { key: 'csv.error.unreadable', params: { file, reason: code ?? String(e) } } };
  }
  const read = readCsv(bytes, opts);
  if (read.problem)
    return {
      error: {
        key: `csv.error.${read.problem.key}`,
        params: { file, header: opts.known.join(','), ...read.problem.params },
      },
    };
  return {
    table: read.table,
    ...(read.table.notUtf8 ? { notice: { key: 'csv.notice.windows_1252', params: { file } } } : {}),
  };
}

/** The message in one language. */
export function csvText(m: CsvMessage, lang: Lang): string {
  return t(lang, m.key, m.params);
}

/** The message in Bahasa Indonesia and English: "… / …". */
export function csvBoth(m: CsvMessage): string {
  return `${csvText(m, 'id')} / ${csvText(m, 'en')}`;
}
