/**
 * The open-data snapshot at scale, as publishing an evaluation makes it: build the document from the statistics read
 * model, write it (`writeOpenDataSnapshot`), read it back (`readSnapshotFile`). Prints each step's time, the file's
 * size and rows, and the heap. Run on the database kept by `BENCH_KEEP=1 npm run bench:open311` after
 * `aduan stats refresh --full`:
 *
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/aduan_bench_open311 ADUAN_SECRET_KEY=<64 hex> \
 *     /usr/bin/time -f '%e s %M KB' npx tsx bench/open-data-snapshot.ts [DIR]
 *
 * DIR (default: a new temporary directory, removed at the end) receives the file.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../src/config.ts';
import { openRuntime } from '../src/runtime.ts';
import { buildOpenDataSnapshot, type CountedReport } from '../src/queries/open-data-snapshot.ts';
import { writeOpenDataSnapshot } from '../src/commands/snapshot-open-data.ts';
import { readSnapshotFile } from '../src/commands/publish-evaluation.ts';

const heap = () => `${Math.round(process.memoryUsage().heapUsed / 2 ** 20)} MB heap`;
const dir = process.argv[2] ?? (await mkdtemp(join(tmpdir(), 'aduan-bench-snapshot-')));
const rt = await openRuntime(loadConfig({ ...process.env, LOG_LEVEL: 'silent' }), { skipSetup: true });
const svc = rt.services;
const t0 = Date.now();
// In a function of its own, as in publishing, so that the built document is garbage once written.
async function write() {
  const counted: CountedReport[] = [];
  const doc = await buildOpenDataSnapshot(svc.db, svc.now(), counted);
  console.log(`built: ${Date.now() - t0} ms, ${doc.reports.length} rows, ${heap()}`);
  return writeOpenDataSnapshot(svc, dir, doc, counted);
}
try {
  const w = await write();
  console.log(`written: ${Date.now() - t0} ms, ${w.bytes} bytes, sha256 ${w.sha256}`);
  const { doc } = await readSnapshotFile(w.path, w.sha256);
  console.log(`read back: ${Date.now() - t0} ms, ${doc.reports.length} rows, ${heap()}`);
} finally {
  await rt.close();
  if (!process.argv[2]) await rm(dir, { recursive: true, force: true });
}
