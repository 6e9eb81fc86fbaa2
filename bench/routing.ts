/**
 * Routing benchmark (issue 7), `npm run bench:routing`:
 *  1. training time of the product ensemble on 100,000 synthetic reports (sentences of
 *     ../shared/data/lapor-2017/train.csv recombined within each agency label; bench only);
 *  2. suggestion latency (p50/p95) with that model;
 *  3. duplicate detection precision/recall on a labelled set built here (near-duplicates made by
 *     varying real texts: reordered sentences, typos, abbreviations, an added sentence) against
 *     unrelated reports, in PostgreSQL (database `aduan_bench_routing`);
 *  4. similar-report lookup latency (p50/p95) with 1,000,000 reports bulk-inserted by generate_series.
 * The database is dropped afterwards. Prints aggregates only (no report text).
 * Env: ROUTING_BENCH_ROWS (default 100000), ROUTING_BENCH_REPORTS (default 1000000),
 * ROUTING_BENCH_ADMIN_URL (default postgres://postgres@127.0.0.1:5432/postgres), SKIP_PG=1,
 * ONLY=model|pg|dup|lookup|thread|accuracy|dupbusy (the duplicate set inside a kept lookup database's busy kab/kota), ROUTING_BENCH_CUES=1 (model input with the report-type cues),
 * ROUTING_BENCH_ENSEMBLE=previous|type (the previous product ensemble, or the report-type one with its title-only member),
 * ROUTING_BENCH_KEEP=1 (keep the database afterwards, and reuse a kept one
 * that already holds the reports: the lookup phase then skips seeding; for iterating on queries),
 * ROUTING_BENCH_PROVINCES (default 34) × ROUTING_BENCH_KABKOTA (per province, default 15) kab/kota over
 * ROUTING_BENCH_DAYS (default 1095) days: the spread of the lookup's reports (1 × 10 over 365 days: one busy
 * province; use another ROUTING_BENCH_DB with ROUTING_BENCH_KEEP, a kept database is reused by its size only),
 * ROUTING_BENCH_KABKOTA_SPACING (degrees between kab/kota centres, default 0.025) and ROUTING_BENCH_SPREAD (the width
 * in degrees of the square around each centre the points fall in, default 0.09), ROUTING_BENCH_COMMON_SHARE and
 * ROUTING_BENCH_BUDGET and ROUTING_BENCH_INDEX_ROWS (the lookup's `commonTermShare`, `candidateShareBudget` and
 * `indexReadRows`, default the product's), ROUTING_BENCH_STEM=0 (the score's cosine over words as written, not stems),
 * ROUTING_BENCH_INFLECT=p (each word of a near-duplicate replaced, with probability p, by another form of its root
 * that the file uses).
 */
import { fitInProcess } from '../src/commands/routing-fit.ts';
import { fitInThread } from '../src/jobs/routing-fit-thread.ts';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import pg from 'pg';
import { parse } from 'csv-parse/sync';
import { sql } from 'drizzle-orm';
import { openDatabase } from '../src/db/client.ts';
import { migrateDatabase } from '../src/db/migrate.ts';
import {
  DEFAULT_ENSEMBLE,
  PREVIOUS_ENSEMBLE,
  REPORT_TYPE_ENSEMBLE,
  routingText,
  suggest,
  trainEnsemble,
} from '../src/domain/routing/ensemble.ts';
import { seededRandom } from '../src/domain/routing/random.ts';
import { ABBREVIATIONS } from '../src/domain/routing/normalise.ts';
import { stem } from '../src/integrations/indonesian-stemmer.ts';
import {
  forgetLexemeStats,
  similarPublicReports,
  similarReportsForStaff,
} from '../src/queries/similar-reports.ts';
import { systemCaller, type Caller, type Services } from '../src/app/context.ts';
import { routingAccuracy } from '../src/queries/routing-accuracy.ts';

