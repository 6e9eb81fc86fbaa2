/**
 * CLI for statistics, open data and evaluation:
 *   aduan stats refresh [--full]
 *   aduan open-data snapshot
 *   aduan evaluate --period <id> [--snapshot <file>]
 * `evaluate` recomputes every data indicator from the open-data snapshot file alone (plus the period's
 * weights and rubric scores) and compares the result and input hash with the published one.
 */
import { parseArgs } from 'node:util';
import type { Runtime } from '../runtime.ts';
import { refreshStats } from '../commands/refresh-stats.ts';
import { snapshotOpenData } from '../commands/snapshot-open-data.ts';
import { inputsHash, readSnapshotFile } from '../commands/publish-evaluation.ts';
import { evaluate } from '../domain/evaluation/evaluate.ts';
import { canonicalJson } from '../domain/evaluation/scoring.ts';
import { loadEvaluationConfig, publishedResult } from '../queries/evaluation.ts';
import { latestSnapshot, snapshotBySha256 } from '../queries/open-data-snapshot.ts';
import { say, usageOf } from './messages.ts';

/** Runs one statistics CLI command; returns the exit code. */
export async function statsCli(rt: Runtime, cmd: string, args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      full: { type: 'boolean', default: false },
      period: { type: 'string' },
      snapshot: { type: 'string' },
    },
    allowPositionals: true,
  });
  if (cmd === 'stats') {
    const r = await refreshStats(rt.services, { full: values.full === true });
    console.log(say('stats.refreshed', { reports: r.reports, months: r.months.length, at: r.at }));
    return 0;
  }
  if (cmd === 'open-data') {
    const r = await snapshotOpenData(rt.services, rt.config.dataDir);
    console.log(
      `${say('stats.open_data', { rows: r.rows, bytes: r.bytes })}\n  ${r.path}\n  sha256 ${r.sha256}`,
    );
    return 0;
  }
  if (!values.period) {
    console.error(usageOf('evaluate'));
    return 2;
  }
  const cfg = await loadEvaluationConfig(rt.services.db, values.period).catch(() => null);
  if (!cfg) {
    console.error(`aduan evaluate: --period: ${say('stats.unknown_period', { period: values.period })}`);
    return 1;
  }
  // By default the snapshot the published result was computed from (later daily snapshots hold newer
  // data), else the latest one.
  const publishedFirst = await publishedResult(rt.services.db, values.period);
  const source = publishedFirst?.snapshotSha256
    ? await snapshotBySha256(rt.services.db, publishedFirst.snapshotSha256)
    : null;
  const path = values.snapshot ?? (source ?? (await latestSnapshot(rt.services.db)))?.path;
  if (!path) {
    console.error(`aduan evaluate: ${say('stats.no_snapshot')}`);
    return 1;
  }
  const read = await readSnapshotFile(path).catch((e: unknown) => snapshotProblem(e, path));
  if (typeof read === 'string' || !isOpenDataSnapshot(read.doc)) {
    console.error(
      `aduan evaluate: ${typeof read === 'string' ? read : say('stats.snapshot_not_snapshot', { file: path })}`,
    );
    return 1;
  }
  const { doc, sha256 } = read;
  const result = evaluate(doc, cfg);
  for (const g of result.groups) {
    console.log(`\n${g.name} (${g.award})`);
    for (const r of g.results) {
      console.log(
        `  ${String(r.rank ?? '-').padStart(3)}  ${r.total.toFixed(2).padStart(6)}  ${r.predikat.padEnd(12)} ${r.name}${r.flags.length ? `  [${r.flags.join(', ')}]` : ''}`,
      );
    }
  }
  const hash = inputsHash(sha256, cfg);
  console.log(`\nsnapshot sha256 ${sha256}\ninputs sha256   ${hash}`);
  const published = publishedFirst;
  if (!published) {
    console.log(say('stats.not_published'));
    return 0;
  }
  const same = canonicalJson(published.result) === canonicalJson(result) && published.inputsSha256 === hash;
  console.log(say(same ? 'stats.match' : 'stats.mismatch'));
  return same ? 0 : 1;
}

/** The line that says why the snapshot file could not be read (`readSnapshotFile` threw `e`). */
function snapshotProblem(e: unknown, file: string): string {
  const code = (e as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return say('stats.snapshot_missing', { file });
  if (code === 'EISDIR') return say('stats.snapshot_directory', { file });
  const reason = e instanceof Error ? e.message : String(e);
  if (e instanceof SyntaxError) return say('stats.snapshot_not_json', { file, reason });
  if (code) return say('stats.snapshot_unreadable', { file, reason });
  throw e;
}

/** An open-data snapshot document as `evaluate` reads it: its schema and its rows. */
function isOpenDataSnapshot(doc: unknown): boolean {
  const d = doc as { schema?: unknown; reports?: unknown } | null;
  return (
    typeof d === 'object' &&
    d !== null &&
    typeof d.schema === 'string' &&
    d.schema.startsWith('aduan-open-data/') &&
    Array.isArray(d.reports)
  );
}
