/**
 * Loads the reference data shipped in src/assets (regions, region statistics, categories, holidays, SLA rules)
 * into an empty database. Idempotent: each table is filled only when empty.
 */
import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { sql } from 'drizzle-orm';
import { query, type AppDb } from '../client.ts';
import { categories, holidays, slaRules } from '../schema.ts';
import { parseHolidayCsv } from '../../domain/deadline/calendar.ts';
import { DEFAULT_SLA_RULES } from '../../domain/deadline/sla.ts';

/** The last year whose national holidays and cuti bersama were set by an SKB when this data was taken. */
export const LAST_CONFIRMED_HOLIDAY_YEAR = 2026;

const asset = (name: string) => new URL(`../../assets/${name}`, import.meta.url);

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

/** Seeds every reference table that is still empty. */
export async function seedReference(db: AppDb): Promise<void> {
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
    // Years after LAST_CONFIRMED_HOLIDAY_YEAR are predictions in the source (no SKB yet): coordinators enter them.
    const rows = parseHolidayCsv(readFileSync(asset('holidays.csv'), 'utf8')).filter(
      (h) => Number(h.date.slice(0, 4)) <= LAST_CONFIRMED_HOLIDAY_YEAR,
    );
    await db
      .insert(holidays)
      .values(
        rows.map((h) => ({ date: h.date, name: h.name, kind: h.kind, regionCode: h.regionCode ?? null })),
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
        basis: r.basis,
        validFrom: r.validFrom,
      })),
    );
  }
}