const FILE = '../shared/data/lapor-2017/train.csv';
const ROWS = Number(process.env.ROUTING_BENCH_ROWS ?? 100_000);
const REPORTS = Number(process.env.ROUTING_BENCH_REPORTS ?? 1_000_000);
const ADMIN_URL = process.env.ROUTING_BENCH_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const DB_NAME = process.env.ROUTING_BENCH_DB ?? 'aduan_bench_routing';
const PROVINCES = Number(process.env.ROUTING_BENCH_PROVINCES ?? 34);
const KABKOTA = Number(process.env.ROUTING_BENCH_KABKOTA ?? 15);
const DAYS = Number(process.env.ROUTING_BENCH_DAYS ?? 1095);
const REGIONS = PROVINCES * KABKOTA;
/** Degrees between neighbouring kab/kota centres of a province (0.025: the default layout's 2.8 km). */
const KAB_SPACING = Number(process.env.ROUTING_BENCH_KABKOTA_SPACING ?? 0.025);
/** Each report's point lies within ± half this many degrees of its kab/kota's centre (0.09: about 10 km). */
const SPREAD = Number(process.env.ROUTING_BENCH_SPREAD ?? 0.09);
/** The similar lookup's `commonTermShare` and `candidateShareBudget` (unset: the product's defaults). */
const LOOKUP_OPTIONS = {
  ...(process.env.ROUTING_BENCH_COMMON_SHARE
    ? { commonTermShare: Number(process.env.ROUTING_BENCH_COMMON_SHARE) }
    : {}),
  ...(process.env.ROUTING_BENCH_BUDGET
    ? { candidateShareBudget: Number(process.env.ROUTING_BENCH_BUDGET) }
    : {}),
  ...(process.env.ROUTING_BENCH_INDEX_ROWS
    ? { indexReadRows: Number(process.env.ROUTING_BENCH_INDEX_ROWS) }
    : {}),
  ...(process.env.ROUTING_BENCH_STEM ? { stemWords: process.env.ROUTING_BENCH_STEM === '1' } : {}),
};
const rand = seededRandom(42);
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;

type Row = Record<string, string>;
const data = (
  parse(readFileSync(FILE, 'utf8'), { columns: true, bom: true, relax_column_count: true }) as Row[]
)
  .filter((r) => r.text && r.title)
  .map((r): Row => ({
    ...r,
    title: r.title!.replaceAll('\u0000', ''),
    text: r.text!.replaceAll('\u0000', ''),
  }));
const sentencesOf = (text: string) =>
  text
    .split(/(?<=[.!?])\s+/)
    .map((s) => s.trim())
    .filter((s) => s.length >= 20);
const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
};
const ms = (x: number) => `${x.toFixed(2)} ms`;

function synthesise(n: number) {
  const counts = new Map<string, number>();
  for (const r of data) counts.set(r.agency_group!, (counts.get(r.agency_group!) ?? 0) + 1);
  const rows = data.filter((r) => counts.get(r.agency_group!)! >= 5);
  const pool = new Map<string, { titles: string[]; sentences: string[] }>();
  for (const r of rows) {
    const p = pool.get(r.agency_group!) ?? { titles: [], sentences: [] };
    p.titles.push(r.title!);
    p.sentences.push(...sentencesOf(r.text!));
    pool.set(r.agency_group!, p);
  }
  const out = [];
  for (let i = 0; i < n; i++) {
    const label = pick(rows).agency_group!;
    const p = pool.get(label)!;
    const k = 2 + Math.floor(rand() * 5);
    const body = Array.from({ length: k }, () => pick(p.sentences.length ? p.sentences : p.titles)).join(' ');
    // ROUTING_BENCH_CUES=1: the report-type model's input (cue tokens appended), to time its extra cost.
    out.push({
      text: routingText({ title: pick(p.titles), body, cues: process.env.ROUTING_BENCH_CUES === '1' }),
      label,
    });
  }
  return { examples: out, labels: pool.size };
}

