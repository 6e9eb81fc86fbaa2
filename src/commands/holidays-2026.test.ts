/**
 * The 2026 calendar against the SKB 3 Menteri (real database, real HTTP): the bundled data gives 17 national
 * holidays + 8 cuti bersama, so a clock started on Monday 15 June skips 1 Muharam (Tuesday 16 June) and counts
 * Wednesday 17 June. A database loaded with the uncorrected table is fixed by migration 0027 (rows still as
 * shipped only) and its running clocks are recomputed at start-up; migration 0028 gives it escalation v2.
 */
import { readFileSync } from 'node:fs';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO, startTestApp, type TestApp } from '../../test/helpers/app.ts';
import { query } from '../db/client.ts';
import { invalidateCalendarCache } from '../db/repositories/calendar.ts';
import { bundledHolidays } from '../db/seed/reference.ts';
import { parseHolidayCsv } from '../domain/deadline/calendar.ts';
import { DEFAULT_SLA_RULES } from '../domain/deadline/sla.ts';
import { recomputeMarkedCalendarDates, RECOMPUTE_DATES_KEY } from './recompute-deadlines.ts';

let t: TestApp;

const SKB_2026 = {
  libur_nasional: [
    '2026-01-01', // Tahun Baru
    '2026-01-16', // Isra Mikraj
    '2026-02-17', // Imlek
    '2026-03-19', // Nyepi
    '2026-03-21', // Idul Fitri
    '2026-03-22',
    '2026-04-03', // Wafat Yesus Kristus
    '2026-04-05', // Paskah
    '2026-05-01', // Hari Buruh
    '2026-05-14', // Kenaikan Yesus Kristus
    '2026-05-27', // Idul Adha
    '2026-05-31', // Waisak
    '2026-06-01', // Pancasila
    '2026-06-16', // 1 Muharam
    '2026-08-17', // Proklamasi
    '2026-08-25', // Maulid Nabi
    '2026-12-25', // Natal
  ],
  cuti_bersama: [
    '2026-02-16',
    '2026-03-18',
    '2026-03-20',
    '2026-03-23',
    '2026-03-24',
    '2026-05-15',
    '2026-05-28',
    '2026-12-24',
  ],
};

const at = (iso: string) => {
  const d = new Date(iso);
  t.setNow(d);
  return d;
};

async function rows<T>(q: ReturnType<typeof sql>): Promise<T[]> {
  return query<T>(t.runtime.services.db, q);
}

async function national2026() {
  return rows<{ date: string; kind: string; name: string }>(
    sql`select date::text as date, kind, name from holidays
        where region_code is null and date between '2026-01-01' and '2026-12-31' order by date`,
  );
}

async function submit(regionCode: string, title: string) {
  const r = await t.api('/api/v1/reports', {
    json: {
      classification: 'pengaduan',
      title,
      body: 'Jalan desa berlubang besar dan tergenang air sehingga membahayakan pengendara sepeda motor.',
      regionCode,
      anonymous: true,
    },
  });
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  return r.body as { trackingId: string; deadline: { dueAt: string; explanation: string } };
}

/** Runs the statements of a migration file, optionally only those matching `only`. */
async function runMigration(file: string, only?: RegExp) {
  const text = readFileSync(new URL(`../db/migrations/${file}`, import.meta.url), 'utf8');
  for (const statement of text.split('--> statement-breakpoint')) {
    if (!statement.trim() || (only && !only.test(statement))) continue;
    await t.runtime.services.db.execute(sql.raw(statement));
  }
}

beforeAll(async () => {
  t = await startTestApp({ now: new Date('2026-06-15T02:00:00Z') });
});
afterAll(() => t?.close());

