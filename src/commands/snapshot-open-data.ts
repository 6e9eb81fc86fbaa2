/**
 * Writes the daily open-data snapshot: `<dataDir>/open-data/aduan-open-data-<date>.json` plus a
 * `.sha256` file, and records it so that `/api/v1/open-data/snapshots/latest` serves it.
 * Why: a fixed, checksummed file is what `aduan evaluate` and outside analysts recompute from.
 */
import { createHash } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Services } from '../app/context.ts';
import { openDataSnapshots } from '../db/schema.ts';
import { buildOpenDataSnapshot } from '../queries/open-data-snapshot.ts';
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

/** Refreshes the statistics, then writes and records a snapshot in `dataDir`. */
export async function snapshotOpenData(svc: Services, dataDir: string): Promise<SnapshotWritten> {
  await refreshStats(svc);
  const now = svc.now();
  const doc = await buildOpenDataSnapshot(svc.db, now);
  const bytes = Buffer.from(JSON.stringify(doc));
  const sha256 = sha256Hex(bytes);
  const dir = join(dataDir, 'open-data');
  await mkdir(dir, { recursive: true });
  const stamp = now.toISOString().replace(/[:.]/g, '-');
  const path = join(dir, `aduan-open-data-${stamp}.json`);
  await writeFile(path, bytes);
  await writeFile(`${path}.sha256`, `${sha256}  aduan-open-data-${stamp}.json\n`);
  await svc.db.insert(openDataSnapshots).values({ createdAt: now, path, sha256, rows: doc.reports.length });
  return { path, sha256, rows: doc.reports.length, bytes: bytes.length };
}