function modelBench() {
  const { examples, labels } = synthesise(ROWS);
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  // ROUTING_BENCH_ENSEMBLE=previous times the ensemble served before NBSVM + SVM, for comparison.
  const which = process.env.ROUTING_BENCH_ENSEMBLE;
  const spec =
    which === 'previous' ? PREVIOUS_ENSEMBLE : which === 'type' ? REPORT_TYPE_ENSEMBLE : DEFAULT_ENSEMBLE;
  const model = trainEnsemble(examples, spec, stem);
  const trainSeconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  const queries = synthesise(2000).examples;
  for (const q of queries.slice(0, 50)) suggest(model, q.text, 3); // warm-up
  const times: number[] = [];
  let top1 = 0;
  let top3 = 0;
  for (const q of queries) {
    const s = performance.now();
    const got = suggest(model, q.text, 3);
    times.push(performance.now() - s);
    if (got[0]?.label === q.label) top1++;
    if (got.some((g) => g.label === q.label)) top3++;
  }
  console.log(
    `training: ${ROWS} synthetic reports, ${labels} agency labels, ensemble ${spec.map((m) => m.options.algorithm).join('+')}: ${trainSeconds.toFixed(1)} s wall, ${cpuSeconds.toFixed(1)} s CPU (load average ${os.loadavg()[0]!.toFixed(1)})`,
  );
  console.log(
    `  sanity on ${queries.length} new synthetic reports: top-1 ${(top1 / queries.length).toFixed(3)}, top-3 ${(top3 / queries.length).toFixed(3)}`,
  );
  console.log(
    `suggestion latency (${times.length} reports): p50 ${ms(pct(times, 50))}, p95 ${ms(pct(times, 95))}`,
  );
}

/**
 * ONLY=thread: how long the event loop stalls while the worker's scheduled retraining fits a model on ROWS synthetic
 * reports, in the calling thread (`fitInProcess`) and in a worker thread (`fitInThread`, what the worker uses). A
 * 10 ms timer keeps ticking; the gaps between its runs are the stalls.
 */
async function threadBench() {
  const { examples, labels } = synthesise(ROWS);
  for (const [name, fit] of [
    ['in-process', fitInProcess],
    ['worker thread', fitInThread],
  ] as const) {
    // A 10 ms timer records when it runs; the gaps between runs are how long the loop could not serve anything.
    const stamps: number[] = [];
    const timer = setInterval(() => stamps.push(performance.now()), 10);
    const t0 = performance.now();
    stamps.push(t0);
    await fit(examples, DEFAULT_ENSEMBLE, false);
    const t1 = performance.now();
    stamps.push(t1);
    clearInterval(timer);
    const gaps = stamps.slice(1).map((x, i) => x - stamps[i]!);
    console.log(
      `fit ${ROWS} reports, ${labels} labels, ${name}: ${((t1 - t0) / 1000).toFixed(1)} s wall; event loop served a 10 ms timer ${gaps.length - 1} times, gap p50 ${ms(pct(gaps, 50))}, p99 ${ms(pct(gaps, 99))}, longest stall ${ms(Math.max(...gaps))} (load average ${os.loadavg()[0]!.toFixed(1)})`,
    );
  }
}

// ---- duplicates and lookup latency (PostgreSQL) ----

function typos(s: string, r: () => number): string {
  return s
    .split(' ')
    .map((w) => {
      if (w.length < 5 || r() > 0.15) return w;
      const i = 1 + Math.floor(r() * (w.length - 2));
      return r() < 0.5 ? w.slice(0, i) + w.slice(i + 1) : w.slice(0, i) + w[i + 1] + w[i] + w.slice(i + 2);
    })
    .join(' ');
}
const SHORT = Object.fromEntries(
  Object.entries(ABBREVIATIONS)
    .filter(([k, v]) => !v.includes(' ') && k !== v && k.length >= 2)
    .map(([k, v]) => [v, k]),
);
const abbreviate = (s: string) =>
  s.replace(/\b[a-z]+\b/gi, (w) => (SHORT[w.toLowerCase()] && rand() < 0.7 ? SHORT[w.toLowerCase()]! : w));

/**
 * ROUTING_BENCH_INFLECT=p: each word of a near-duplicate is, with probability p, replaced by another form of the same
 * root that some report of the file uses (*diperbaiki* → *perbaikan*, *rusak* → *kerusakan*): how another citizen
 * words the same problem. Roots by the Sastrawi stemmer.
 */
const INFLECT = Number(process.env.ROUTING_BENCH_INFLECT ?? 0);
let formsOfRoot: Map<string, string[]> | null = null;
function inflect(text: string): string {
  if (!INFLECT) return text;
  if (!formsOfRoot) {
    const forms = new Map<string, Set<string>>();
    for (const r of data)
      for (const w of `${r.title} ${r.text}`.toLowerCase().match(/[a-z]{4,}/g) ?? []) {
        const root = stem(w);
        if (!forms.has(root)) forms.set(root, new Set());
        forms.get(root)!.add(w);
      }
    formsOfRoot = new Map([...forms].map(([k, v]) => [k, [...v].sort()]));
  }
  return text.replace(/[A-Za-z]{4,}/g, (w) => {
    if (rand() >= INFLECT) return w;
    const others = (formsOfRoot!.get(stem(w.toLowerCase())) ?? []).filter((f) => f !== w.toLowerCase());
    return others.length ? others[Math.floor(rand() * others.length)]! : w;
  });
}

