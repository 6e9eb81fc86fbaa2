/**
 * Loads the reference data shipped in src/assets (regions, region statistics, categories, holidays with their
 * corrections, SLA rules) into an empty database. Idempotent: each table is filled only when empty (migrations
 * run first, so data migrations such as 0027/0028 find the tables of a new database still empty).
 */
import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { sql } from 'drizzle-orm';
import { query, type AppDb } from '../client.ts';
import { categories, holidays, slaRules } from '../schema.ts';
import {
  applyHolidayCorrections,
  parseHolidayCsv,
  tryParseHolidayCorrections,
  type Holiday,
} from '../../domain/deadline/calendar.ts';
import { holidaysToLoad } from '../../domain/deadline/certain-holidays.ts';
import { DEFAULT_SLA_RULES } from '../../domain/deadline/sla.ts';

/** The last year whose national holidays and cuti bersama were set by an SKB when this data was taken. */
export const LAST_CONFIRMED_HOLIDAY_YEAR = 2026;

const asset = (name: string) => new URL(`../../assets/${name}`, import.meta.url);

/**
 * The national holidays and cuti bersama a new database starts with: `holidays.csv` (an unmodified copy of
 * the community dataset) with `holidays-corrections.csv` applied (where it disagrees with the SKB 3 Menteri,
 * see HOLIDAYS-NOTICE.md), up to {@link LAST_CONFIRMED_HOLIDAY_YEAR}. Throws when either file is malformed or
 * a correction no longer matches the table.
 */
export function bundledHolidays(): Holiday[] {
  // Years after LAST_CONFIRMED_HOLIDAY_YEAR are predictions in the source (no SKB yet): see bundledYear.
  return correctedTable().filter((h) => Number(h.date.slice(0, 4)) <= LAST_CONFIRMED_HOLIDAY_YEAR);
}

function correctedTable(): Holiday[] {
  const corrections = tryParseHolidayCorrections(readFileSync(asset('holidays-corrections.csv'), 'utf8'));
  if (!corrections.ok) throw new Error(corrections.error.message);
  return applyHolidayCorrections(
    parseHolidayCsv(readFileSync(asset('holidays.csv'), 'utf8')),
    corrections.value,
  );
}

/**
 * The national holidays to load for `year` when the SKB has not set it (the admin's "load" action, `aduan holidays
 * load`, a new database near the end of LAST_CONFIRMED_HOLIDAY_YEAR): the certain dates (not tentative) and, for a
 * year after LAST_CONFIRMED_HOLIDAY_YEAR, the bundled table's rows of that year as tentative predictions
 * (`holidaysToLoad`). For a confirmed year the bundled rows are the SKB's and are not tentative; for a year the
 * table does not reach (2031 on) only the certain dates.
 */
export function bundledYear(year: number): Holiday[] {
  const rows = correctedTable().filter((h) => Number(h.date.slice(0, 4)) === year);
  if (year <= LAST_CONFIRMED_HOLIDAY_YEAR) {
    // The SKB's own rows, confirmed whatever the source's "belum pasti" column said (the certain dates are among
    // them, 2015-2026, see the tests).
    const have = new Set(rows.map((h) => h.date));
    return holidaysToLoad(year, [])
      .filter((h) => !have.has(h.date))
      .concat(rows.map(({ tentative: _t, ...h }) => h))
      .sort(byDate);
  }
  return holidaysToLoad(year, rows);
}

const byDate = (a: Holiday, b: Holiday) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0);

/**
 * The years after LAST_CONFIRMED_HOLIDAY_YEAR a new database starts with predictions for, at `now` (WIB date):
 * from 1 November of a year, the next one too (the SKB for it may not be out; two months of deadlines already
 * reach into it), and every year up to the current one when the release is older. Empty before November of
 * LAST_CONFIRMED_HOLIDAY_YEAR.
 */
export function predictedSeedYears(now: Date): number[] {
  const wib = new Date(now.getTime() + 7 * 3_600_000);
  const year = wib.getUTCFullYear();
  const last = wib.getUTCMonth() >= 10 ? year + 1 : year;
  const out: number[] = [];
  for (let y = LAST_CONFIRMED_HOLIDAY_YEAR + 1; y <= last; y++) out.push(y);
  return out;
}

