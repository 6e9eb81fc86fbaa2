/**
 * Builds the open-data snapshot document (public reports, aggregate counters of the other non-confidential
 * reports, agency tree with admin-activity counts, population per region) and reads the snapshot index.
 * Counts only: no user is named, and no report that is not public contributes more than a count.
 * Why: `aduan evaluate` recomputes every data indicator from this document alone.
 */
import { createHash, randomUUID } from 'node:crypto';
import { open, readdir, readFile, rename, rm, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { jsonChunks } from '../domain/stats/json-chunks.ts';
import { readJsonFile, writeJsonFile } from '../integrations/json-file.ts';
import { sql } from 'drizzle-orm';
import { query, type AppDb } from '../db/client.ts';
import { regionCovers } from '../domain/deadline/calendar.ts';
import type { UnlistedCount, UnlistedReports } from '../domain/evaluation/evaluate.ts';
import { OPEN_DATA_COLUMNS, type OpenDataRow } from '../domain/stats/open-data.ts';
import type { OpenDataTerms } from '../domain/stats/open-data-terms.ts';
import { openDataRows } from './open-data.ts';
import { PUBLIC_REPORT } from './scope.ts';
import { statsRefreshedAt } from './stats.ts';

/**
 * The current snapshot schema. Schema 1 (no `reportsAsOf`, no `unlistedReports`), schema 2 (no
 * `unlistedReports.byArea`) and schema 3 (no `license`, no `publisher`) still read.
 */
export const OPEN_DATA_SCHEMA = 'aduan-open-data/4';

/** One agency in the snapshot, with how many staff admins it has and how many were active in 30 days. */
export interface SnapshotAgency {
  id: string;
  name: string;
  parentId: string | null;
  path: string;
  regionCode: string | null;
  admins: number;
  activeAdmins30d: number;
}

/**
 * The snapshot document. Schema 2 adds `reportsAsOf` (the statistics refresh the rows and counters come
 * from) and `unlistedReports` (counters of the non-confidential reports that are not rows: received, not
 * (yet) verified, on hold or archived; per date and kab/kota and per date and agency path). Schema 3 adds
 * `unlistedReports.byArea`: the same counters per date for each region code below kab/kota that is an agency's
 * region in `agencies` (a participant of region scope located there). Schema 4 adds `license` and `publisher` (the
 * terms the file is published under; `withTerms`).
 */
export interface OpenDataSnapshot {
  schema: 'aduan-open-data/1' | 'aduan-open-data/2' | 'aduan-open-data/3' | 'aduan-open-data/4';
  generatedAt: string;
  /** Schema 4: the licence the file is published under (ADUAN_OPEN_DATA_LICENSE, a URL), so the file says it. */
  license?: string;
  /** Schema 4: who publishes it (ADUAN_OPEN_DATA_PUBLISHER, else the site's host): whom CC BY asks to credit. */
  publisher?: string;
  reportsAsOf?: string | null;
  columns: typeof OPEN_DATA_COLUMNS;
  reports: OpenDataRow[];
  unlistedReports?: UnlistedReports;
  agencies: SnapshotAgency[];
  regionStats: { code: string; population: number | null }[];
}

/**
 * The document with the terms it is published under, right after `generatedAt` (so they sit in the file's first
 * bytes: `storedSnapshotTerms`). Terms the document already states are kept.
 */
export function withTerms(doc: OpenDataSnapshot, terms: OpenDataTerms): OpenDataSnapshot {
  const { schema, generatedAt, license, publisher, ...rest } = doc;
  return {
    schema,
    generatedAt,
    license: license ?? terms.license,
    publisher: publisher ?? terms.publisher,
    ...rest,
  };
}

/**
 * The licence and publisher a stored snapshot file states (schema 4), read from its first bytes only (the file may
 * be large); null for a file written before schema 4, or unreadable.
 */
export async function storedSnapshotTerms(path: string): Promise<OpenDataTerms | null> {
  let head: string;
  try {
    const file = await open(path, 'r');
    try {
      const buf = Buffer.alloc(4096);
      const { bytesRead } = await file.read(buf, 0, buf.length, 0);
      head = buf.subarray(0, bytesRead).toString('utf8');
    } finally {
      await file.close();
    }
  } catch {
    return null;
  }
  const m =
    /^\{"schema":"[^"]*","generatedAt":"[^"]*","license":("(?:[^"\\]|\\.)*"),"publisher":("(?:[^"\\]|\\.)*")/.exec(
      head,
    );
  if (!m) return null;
  return { license: JSON.parse(m[1]!) as string, publisher: JSON.parse(m[2]!) as string };
}

/** The parts of the snapshot that only change with a statistics refresh or a report's status or rahasia flag. */
export type SnapshotReportParts = Pick<
  OpenDataSnapshot,
  'reportsAsOf' | 'columns' | 'reports' | 'unlistedReports' | 'regionStats'
>;

/** The kab/kota part of a region code (`64.72.02` → `64.72`); a province code stays as it is. */
export function kabKotaOf(code: string): string {
  return code.split('.').slice(0, 2).join('.');
}

/**
 * The region codes below kab/kota that are an agency's region (`64.72.02`): the places a participant of region scope
 * can sit below kab/kota, which get their own counters (`unlistedReports.byArea`). Sorted, without repeats.
 */
export function areaCodesOf(agencies: readonly { regionCode: string | null }[]): string[] {
  const codes = agencies.map((a) => a.regionCode?.trim() ?? '').filter((c) => c.split('.').length > 2);
  return [...new Set(codes)].sort();
}

/**
 * One non-listed report's part in the counters of a snapshot: where it was counted and what it added. Kept beside the
 * stored snapshot file (`countedPath`), never served: when the report is made rahasia later, exactly this is taken out
 * of the served counters (`servedSnapshot`).
 */
export interface CountedReport {
  /** reports.id */
  id: string;
  createdDate: string;
  /** Its `byRegion` key (kab/kota, else province), or null when the report has no region. */
  regionCode: string | null;
  /** Its `byArea` keys. */
  areas: string[];
  /** Its `byAgency` key ('/'-joined ids), or null when it has no agency. */
  agencyPath: string | null;
  verificationDue: number;
  verifiedOnTime: number;
}

/**
 * The file beside a stored snapshot holding which reports its counters count (`CountedReport`) and, since 2026-12-01,
 * the tracking numbers of its rows (`listed`). Never served.
 */
export const countedPath = (snapshotPath: string) => `${snapshotPath}.counted`;

/** The format of the `countedPath` file. */
export const COUNTED_FORMAT = 'aduan-open-data-counted/1';

/** Orders counters by date, then by `key` (deterministic snapshot bytes). */
const byKey =
  <T extends { createdDate: string }>(key: (x: T) => string) =>
  (a: T, b: T) =>
    a.createdDate.localeCompare(b.createdDate) || (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0);

/**
 * Counters of the non-confidential reports that are not rows of the open data (live `reports` row and facts
 * both non-confidential; not listed: not public now or not public at the last refresh), from the statistics
 * facts: per local date of receipt and kab/kota, per date and each of `areas` (region codes below kab/kota, see
 * `areaCodesOf`), and per date and agency path. Nothing else of those reports. `counted`, when given, receives each
 * counted report's part (kept beside a stored snapshot, never published).
 */
export async function unlistedReportCounts(
  db: AppDb,
  areas: readonly string[] = [],
  counted?: CountedReport[],
): Promise<UnlistedReports> {
  const rows = await query<{
    id: string;
    createdDate: string;
    regionCode: string | null;
    agencyPath: string | null;
    due: boolean;
    onTime: boolean;
  }>(
    db,
    sql`select f.report_id::text as id, f.created_date::text as "createdDate", f.region_code as "regionCode",
               f.agency_path as "agencyPath",
               (f.fact->>'verifiedOnTime' is not null) as due,
               coalesce(f.fact->>'verifiedOnTime' = 'true', false) as "onTime"
        from stats_report_facts f
        join reports r on r.id = f.report_id
        where not f.confidential and not r.confidential and not (${PUBLIC_REPORT} and f.is_public)
        order by f.report_id`,
  );
  type Keyed<K extends string, V> = UnlistedCount & Record<K, V>;
  const region = new Map<string, Keyed<'regionCode', string>>();
  const area = new Map<string, Keyed<'regionCode', string>>();
  const agency = new Map<string, Keyed<'agencyPath', string[]>>();
  const add = <T extends UnlistedCount>(
    into: Map<string, T>,
    key: string,
    make: () => T,
    due: number,
    ok: number,
  ) => {
    let c = into.get(key);
    if (!c) into.set(key, (c = make()));
    c.received += 1;
    c.verificationDue += due;
    c.verifiedOnTime += ok;
  };
  const zero = (createdDate: string) => ({ createdDate, received: 0, verificationDue: 0, verifiedOnTime: 0 });
  for (const r of rows) {
    const due = r.due ? 1 : 0;
    const ok = r.onTime ? 1 : 0;
    const regionCode = r.regionCode ? kabKotaOf(r.regionCode) : null;
    if (regionCode)
      add(region, `${r.createdDate}|${regionCode}`, () => ({ ...zero(r.createdDate), regionCode }), due, ok);
    const inAreas = r.regionCode ? areas.filter((a) => regionCovers(a, r.regionCode!)) : [];
    for (const a of inAreas)
      add(area, `${r.createdDate}|${a}`, () => ({ ...zero(r.createdDate), regionCode: a }), due, ok);
    const agencyPath = (r.agencyPath ?? '').split('/').filter(Boolean);
    if (agencyPath.length > 0)
      add(
        agency,
        `${r.createdDate}|${agencyPath.join('/')}`,
        () => ({ ...zero(r.createdDate), agencyPath }),
        due,
        ok,
      );
    counted?.push({
      id: r.id,
      createdDate: r.createdDate,
      regionCode,
      areas: inAreas,
      agencyPath: agencyPath.length > 0 ? agencyPath.join('/') : null,
      verificationDue: due,
      verifiedOnTime: ok,
    });
  }
  return {
    byRegion: [...region.values()].sort(byKey((x) => x.regionCode)),
    byArea: [...area.values()].sort(byKey((x) => x.regionCode)),
    byAgency: [...agency.values()].sort(byKey((x) => x.agencyPath.join('/'))),
  };
}

/** The agencies with their staff admin counts (deactivated accounts left out), active in the 30 days before `now`. */
export async function snapshotAgencies(db: AppDb, now: Date): Promise<SnapshotAgency[]> {
  const since = new Date(now.getTime() - 30 * 86_400_000);
  return query<SnapshotAgency>(
    db,
    sql`select a.id, a.name, a.parent_id as "parentId", a.path, a.region_code as "regionCode",
          count(distinct g.user_id)::int as admins,
          count(distinct g.user_id) filter (where u.last_active_at >= ${since})::int as "activeAdmins30d"
        from agencies a
        left join role_grants g on g.agency_id = a.id and g.role in ('agency_admin', 'coordinator', 'officer')
          and exists (select 1 from users d where d.id = g.user_id and d.disabled_at is null)
        left join users u on u.id = g.user_id
        group by a.id order by a.path`,
  );
}

/**
 * The report rows, unlisted counters and populations (the expensive part of a snapshot). `areas`: the region codes
 * below kab/kota with counters of their own (`areaCodesOf` of the snapshot's agencies); `counted` receives each
 * counted report's part (see `unlistedReportCounts`).
 */
export async function snapshotReportParts(
  db: AppDb,
  areas: readonly string[] = [],
  counted?: CountedReport[],
): Promise<SnapshotReportParts> {
  const reportsAsOf = await statsRefreshedAt(db);
  const regionStats = await query<{ code: string; population: number | null }>(
    db,
    sql`select code, population from region_stats where code not like '%.%.%' order by code`,
  );
  return {
    reportsAsOf: reportsAsOf === null ? null : new Date(reportsAsOf).toISOString(),
    columns: OPEN_DATA_COLUMNS,
    reports: await openDataRows(db),
    unlistedReports: await unlistedReportCounts(db, areas, counted),
    regionStats,
  };
}

/** The snapshot document from its parts, in a fixed key order. */
export function assembleSnapshot(
  now: Date,
  parts: SnapshotReportParts,
  agencies: SnapshotAgency[],
): OpenDataSnapshot {
  return {
    schema: OPEN_DATA_SCHEMA,
    generatedAt: now.toISOString(),
    reportsAsOf: parts.reportsAsOf ?? null,
    columns: parts.columns,
    reports: parts.reports,
    ...(parts.unlistedReports ? { unlistedReports: parts.unlistedReports } : {}),
    agencies,
    regionStats: parts.regionStats,
  };
}

/**
 * Builds the snapshot document from the database at `now` (reports as of the last statistics refresh). `counted`
 * receives the part of each report in the counters (written beside the stored file by `writeOpenDataSnapshot`).
 */
export async function buildOpenDataSnapshot(
  db: AppDb,
  now: Date,
  counted?: CountedReport[],
): Promise<OpenDataSnapshot> {
  const agencies = await snapshotAgencies(db, now);
  const parts = await snapshotReportParts(db, areaCodesOf(agencies), counted);
  return assembleSnapshot(now, parts, agencies);
}

/**
 * A fingerprint of what the snapshot's rows and counters read live beyond the statistics facts: the reports
 * changed since the last refresh that left the public or were made rahasia (they leave the rows, or the counters,
 * before the next refresh). A report verified since the refresh changes nothing (it stays in the counters with
 * its facts until the refresh), so it does not count. Empty when nothing departs from the facts. Cheap: the
 * reports changed since the refresh, through the `updated_at` index.
 */
export async function liveReportFingerprint(db: AppDb): Promise<string> {
  const [row] = await query<{ n: number; h: string | null }>(
    db,
    sql`select count(*)::int as n,
               md5(string_agg(r.id::text || ':' || (${PUBLIC_REPORT})::text || ':' || r.confidential::text, ','
                              order by r.id)) as h
        from reports r
        join stats_report_facts f on f.report_id = r.id
        where r.updated_at > coalesce(
                (select (value->>'at')::timestamptz from settings where key = 'stats.refresh') - interval '1 minute',
                '-infinity'::timestamptz)
          and ((f.is_public and not ${PUBLIC_REPORT}) or r.confidential <> f.confidential)`,
  );
  return row && row.n > 0 ? `${row.n}:${row.h}` : '';
}

/** A stored snapshot file and its checksum. */
export interface SnapshotInfo {
  id: number;
  createdAt: string;
  path: string;
  sha256: string;
  rows: number;
}

/** The most recent snapshot, or null. */
export async function latestSnapshot(db: AppDb): Promise<SnapshotInfo | null> {
  const [row] = await query<SnapshotInfo>(
    db,
    sql`select id, created_at as "createdAt", path, sha256, rows from open_data_snapshots order by id desc limit 1`,
  );
  return row ? { ...row, createdAt: new Date(row.createdAt).toISOString() } : null;
}

/** The stored snapshot with this sha256 (the one a published evaluation was computed from), or null. */
export async function snapshotBySha256(db: AppDb, sha256: string): Promise<SnapshotInfo | null> {
  const [row] = await query<SnapshotInfo>(
    db,
    sql`select id, created_at as "createdAt", path, sha256, rows from open_data_snapshots
        where sha256 = ${sha256} order by id desc limit 1`,
  );
  return row ? { ...row, createdAt: new Date(row.createdAt).toISOString() } : null;
}

/**
 * A stored snapshot as it may be served publicly: the stored file when every report in it is still public, else the
 * same document without the rows of reports that have since left the public (made rahasia, mostly), with its own
 * checksum. The stored file itself never changes (`aduan evaluate` recomputes from it); only what the public gets.
 * A report made rahasia after the snapshot that was not a row (not verified then) may sit in the unlisted counters:
 * its own part is taken out of the counter entries it was counted in (`countedPath`, written with the snapshot), so
 * the served counters are those the snapshot would hold had the report been rahasia when it was written, and every
 * other report of that date keeps counting; an entry left with no report goes. A snapshot stored without that file
 * (written before it existed) cannot tell whether or where the report was counted: the entries of its date of receipt
 * (its kab/kota and areas, and every agency path of that date) are withdrawn instead.
 * Why: a confidential report never appears on a public surface, and a published evaluation links its snapshot for
 * good. Candidates are the reports changed after the snapshot that are no longer public (a short list), so the usual
 * answer is the stored file, streamed, with the stored checksum.
 */
export type ServedSnapshot =
  | { kind: 'stored'; path: string; sha256: string }
  | { kind: 'withdrawn'; path: string; sha256: string; withdrawnRows: number; withdrawnCounts: number };

/**
 * What the counted-reports file of a stored snapshot says about `ids` (reports.id → tracking number), or null when the
 * file is absent or not this snapshot's: the part of each of them in the counters, and which of them are rows
 * (`listed`: null for a file written before it held the rows).
 */
async function readCounted(
  snap: SnapshotInfo,
  ids: ReadonlyMap<string, string>,
): Promise<{ counted: Map<string, CountedReport>; listed: Set<string> | null } | null> {
  let doc: { format?: string; snapshotSha256?: string; reports?: unknown; listed?: unknown };
  try {
    doc = JSON.parse(await readFile(countedPath(snap.path), 'utf8')) as typeof doc;
  } catch {
    return null;
  }
  if (doc.format !== COUNTED_FORMAT || doc.snapshotSha256 !== snap.sha256 || !Array.isArray(doc.reports))
    return null;
  const counted = new Map<string, CountedReport>();
  for (const r of doc.reports as CountedRow[]) if (ids.has(r[0])) counted.set(r[0], fromCountedRow(r));
  if (!Array.isArray(doc.listed)) return { counted, listed: null };
  const tracking = new Set(ids.values());
  const listed = new Set<string>();
  for (const t of doc.listed as unknown[]) if (typeof t === 'string' && tracking.has(t)) listed.add(t);
  return { counted, listed };
}

/** A `CountedReport` as stored in the counted file: `[id, date, region, areas, agencyPath, due, onTime]`. */
export type CountedRow = [string, string, string | null, string[], string | null, number, number];

/** The stored row of a counted report. */
export function toCountedRow(c: CountedReport): CountedRow {
  return [c.id, c.createdDate, c.regionCode, c.areas, c.agencyPath, c.verificationDue, c.verifiedOnTime];
}

function fromCountedRow(r: CountedRow): CountedReport {
  return {
    id: r[0],
    createdDate: r[1],
    regionCode: r[2],
    areas: r[3],
    agencyPath: r[4],
    verificationDue: r[5],
    verifiedOnTime: r[6],
  };
}

/**
 * Takes the parts of `out` (reports made rahasia since) out of the counters: each entry a report was counted in loses
 * that report (received, verification due, verified on time); an entry left with no report is dropped. Returns the
 * new counters and how many entries changed or went.
 */
function subtractCounted(
  unlisted: UnlistedReports,
  out: readonly CountedReport[],
): { unlisted: UnlistedReports; changed: number } {
  const touched = new Set<object>();
  type Entry = UnlistedCount & { regionCode?: string; agencyPath?: readonly string[] };
  const copy = <T extends Entry>(list: readonly T[]) => list.map((c) => ({ ...c }));
  const byRegion = copy(unlisted.byRegion);
  const byArea = copy(unlisted.byArea ?? []);
  const byAgency = copy(unlisted.byAgency);
  const take = (entry: Entry | undefined, c: CountedReport) => {
    if (!entry) return;
    entry.received -= 1;
    entry.verificationDue -= c.verificationDue;
    entry.verifiedOnTime -= c.verifiedOnTime;
    touched.add(entry);
  };
  for (const c of out) {
    if (c.regionCode)
      take(
        byRegion.find((e) => e.createdDate === c.createdDate && e.regionCode === c.regionCode),
        c,
      );
    for (const a of c.areas)
      take(
        byArea.find((e) => e.createdDate === c.createdDate && e.regionCode === a),
        c,
      );
    if (c.agencyPath)
      take(
        byAgency.find((e) => e.createdDate === c.createdDate && e.agencyPath.join('/') === c.agencyPath),
        c,
      );
  }
  const kept = <T extends Entry>(list: T[]) => list.filter((e) => e.received > 0);
  return {
    unlisted: {
      byRegion: kept(byRegion),
      ...(unlisted.byArea ? { byArea: kept(byArea) } : {}),
      byAgency: kept(byAgency),
    },
    changed: touched.size,
  };
}

/** What to serve for `snap` (see ServedSnapshot). */
export async function servedSnapshot(db: AppDb, snap: SnapshotInfo): Promise<ServedSnapshot> {
  const hidden = await query<HiddenReport>(
    db,
    // `>=`: a report changed in the very millisecond the snapshot was stamped may have left the public after its
    // rows were read; one that was already out is no row and, with the ledger, counted nowhere (nothing changes).
    sql`select r.id::text as id, r.tracking_id, r.confidential, f.created_date::text as created_date, r.region_code
        from reports r left join stats_report_facts f on f.report_id = r.id
         where r.updated_at >= ${snap.createdAt} and r.created_at <= ${snap.createdAt} and not ${PUBLIC_REPORT}`,
  );
  const stored = { kind: 'stored' as const, path: snap.path, sha256: snap.sha256 };
  if (hidden.length === 0) return stored;
  // On a busy instance some report almost always changed since the snapshot without being public (one in
  // verification put on hold, say). The ledger tells whether any of them is a row, or a rahasia one counted: if none
  // is, the stored file is served without reading it (1,000,000 reports: a 690 MB file, 50 s to parse).
  const ledger = await readCounted(snap, new Map(hidden.map((h) => [h.id, h.tracking_id])));
  if (
    ledger?.listed &&
    !hidden.some((h) => ledger.listed!.has(h.tracking_id) || (h.confidential && ledger.counted.has(h.id)))
  )
    return stored;
  // Parsing the file and writing it again takes long on a large one (1,000,000 reports: about 70 s and 3 GB), and the
  // answer stays the same until another report leaves the public: it is written to a file beside the snapshot, which
  // every process serves until then (`withdrawnFile`); this process remembers its last answer, and requests that come
  // while it is made wait for it instead of making their own.
  const key = `${snap.sha256}|${JSON.stringify([...hidden].sort((x, y) => x.id.localeCompare(y.id)))}`;
  if (lastWithdrawn?.key !== key) {
    const value = withdrawnFile(snap, key, () => withdrawnSnapshot(snap, hidden, ledger));
    lastWithdrawn = { key, value };
    value.catch(() => {
      if (lastWithdrawn?.value === value) lastWithdrawn = null;
    });
  }
  return lastWithdrawn.value;
}

/** A report changed since the snapshot that is not public now (`servedSnapshot`). */
interface HiddenReport {
  id: string;
  tracking_id: string;
  confidential: boolean;
  created_date: string | null;
  region_code: string | null;
}

/** The last withdrawn answer of `servedSnapshot`, by snapshot and changed reports. */
let lastWithdrawn: { key: string; value: Promise<ServedSnapshot> } | null = null;

/** Forgets this process's last withdrawn answer, as another process or a restart would not have it (tests). */
export function forgetWithdrawnAnswer(): void {
  lastWithdrawn = null;
}

/**
 * A withdrawn answer on disk, beside its snapshot: `.aduan-withdrawn-<snapshot sha256, 16>-<key hash, 16>.<served
 * sha256>.<withdrawn rows>.<withdrawn counts>.json`, so that it is found and served without reading it.
 */
const WITHDRAWN_FILE =
  /^\.aduan-withdrawn-([0-9a-f]{16})-([0-9a-f]{16})\.([0-9a-f]{64})\.(\d+)\.(\d+)\.json$/;
/** One being written (renamed to the above when complete). */
const WITHDRAWN_PARTIAL = /^\.aduan-withdrawn-.*\.partial$/;

/**
 * The withdrawn answer for `key` (the snapshot and the reports hidden since): the file another request or process
 * already wrote, else `make()`'s document written to a new one (nothing is written when nothing is withdrawn). The
 * answer is never held in memory (1,000,000 reports: 690 MB). Writing it removes the answers of the same snapshot
 * for other hidden reports (they still hold a row withdrawn since; a process streaming one keeps its open file), and
 * those of other snapshots and half-written ones untouched for a day or an hour.
 */
async function withdrawnFile(
  snap: SnapshotInfo,
  key: string,
  make: () => Promise<ServedSnapshot | Withdrawn>,
): Promise<ServedSnapshot> {
  const dir = dirname(snap.path);
  const prefix = `.aduan-withdrawn-${snap.sha256.slice(0, 16)}-${createHash('sha256').update(key).digest('hex').slice(0, 16)}.`;
  const names = await readdir(dir).catch(() => [] as string[]);
  const found = names.map((n) => (n.startsWith(prefix) ? WITHDRAWN_FILE.exec(n) : null)).find((m) => m);
  if (found)
    return {
      kind: 'withdrawn',
      path: join(dir, found[0]),
      sha256: found[3]!,
      withdrawnRows: Number(found[4]),
      withdrawnCounts: Number(found[5]),
    };
  const made = await make();
  if (made.kind !== 'document') return made;
  const partial = join(dir, `${prefix}${randomUUID()}.partial`);
  const { sha256 } = await writeJsonFile(partial, made.chunks);
  const name = `${prefix}${sha256}.${made.withdrawnRows}.${made.withdrawnCounts}.json`;
  await rename(partial, join(dir, name));
  const now = Date.now();
  for (const other of names) {
    const m = WITHDRAWN_FILE.exec(other);
    const sameSnapshot = m?.[1] === snap.sha256.slice(0, 16);
    if (!m && !WITHDRAWN_PARTIAL.test(other)) continue;
    const info = await stat(join(dir, other)).catch(() => null);
    if (!info) continue;
    const age = now - info.mtimeMs;
    if ((m && (sameSnapshot || age > 86_400_000)) || (!m && age > 3_600_000))
      await rm(join(dir, other), { force: true });
  }
  return {
    kind: 'withdrawn',
    path: join(dir, name),
    sha256,
    withdrawnRows: made.withdrawnRows,
    withdrawnCounts: made.withdrawnCounts,
  };
}

/** A withdrawn document to write (`withdrawnFile`): its JSON in chunks and what was withdrawn. */
interface Withdrawn {
  kind: 'document';
  chunks: Iterable<string>;
  withdrawnRows: number;
  withdrawnCounts: number;
}

/** The stored snapshot without the rows and counts of `hidden` (`servedSnapshot`). */
async function withdrawnSnapshot(
  snap: SnapshotInfo,
  hidden: readonly HiddenReport[],
  ledger: Awaited<ReturnType<typeof readCounted>>,
): Promise<ServedSnapshot | Withdrawn> {
  const stored = { kind: 'stored' as const, path: snap.path, sha256: snap.sha256 };
  const withdrawn = new Set(hidden.map((h) => h.tracking_id));
  const doc = (await readJsonFile(snap.path)).value as OpenDataSnapshot & {
    withdrawnRows?: number;
    withdrawnCounts?: number;
  };
  const kept = doc.reports.filter((r) => !withdrawn.has(String(r.trackingId)));
  const withdrawnRows = doc.reports.length - kept.length;
  const listed = new Set(doc.reports.map((r) => String(r.trackingId)));
  // Rahasia now, not a row then: possibly counted among the unlisted reports of its date.
  const rahasia = hidden.filter((h) => h.confidential && !listed.has(h.tracking_id));
  let unlisted = doc.unlistedReports;
  let withdrawnCounts = 0;
  if (unlisted && rahasia.length > 0) {
    if (ledger) {
      const out = rahasia.flatMap((h) => ledger.counted.get(h.id) ?? []);
      ({ unlisted, changed: withdrawnCounts } = subtractCounted(unlisted, out));
    } else {
      const counted = rahasia.filter((h) => h.created_date);
      const dates = new Set(counted.map((h) => h.created_date!));
      const places = new Set(
        counted.filter((h) => h.region_code).map((h) => `${h.created_date}|${kabKotaOf(h.region_code!)}`),
      );
      const byRegion = unlisted.byRegion.filter((c) => !places.has(`${c.createdDate}|${c.regionCode}`));
      const byArea = unlisted.byArea?.filter((c) => !dates.has(c.createdDate));
      const byAgency = unlisted.byAgency.filter((c) => !dates.has(c.createdDate));
      withdrawnCounts =
        unlisted.byRegion.length -
        byRegion.length +
        ((unlisted.byArea?.length ?? 0) - (byArea?.length ?? 0)) +
        (unlisted.byAgency.length - byAgency.length);
      unlisted = { byRegion, ...(byArea ? { byArea } : {}), byAgency };
    }
  }
  if (withdrawnRows === 0 && withdrawnCounts === 0) return stored;
  // In chunks (`jsonChunks`): the file of about a million reports is past V8's largest string.
  return {
    kind: 'document',
    chunks: jsonChunks(
      {
        ...doc,
        reports: kept,
        ...(unlisted ? { unlistedReports: unlisted } : {}),
        withdrawnRows,
        ...(withdrawnCounts > 0 ? { withdrawnCounts } : {}),
      },
      'reports',
    ),
    withdrawnRows,
    withdrawnCounts,
  };
}