function variant(r: Row, other: Row) {
  const sentences = sentencesOf(inflect(r.text!));
  for (let i = sentences.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [sentences[i], sentences[j]] = [sentences[j]!, sentences[i]!];
  }
  const added = sentencesOf(other.text!)[0] ?? '';
  return {
    title: typos(abbreviate(inflect(r.title!)), rand),
    body: typos(abbreviate([...sentences, added].join(' ')), rand) || r.text!,
  };
}

const KEEP = process.env.ROUTING_BENCH_KEEP === '1';

async function withDatabase(fn: (svc: Services, client: pg.Client, reused: boolean) => Promise<void>) {
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  const exists = (await admin.query('select 1 from pg_database where datname = $1', [DB_NAME])).rowCount;
  let reused = false;
  if (KEEP && exists) {
    const probe = new pg.Client({ connectionString: ADMIN_URL.replace(/\/[^/]*$/, `/${DB_NAME}`) });
    await probe.connect();
    const n = await probe
      .query('select count(*)::int as n from reports')
      .then((r) => (r.rows[0] as { n: number }).n)
      .catch(() => 0);
    await probe.end();
    reused = n >= REPORTS;
  }
  if (!reused) {
    await admin.query(`DROP DATABASE IF EXISTS ${DB_NAME} WITH (FORCE)`);
    await admin.query(`CREATE DATABASE ${DB_NAME}`);
  }
  const url = new URL(ADMIN_URL);
  url.pathname = `/${DB_NAME}`;
  const database = await openDatabase({ databaseUrl: url.toString(), poolSize: 2 });
  const client = new pg.Client({ connectionString: url.toString() });
  try {
    await migrateDatabase(database);
    await client.connect();
    const svc = { db: database.db, now: () => new Date('2026-03-12T02:00:00Z') } as unknown as Services;
    await fn(svc, client, reused);
  } finally {
    await client.end().catch(() => undefined);
    await database.close();
    if (!KEEP) await admin.query(`DROP DATABASE IF EXISTS ${DB_NAME} WITH (FORCE)`);
    await admin.end();
  }
}

const INSERT_COLUMNS = `tracking_id, access_key_hash, classification, title, body, region_code, status, channel, created_at, updated_at, verified_at`;

/** A point `metres` or less from `p` in a random direction (uniform over the disc). */
function around(p: { lat: number; lon: number }, metres: number) {
  const d = (metres * Math.sqrt(rand())) / 111_320;
  const angle = rand() * 2 * Math.PI;
  return {
    lat: p.lat + d * Math.sin(angle),
    lon: p.lon + (d * Math.cos(angle)) / Math.cos((p.lat * Math.PI) / 180),
  };
}

/**
 * The labelled duplicate set. Points (synthetic: the data set has none), so the proximity bonus can be measured:
 * 80 % of stored reports and of queries have one, spread over a 20 × 20 km kab/kota; a near-duplicate is pinned
 * within 300 m of its original; half of the unrelated queries are pinned within 300 m of some other stored report
 * (another problem in the same street: the hard case for a proximity bonus), the other half anywhere.
 */