async function isEmpty(db: AppDb, table: string): Promise<boolean> {
  const [r] = await query<{ e: boolean }>(db, sql.raw(`select exists (select 1 from ${table}) as e`));
  return !r!.e;
}

/** Inserts rows through one JSON parameter (`json_to_recordset`): fast on both drivers, no parameter limit. */
async function insertJson(db: AppDb, table: string, columns: string, rows: unknown[]): Promise<void> {
  const chunk = 20_000;
  for (let i = 0; i < rows.length; i += chunk) {
    const json = JSON.stringify(rows.slice(i, i + chunk));
    const names = columns
      .split(',')
      .map((c) => c.trim().split(' ')[0])
      .join(', ');
    await db.execute(
      sql`insert into ${sql.raw(table)} (${sql.raw(names)}) select ${sql.raw(names)} from json_to_recordset(${json}::json) as x(${sql.raw(columns)})`,
    );
  }
}

/**
 * Seeds every reference table that is still empty. With `now` (the runtime passes its clock), a new database also
 * gets the holidays of the years {@link predictedSeedYears} names: certain dates confirmed, bundled predictions
 * tentative. Without it (the tests' migrated snapshot) only the confirmed years.
 */
export async function seedReference(db: AppDb, opts: { now?: Date } = {}): Promise<void> {
  if (await isEmpty(db, 'regions')) {
    const rows = parse(readFileSync(asset('regions.csv')), {
      columns: true,
      skip_empty_lines: true,
    }) as Array<Record<string, string>>;
    await insertJson(
      db,
      'regions',
      'code text, name text, level smallint, parent_code text',
      rows.map((r) => ({
        code: r.kode,
        name: r.nama,
        level: Number(r.level),
        parent_code: r.parent_kode || null,
      })),
    );
  }
  if (await isEmpty(db, 'region_stats')) {
    const rows = parse(readFileSync(asset('region-stats.csv')), {
      columns: true,
      skip_empty_lines: true,
    }) as Array<Record<string, string>>;
    await insertJson(
      db,
      'region_stats',
      'code text, population integer, area_km2 double precision',
      rows.map((r) => ({
        code: r.kode,
        population: r.penduduk_total ? Number(r.penduduk_total) : null,
        area_km2: r.luas_km2 ? Number(r.luas_km2) : null,
      })),
    );
  }
  if (await isEmpty(db, 'categories')) {
    const tree = JSON.parse(readFileSync(asset('categories.json'), 'utf8')) as Record<string, string[]>;
    for (const [name, subs] of Object.entries(tree)) {
      const [parent] = await db.insert(categories).values({ name }).returning({ id: categories.id });
      if (subs.length)
        await db.insert(categories).values(subs.map((s) => ({ name: s, parentId: parent!.id })));
    }
  }
  if (await isEmpty(db, 'holidays')) {
    // Confirmed years are the SKB's (the source's "belum pasti" column does not make them predictions).
    const rows: Holiday[] = bundledHolidays()
      .map((h): Holiday => ({ ...h, tentative: false }))
      .concat(...(opts.now ? predictedSeedYears(opts.now) : []).map((y) => bundledYear(y)));
    await db.insert(holidays).values(
      rows.map((h) => ({
        date: h.date,
        name: h.name,
        kind: h.kind,
        regionCode: h.regionCode ?? null,
        tentative: h.tentative === true,
      })),
    );
  }
  if (await isEmpty(db, 'sla_rules')) {
    await db.insert(slaRules).values(
      DEFAULT_SLA_RULES.map((r) => ({
        id: r.id,
        version: r.version,
        clock: r.clock,
        classification: r.classification,
        supervisory: r.supervisory ?? null,
        workingDays: r.workingDays,
        dayUnit: r.dayUnit ?? 'working',
        basis: r.basis,
        validFrom: r.validFrom,
      })),
    );
  }
}