describe('2026 holidays (SKB 3 Menteri)', () => {
  it('the bundled calendar has the 25 SKB days of 2026, with confirmed names', async () => {
    const db = await national2026();
    expect(db.filter((h) => h.kind === 'libur_nasional').map((h) => h.date)).toEqual(SKB_2026.libur_nasional);
    expect(db.filter((h) => h.kind === 'cuti_bersama').map((h) => h.date)).toEqual(SKB_2026.cuti_bersama);
    expect(db).toHaveLength(25);
    expect(db.filter((h) => /belum pasti/i.test(h.name))).toEqual([]);
    expect(db.find((h) => h.date === '2026-05-28')).toEqual({
      date: '2026-05-28',
      kind: 'cuti_bersama',
      name: 'Cuti Bersama Idul Adha',
    });
    // The same through the API, and what the loader produces from the asset files.
    const api = await t.api('/api/v1/holidays?year=2026');
    expect(api.status).toBe(200);
    expect(api.body.items.filter((h: { regionCode?: string | null }) => !h.regionCode)).toHaveLength(25);
    expect(
      bundledHolidays()
        .filter((h) => h.date.startsWith('2026'))
        .map((h) => ({ date: h.date, kind: h.kind, name: h.name })),
    ).toEqual(db);
    // A new database needs no recomputation (migration 0027 ran before the seed).
    expect(await rows(sql`select 1 from settings where key = ${RECOMPUTE_DATES_KEY}`)).toEqual([]);
  });

  it('a clock started on Monday 15 June skips 1 Muharam (16 June) and counts Wednesday 17 June', async () => {
    at('2026-06-15T10:00:00+08:00');
    const r = await submit('64.72.01', 'Jalan berlubang di Samarinda Ulu');
    // Verification, 3 working days: Wed 17, Thu 18, Fri 19 June.
    expect(r.deadline.dueAt).toBe('2026-06-19T23:59:59.999+08:00');
    expect(r.deadline.explanation).toContain(
      '16 Jun 1 Muharam Tahun Baru Islam 1448 Hijriyah (libur nasional)',
    );
    expect(r.deadline.explanation).not.toContain('17 Jun');
    // Follow-up, 5 working days from the same Monday: 17, 18, 19, 22, 23 June.
    const categoryId = (await t.api('/api/v1/categories')).body.items[0].id;
    const v = await t.api(`/api/v1/reports/${r.trackingId}/actions/verify`, {
      json: { categoryId, agencyId: 'pupr-kaltim' },
      token: await t.login(DEMO.coordinator),
    });
    expect(v.status, JSON.stringify(v.body)).toBe(200);
    expect(v.body.deadline).toMatchObject({ clock: 'follow_up', dueAt: '2026-06-23T23:59:59.999+08:00' });
    // Maulid Nabi: from Monday 24 August, 3 working days are Wed 26, Thu 27, Fri 28 August.
    at('2026-08-24T10:00:00+08:00');
    const aug = await submit('64.72.01', 'Jalan berlubang di Samarinda Seberang');
    expect(aug.deadline.dueAt).toBe('2026-08-28T23:59:59.999+08:00');
    expect(aug.deadline.explanation).toContain('25 Agu Maulid Nabi Muhammad S.A.W. (libur nasional)');
  });

  it('migration 0027 fixes a database loaded with the old table, keeps admin edits, and moves running clocks', async () => {
    const db = t.runtime.services.db;
    // The 2026 rows as the seed loaded them before the corrections, one of them since renamed by an admin.
    const raw = parseHolidayCsv(
      readFileSync(new URL('../assets/holidays.csv', import.meta.url), 'utf8'),
    ).filter((h) => h.date.startsWith('2026'));
    expect(raw).toHaveLength(28);
    await db.execute(
      sql`delete from holidays where region_code is null and date between '2026-01-01' and '2026-12-31'`,
    );
    for (const h of raw)
      await db.execute(sql`insert into holidays (date, name, kind) values (${h.date}, ${h.name}, ${h.kind})`);
    await db.execute(
      sql`update holidays set name = 'Maulid Nabi (ditetapkan admin)' where date = '2026-08-26' and region_code is null`,
    );
    invalidateCalendarCache();
    // A report filed meanwhile got the old calendar: 16 and 17 June skipped, due Monday 22 June.
    at('2026-06-15T11:00:00+08:00');
    const old = await submit('64.72.01', 'Jalan berlubang di Samarinda Kota');
    expect(old.deadline.dueAt).toBe('2026-06-22T23:59:59.999+08:00');

    await runMigration('0027_holiday_corrections_2026.sql');
    const fixed = await national2026();
    // The 25 SKB days, plus 26 August which an admin had changed (left alone).
    expect(fixed.filter((h) => h.date !== '2026-08-26').map((h) => [h.date, h.kind, h.name])).toEqual(
      bundledHolidays()
        .filter((h) => h.date.startsWith('2026'))
        .map((h) => [h.date, h.kind, h.name]),
    );
    expect(fixed.find((h) => h.date === '2026-08-26')).toEqual({
      date: '2026-08-26',
      kind: 'libur_nasional',
      name: 'Maulid Nabi (ditetapkan admin)',
    });
    expect(await rows(sql`select 1 from settings where key = ${RECOMPUTE_DATES_KEY}`)).toHaveLength(1);

    // Start-up recomputes the running clocks over the corrected dates, once.
    expect(await recomputeMarkedCalendarDates(t.runtime.services)).toBeGreaterThanOrEqual(1);
    const after = await t.api(`/api/v1/reports/${old.trackingId}`, {
      token: await t.login(DEMO.coordinator),
    });
    expect(after.body.deadline.dueAt).toBe('2026-06-19T23:59:59.999+08:00');
    expect(after.body.deadline.explanation).not.toContain('17 Jun');
    expect(after.body.deadline.explanation).not.toContain('belum pasti');
    expect(await rows(sql`select 1 from settings where key = ${RECOMPUTE_DATES_KEY}`)).toEqual([]);
    expect(await recomputeMarkedCalendarDates(t.runtime.services)).toBe(0);
    await db.execute(sql`delete from holidays where date = '2026-08-26' and region_code is null`);
    invalidateCalendarCache();
  });

  it('migration 0028 adds escalation v2 to databases seeded before it, unless admins added versions', async () => {
    const db = t.runtime.services.db;
    const escalation = () =>
      rows<{ version: number; working_days: number; day_unit: string; valid_from: string; basis: string }>(
        sql`select version, working_days, day_unit, valid_from::text as valid_from, basis from sla_rules
            where id = 'escalation' order by version`,
      );
    const seeded = await escalation();
    const v2 = DEFAULT_SLA_RULES.find((r) => r.id === 'escalation' && r.version === 2)!;
    expect(seeded).toEqual([
      { version: 1, working_days: 60, day_unit: 'working', valid_from: '2018-01-01', basis: v2.basis },
      { version: 2, working_days: 60, day_unit: 'calendar', valid_from: '2026-12-01', basis: v2.basis },
    ]);
    // A database seeded before: only version 1.
    await db.execute(sql`delete from sla_rules where id = 'escalation' and version = 2`);
    await runMigration('0028_sla_rule_day_unit.sql', /INSERT INTO "sla_rules"/);
    // (0028 wrote the basis as it read then; 0032 words it as the seed does.)
    await runMigration('0032_sla_basis_wording.sql');
    expect(await escalation()).toEqual(seeded);
    // An instance whose admins added their own version 2 keeps it.
    await db.execute(
      sql`update sla_rules set working_days = 45, day_unit = 'working' where id = 'escalation' and version = 2`,
    );
    await runMigration('0028_sla_rule_day_unit.sql', /INSERT INTO "sla_rules"/);
    expect((await escalation()).map((r) => [r.version, r.working_days, r.day_unit])).toEqual([
      [1, 60, 'working'],
      [2, 45, 'working'],
    ]);
    await db.execute(
      sql`update sla_rules set working_days = 60, day_unit = 'calendar' where id = 'escalation' and version = 2`,
    );
    invalidateCalendarCache();
  });

  it('migration 0032 words the built-in bases as the seed does, and leaves a basis an admin entered', async () => {
    const db = t.runtime.services.db;
    const basis = (id: string) =>
      rows<{ version: number; basis: string }>(
        sql`select version, basis from sla_rules where id = ${id} order by version`,
      );
    const seeded = { hold: await basis('hold_reply'), escalation: await basis('escalation') };
    expect(JSON.stringify(seeded)).not.toMatch(/aduan default|domain\.md/);
    // A database seeded before 0032.
    await db.execute(sql`update sla_rules set basis = 'aduan default' where id = 'hold_reply'`);
    await db.execute(
      sql`update sla_rules set basis = 'Ombudsman RI (60 hari belum selesai; domain.md §5.4)'
          where id = 'escalation' and version = 1`,
    );
    await db.execute(
      sql`update sla_rules set basis = 'Pergub uji 1/2026' where id = 'escalation' and version = 2`,
    );
    await runMigration('0032_sla_basis_wording.sql');
    expect(await basis('hold_reply')).toEqual(seeded.hold);
    expect(await basis('escalation')).toEqual([
      seeded.escalation[0],
      { version: 2, basis: 'Pergub uji 1/2026' },
    ]);
    await db.execute(
      sql`update sla_rules set basis = ${seeded.escalation[1]!.basis} where id = 'escalation' and version = 2`,
    );
    invalidateCalendarCache();
  });
});