async function duplicateBench(svc: Services, client: pg.Client, busy = false) {
  const rows = [...data].sort(() => rand() - 0.5);
  const originals = rows.slice(0, 300);
  const heldOut = rows.slice(300, 600);
  const stored = [...originals, ...rows.slice(600)];
  // ONLY=dupbusy: among the kept lookup database's reports, in its third kab/kota (11.03) and around its centre.
  const centre = busy ? centreOf(0, 2) : { lat: -0.5, lon: 117.15 };
  const region = busy ? '11.03' : '64.72';
  const pointOf = new Map(
    stored.map((r) => [r, rand() < 0.8 ? around(centre, 10_000 * Math.SQRT2) : null] as const),
  );
  for (const [i, r] of stored.entries()) {
    const at = pointOf.get(r);
    await client.query(
      `insert into reports (${INSERT_COLUMNS}, lat, lon) values ($1, 'x', 'pengaduan', $2, $3, $7, 'dispatched', 'web', $4, $4, $4, $5, $6)`,
      [
        `d${String(i).padStart(9, '0')}`,
        r.title!.slice(0, 150),
        r.text,
        new Date(Date.parse('2026-02-01') + i * 60_000),
        at?.lat ?? null,
        at?.lon ?? null,
        `${region}.02`,
      ],
    );
  }
  await client.query('analyze reports');
  forgetLexemeStats();
  const idOf = new Map(stored.map((r, i) => [r, `d${String(i).padStart(9, '0')}`]));
  const pinned = stored.filter((r) => pointOf.get(r));
  const queries: {
    gold: string | null;
    title: string;
    body: string;
    at: { lat: number; lon: number } | null;
  }[] = [];
  for (const r of originals) {
    const at = pointOf.get(r);
    queries.push({
      gold: idOf.get(r)!,
      ...variant(r, pick(heldOut)),
      at: at && rand() < 0.8 ? around(at, 300) : null,
    });
  }
  for (const r of heldOut) {
    const where = rand();
    const at =
      where < 0.4 ? around(pointOf.get(pick(pinned))!, 300) : where < 0.8 ? around(centre, 14_142) : null;
    queries.push({ gold: null, title: r.title!, body: r.text!, at });
  }
  console.log(
    `duplicate detection: ${originals.length} near-duplicate queries + ${heldOut.length} unrelated queries against ${stored.length} stored reports (same region and window; synthetic points, see above)${busy ? ` among the kept database's reports in kab/kota ${region}` : ''}`,
  );
  for (const nearBonus of (process.env.DUP_BONUS ?? '0,0.1,0.15,0.2').split(',').map(Number)) {
    const results: { gold: string | null; found: { trackingId: string; score: number }[] }[] = [];
    for (const q of queries) {
      results.push({
        gold: q.gold,
        found: await similarPublicReports(
          svc,
          { title: q.title, body: q.body, regionCode: region, lat: q.at?.lat, lon: q.at?.lon },
          { minScore: 0, limit: 5, nearBonus, ...LOOKUP_OPTIONS },
        ),
      });
    }
    console.log(`  proximity bonus ${nearBonus}${nearBonus === 0 ? ' (text only)' : ''}`);
    console.log('  threshold  precision  recall  F1');
    for (const th of [0.5, 0.55, 0.6, 0.65, 0.7, 0.75, 0.8]) {
      let predicted = 0;
      let hit = 0;
      for (const r of results) {
        const above = r.found.filter((f) => f.score >= th);
        predicted += above.length;
        if (above.some((f) => f.trackingId === r.gold)) hit++;
      }
      const precision = predicted ? hit / predicted : 1;
      const recall = hit / originals.length;
      const f1 = precision + recall ? (2 * precision * recall) / (precision + recall) : 0;
      console.log(
        `  ${th.toFixed(2).padStart(9)}  ${precision.toFixed(3).padStart(9)}  ${recall.toFixed(3).padStart(6)}  ${f1.toFixed(3)}`,
      );
    }
    const top1 = results.filter((r) => r.gold && r.found[0]?.trackingId === r.gold).length;
    console.log(`  the original ranks first for ${top1} of ${originals.length} near-duplicates`);
  }
  if (busy) {
    await client.query(`delete from reports where tracking_id like 'd%'`);
    await client.query('analyze reports');
    forgetLexemeStats();
  } else await client.query('truncate reports');
}

/**
 * The synthetic centre of kab/kota `${11 + p}.${k + 1}` (p < PROVINCES, k < KABKOTA), in SQL over g (the region is
 * (11 + g % PROVINCES).(1 + (g / PROVINCES) % KABKOTA)) and in TypeScript; the points only need to be distinct per
 * kab/kota.
 */
