/**
 * Writes the daily open-data snapshot: `<dataDir>/open-data/aduan-open-data-<date>.json` plus a
 * `.sha256` file, and records it so that `/api/v1/open-data/snapshots/latest` serves it. Publishing an
 * evaluation writes one the same way (`writeOpenDataSnapshot`) from the data it evaluates.
 * Why: a fixed, checksummed file is what `aduan evaluate` and outside analysts recompute from.
 */
import { createHash } from 'node:crypto';
import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Services } from '../app/context.ts';
import { openDataSnapshots } from '../db/schema.ts';
import {
  buildOpenDataSnapshot,
  COUNTED_FORMAT,
  countedPath,
  toCountedRow,
  type CountedReport,
  type OpenDataSnapshot,
  withTerms,
} from '../queries/open-data-snapshot.ts';
import { openDataTerms } from '../domain/stats/open-data-terms.ts';
import { refreshStats } from './refresh-stats.ts';

/** What was written. */
export interface SnapshotWritten {
  path: string;
  sha256: string;
  rows: number;
  bytes: number;
}

/** sha256 (hex) of bytes. */
export function sha256Hex(data: Buffer | string): string {
  return createHash('sha256').update(data).digest('hex');
}

/** The directory of the snapshot files under a data directory. */
export const openDataDir = (dataDir: string) => join(dataDir, 'open-data');

/**
 * Writes `doc` to `<dir>/aduan-open-data-<generatedAt>.json` (+ `.sha256`) and records it in
 * `open_data_snapshots` (created at `doc.generatedAt`). Never overwrites a file. `counted` (from
 * `buildOpenDataSnapshot`): which reports the counters count, written beside the file (`countedPath`, never served)
 * so that a report made rahasia later leaves exactly its own counts (`servedSnapshot`). The file states the licence
 * and publisher it is published under (`withTerms`: ADUAN_OPEN_DATA_LICENSE / _PUBLISHER), so a downloaded copy
 * still says them.
 */
export async function writeOpenDataSnapshot(
  svc: Services,
  dir: string,
  doc: OpenDataSnapshot,
  counted?: readonly CountedReport[],
): Promise<SnapshotWritten> {
  const bytes = Buffer.from(JSON.stringify(withTerms(doc, openDataTerms(svc.openData, svc.publicUrl))));
  const sha256 = sha256Hex(bytes);
  await mkdir(dir, { recursive: true });
  const stamp = doc.generatedAt.replace(/[:.]/g, '-');
  const name = `aduan-open-data-${stamp}-${sha256.slice(0, 8)}.json`;
  const path = join(dir, name);
  await writeFile(path, bytes, { flag: 'wx' }).catch((e: NodeJS.ErrnoException) => {
    if (e.code !== 'EEXIST') throw e; // the same document written at the same instant: same bytes
  });
  await writeFile(`${path}.sha256`, `${sha256}  ${name}\n`);
  if (counted) {
    const ledger = { format: COUNTED_FORMAT, snapshotSha256: sha256, reports: counted.map(toCountedRow) };
    // Which reports were counted is private to the operator (it names report ids by date and area): owner-only, as
    // the key file.
    await writeFile(countedPath(path), JSON.stringify(ledger), { mode: 0o600 });
    await chmod(countedPath(path), 0o600);
  }
  await svc.db.insert(openDataSnapshots).values({
    createdAt: new Date(doc.generatedAt),
    path,
    sha256,
    rows: doc.reports.length,
  });
  return { path, sha256, rows: doc.reports.length, bytes: bytes.length };
}

/** Refreshes the statistics, then writes and records a snapshot in `dataDir`. */
export async function snapshotOpenData(svc: Services, dataDir: string): Promise<SnapshotWritten> {
  await refreshStats(svc);
  const counted: CountedReport[] = [];
  const doc = await buildOpenDataSnapshot(svc.db, svc.now(), counted);
  return writeOpenDataSnapshot(svc, openDataDir(dataDir), doc, counted);
}
