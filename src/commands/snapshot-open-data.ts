/**
 * Writes the daily open-data snapshot: `<dataDir>/open-data/aduan-open-data-<date>.json` plus a
 * `.sha256` file, and records it so that `/api/v1/open-data/snapshots/latest` serves it. Publishing an
 * evaluation writes one the same way (`writeOpenDataSnapshot`) from the data it evaluates.
 * Why: a fixed, checksummed file is what `aduan evaluate` and outside analysts recompute from.
 */
import { createHash, randomUUID } from 'node:crypto';
import { chmod, mkdir, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
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
import { jsonChunks } from '../domain/stats/json-chunks.ts';
import { writeJsonFile } from '../integrations/json-file.ts';
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

/** A snapshot file being written (`writeOpenDataSnapshot`), before it is renamed to carry its checksum. */
const PARTIAL = /^\.aduan-open-data-.*\.partial$/;

/**
 * Removes the partial files of writes that never finished (the process was killed mid-way: at a million reports each is
 * hundreds of MB), those untouched for an hour; a write still running touches its file all the time.
 */
async function removeAbandonedPartials(dir: string): Promise<void> {
  const before = Date.now() - 3_600_000;
  for (const name of await readdir(dir)) {
    if (!PARTIAL.test(name)) continue;
    const path = join(dir, name);
    const info = await stat(path).catch(() => null);
    if (info && info.mtimeMs < before) await rm(path, { force: true });
  }
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
  await mkdir(dir, { recursive: true });
  await removeAbandonedPartials(dir);
  const stamp = doc.generatedAt.replace(/[:.]/g, '-');
  // Written under a temporary name, hashed as it goes, then renamed to carry its checksum: a reader never sees half a
  // file, and a document past V8's largest string (about a million reports) is never one string.
  const partial = join(dir, `.aduan-open-data-${stamp}-${randomUUID()}.partial`);
  const { sha256, bytes } = await writeJsonFile(
    partial,
    jsonChunks({ ...withTerms(doc, openDataTerms(svc.openData, svc.publicUrl)) }, 'reports'),
  );
  const name = `aduan-open-data-${stamp}-${sha256.slice(0, 8)}.json`;
  const path = join(dir, name);
  // The same document written at the same instant has the same bytes: replacing it changes nothing.
  await rename(partial, path);
  await writeFile(`${path}.sha256`, `${sha256}  ${name}\n`);
  if (counted) {
    // `listed`: the tracking numbers of the rows, so that serving the file knows without reading it whether a report
    // that left the public since is one of its rows (`servedSnapshot`).
    const ledger = {
      format: COUNTED_FORMAT,
      snapshotSha256: sha256,
      reports: counted.map(toCountedRow),
      listed: doc.reports.map((r) => r.trackingId),
    };
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
  return { path, sha256, rows: doc.reports.length, bytes };
}

/** Refreshes the statistics, then writes and records a snapshot in `dataDir`. */
export async function snapshotOpenData(svc: Services, dataDir: string): Promise<SnapshotWritten> {
  await refreshStats(svc);
  const counted: CountedReport[] = [];
  const doc = await buildOpenDataSnapshot(svc.db, svc.now(), counted);
  return writeOpenDataSnapshot(svc, openDataDir(dataDir), doc, counted);
}