const CENTRE_LAT_SQL = `(-10 + (g % ${PROVINCES}) * 0.4 + ((g / ${PROVINCES}) % ${KABKOTA}) * ${KAB_SPACING})`;
const CENTRE_LON_SQL = `(95 + (g % ${PROVINCES}) * 1.2 + ((g / ${PROVINCES}) % ${KABKOTA}) * ${KAB_SPACING * 0.8})`;
const centreOf = (p: number, k: number) => ({
  lat: -10 + p * 0.4 + k * KAB_SPACING,
  lon: 95 + p * 1.2 + k * KAB_SPACING * 0.8,
});

async function seedReports(client: pg.Client) {
  const sentences = data.flatMap((r) => sentencesOf(r.text!)).slice(0, 20_000);
  const titles = data.map((r) => r.title!.slice(0, 150));
  await client.query('create temporary table s (i int primary key, t text)');
  await client.query('create temporary table ti (i int primary key, t text)');
  await client.query(`insert into s select i - 1, t from unnest($1::text[]) with ordinality as u(t, i)`, [
    sentences,
  ]);
  await client.query(`insert into ti select i - 1, t from unnest($1::text[]) with ordinality as u(t, i)`, [
    titles,
  ]);
  const S = sentences.length;
  const T = titles.length;
  const t0 = performance.now();
  const chunk = 100_000;
  for (let start = 0; start < REPORTS; start += chunk) {
    await client.query(
      `insert into reports (${INSERT_COLUMNS}, confidential, lat, lon)
       select lpad(g::text, 10, '0'), 'x', 'pengaduan',
              (select t from ti where i = (g::bigint * 7919) % ${T}),
              (select string_agg(t, ' ') from s where i in ((g::bigint * 31) % ${S}, (g::bigint * 131 + 7) % ${S}, (g::bigint * 1031 + 13) % ${S})),
              (11 + g % ${PROVINCES})::text || '.' || lpad((1 + (g / ${PROVINCES}) % ${KABKOTA})::text, 2, '0') || '.01',
              (array['dispatched','in_progress','responded','completed','submitted'])[1 + (g / ${REGIONS}) % 5], 'web',
              timestamptz '2026-03-12' - ((g % ${DAYS}) || ' days')::interval,
              timestamptz '2026-03-12' - ((g % ${DAYS}) || ' days')::interval,
              timestamptz '2026-03-12' - ((g % ${DAYS}) || ' days')::interval,
              (g / ${REGIONS * 5}) % 10 = 0,
              case when g % 5 <> 0 then ${CENTRE_LAT_SQL} + ((g::bigint * 7907) % 1000 / 1000.0 - 0.5) * ${SPREAD} end,
              case when g % 5 <> 0 then ${CENTRE_LON_SQL} + ((g::bigint * 6271) % 1000 / 1000.0 - 0.5) * ${SPREAD} end
         from generate_series($1::int, $2::int) g`,
      [start + 1, Math.min(REPORTS, start + chunk)],
    );
  }
  // Status and confidentiality vary within each kab/kota (g / REGIONS steps through its reports). Four in five
  // reports have a point, within ± SPREAD / 2 degrees of their kab/kota's centre (CENTRE_*_SQL; about 5 km by default).
  await client.query('vacuum analyze reports');
  return (performance.now() - t0) / 1000;
}

async function lookupBench(svc: Services, client: pg.Client, reused: boolean) {
  const loadSeconds = reused ? 0 : await seedReports(client);
  const regions = Array.from({ length: PROVINCES }, (_, p) =>
    Array.from({ length: KABKOTA }, (_, k) => ({
      code: `${11 + p}.${String(k + 1).padStart(2, '0')}`,
      centre: centreOf(p, k),
    })),
  ).flat();
  const publicTimes: number[] = [];
  const pointTimes: number[] = [];
  const staffTimes: number[] = [];
  const verifyTimes: number[] = [];
  const caller = systemCaller('bench');
  for (let i = 0; i < 220; i++) {
    const r = pick(data);
    const region = pick(regions);
    const q = { title: r.title!, body: r.text!, regionCode: region.code };
    let s = performance.now();
    await similarPublicReports(svc, q, LOOKUP_OPTIONS);
    if (i >= 20) publicTimes.push(performance.now() - s);
    const at = {
      lat: region.centre.lat + (rand() - 0.5) * SPREAD,
      lon: region.centre.lon + (rand() - 0.5) * SPREAD,
    };
    s = performance.now();
    await similarPublicReports(svc, { ...q, ...at }, LOOKUP_OPTIONS);
    if (i >= 20) pointTimes.push(performance.now() - s);
    const tid = String(1 + Math.floor(rand() * REPORTS)).padStart(10, '0');
    s = performance.now();
    await similarReportsForStaff(svc, caller, tid, LOOKUP_OPTIONS);
    if (i >= 20) staffTimes.push(performance.now() - s);
    // At verification (the screen's use): a report of the last 3 days (report g was filed g % DAYS days before the
    // end), so the window's 90 days after it are still empty.
    // Picked without `rand()`, so the other lookups keep their texts and points.
    const fresh = ((i * 7919) % Math.floor(REPORTS / DAYS)) * DAYS + 1 + (i % 3);
    s = performance.now();
    await similarReportsForStaff(
      svc,
      caller,
      String(Math.min(fresh, REPORTS)).padStart(10, '0'),
      LOOKUP_OPTIONS,
    );
    if (i >= 20) verifyTimes.push(performance.now() - s);
  }
  console.log(
    `similar lookup: ${REPORTS.toLocaleString('en')} reports in PostgreSQL (${regions.length} kab/kota, ${DAYS} days; ${reused ? 'kept database reused' : `loaded in ${loadSeconds.toFixed(0)} s`})`,
  );
  console.log(
    `  citizen side (open public, 180 days, same kab/kota): p50 ${ms(pct(publicTimes, 50))}, p95 ${ms(pct(publicTimes, 95))}`,
  );
  console.log(
    `  citizen side with a point (+ within 1 km):           p50 ${ms(pct(pointTimes, 50))}, p95 ${ms(pct(pointTimes, 95))}`,
  );
  console.log(
    `  staff side (every report, ±90 days, same kab/kota, + within 1 km of its point if any): p50 ${ms(pct(staffTimes, 50))}, p95 ${ms(pct(staffTimes, 95))}`,
  );
  console.log(
    `  staff side at verification (a report of the last 3 days): p50 ${ms(pct(verifyTimes, 50))}, p95 ${ms(pct(verifyTimes, 95))}`,
  );
  const one = regions[0]!.code;
  const regionCount = await svc.db.execute(
    sql`select count(*)::int as n,
               (count(*) filter (where status in ('dispatched', 'returned', 'in_progress', 'responded')
                  and not confidential and created_at >= timestamptz '2026-03-12T02:00:00Z' - interval '180 days'))::int as open
          from reports where region_code like ${`${one}.%`}`,
  );
  const counted = (regionCount as unknown as { rows: { n: number; open: number }[] }).rows[0]!;
  console.log(
    `  (about ${counted.n} reports per kab/kota, ${counted.open} of them open and public in the citizen side's 180 days)`,
  );
}

/**
 * ONLY=accuracy: the routing accuracy page's query (12 months) over the same reports, each verified to its
 * province's agency or a unit below it (80 %), 5 % of those returned as bukan wewenang, half with an agency and a
 * category suggestion decided: national, a province coordinator, a kab/kota coordinator and an agency admin.
 */
async function accuracyBench(svc: Services, client: pg.Client, reused: boolean) {
  if (!reused) await seedReports(client);
  const t0 = performance.now();
  const have = (await client.query('select count(*)::int as n from report_events')).rows[0] as { n: number };
  if (have.n === 0) {
    await client.query(`insert into agencies (id, name, kind, parent_id, path, zone)
      select 'p' || p, 'Dinas ' || p, 'provincial', null, '/p' || p || '/', 'WIB' from generate_series(11, 44) p
      union all
      select 'p' || p || 'u', 'Unit ' || p, 'unit', 'p' || p, '/p' || p || '/p' || p || 'u/', 'WIB' from generate_series(11, 44) p`);
    // Verified reports: a verify event a day after submission, to the province agency or (every third) its unit.
    await client.query(`insert into report_events (report_id, seq, type, visibility, data, created_at, hash)
      select id, 2, 'verify', 'internal',
             jsonb_build_object('agencyId', 'p' || left(region_code, 2) || case when hashtext(id::text) % 3 = 0 then 'u' else '' end),
             created_at + interval '1 day', 'x'
        from reports where status <> 'submitted'`);
    await client.query(`insert into report_events (report_id, seq, type, visibility, data, actor_agency_id, created_at, hash)
      select report_id, 3, 'return', 'internal', jsonb_build_object('fromAgencyId', data->>'agencyId'), data->>'agencyId',
             created_at + interval '3 days', 'x'
        from report_events where type = 'verify' and abs(hashtext(report_id::text)) % 20 = 0`);
    await client.query(`insert into routing_suggestions (report_id, kind, suggestions, top_label, top_confidence, shown_at,
             chosen_label, accepted, in_top3, decided_at)
      select e.report_id, k.kind, '[]'::jsonb, e.data->>'agencyId', 0.8, e.created_at - interval '1 hour',
             case when k.kind = 'agency' then e.data->>'agencyId' else '1' end,
             abs(hashtext(e.report_id::text)) % 5 <> 0, abs(hashtext(e.report_id::text)) % 25 <> 0, e.created_at
        from report_events e cross join (values ('agency'), ('category')) k(kind)
       where e.type = 'verify' and abs(hashtext(e.report_id::text)) % 2 = 0`);
    for (const table of ['report_events', 'routing_suggestions', 'agencies'])
      await client.query(`vacuum analyze ${table}`);
  }
  const counts = (
    await client.query(`select (select count(*) from report_events where type = 'verify')::int as verify,
      (select count(*) from report_events where type = 'return')::int as returns,
      (select count(*) from routing_suggestions)::int as suggestions`)
  ).rows[0] as { verify: number; returns: number; suggestions: number };
  console.log(
    `routing accuracy: ${REPORTS.toLocaleString('en')} reports, ${counts.verify.toLocaleString('en')} verifications, ${counts.returns.toLocaleString('en')} returns, ${counts.suggestions.toLocaleString('en')} suggestion rows (${have.n === 0 ? `events loaded in ${((performance.now() - t0) / 1000).toFixed(0)} s` : 'reused'})`,
  );
  const viewers: [string, Caller][] = [
    ['national', { actor: { userId: 'bench', grants: [{ role: 'national_admin' }] } } as unknown as Caller],
    [
      'province 35',
      {
        actor: { userId: 'bench', grants: [{ role: 'coordinator', regionCode: '35' }] },
      } as unknown as Caller,
    ],
    [
      'kab/kota 35.07',
      {
        actor: { userId: 'bench', grants: [{ role: 'coordinator', regionCode: '35.07' }] },
      } as unknown as Caller,
    ],
    [
      'agency p35 (+unit)',
      {
        actor: { userId: 'bench', grants: [{ role: 'agency_admin', agencyId: 'p35' }] },
      } as unknown as Caller,
    ],
  ];
  for (const [name, caller] of viewers) {
    const times: number[] = [];
    let decided = 0;
    let first = 0;
    // The first call reads every month; later ones take the closed months from the cache.
    for (let i = 0; i < 12; i++) {
      const s = performance.now();
      const r = await routingAccuracy(svc, caller, 12);
      if (i === 0) first = performance.now() - s;
      if (i >= 2) times.push(performance.now() - s);
      decided = r.months.reduce((a, m) => a + m.decided, 0);
    }
    console.log(
      `  ${name.padEnd(20)} 12 months: first ${ms(first)}; then p50 ${ms(pct(times, 50))}, p95 ${ms(pct(times, 95))} (${decided.toLocaleString('en')} decided)`,
    );
  }
}

console.log(`machine: ${os.cpus().length} cores (${os.cpus()[0]?.model ?? '?'}), Node ${process.version}`);
const ONLY = process.env.ONLY;
if (!ONLY || ONLY === 'model') modelBench();
if (ONLY === 'thread') await threadBench();
if (ONLY === 'accuracy') await withDatabase(accuracyBench);
else if (!process.env.SKIP_PG && ONLY !== 'model' && ONLY !== 'thread') {
  await withDatabase(async (svc, client, reused) => {
    if (ONLY === 'dupbusy') {
      if (!reused)
        throw new Error('ONLY=dupbusy needs a kept lookup database (ROUTING_BENCH_KEEP=1 ONLY=lookup first)');
      await duplicateBench(svc, client, true);
      return;
    }
    if (!reused && ONLY !== 'lookup') await duplicateBench(svc, client);
    if (ONLY !== 'dup') await lookupBench(svc, client, reused);
  });
}
