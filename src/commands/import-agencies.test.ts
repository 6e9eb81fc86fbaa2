/**
 * The `active` column of an agency import (`aktif` accepted as its header) on the demo database: it deactivates
 * under the rules of the admin page and nothing is written when a row is refused: not while the agency handles
 * open reports, not while an agency below it stays active once the whole file is applied (a branch goes in one
 * file, children and parent together), and, where people hold roles, only with `confirmStaff` (the roles stay).
 * `ya` reactivates, empty leaves an existing agency as it is, `tidak` on a new row creates it inactive, anything
 * else is a row error. The file is a windows-1252, semicolon-separated one, as Excel on Indonesian Windows saves it.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { actOk, DEMO, startTestApp, submitReport, type TestApp } from '../../test/helpers/app.ts';
import { systemCaller } from '../app/context.ts';
import { OPEN_STATUSES } from '../domain/report/report.ts';
import { readCsv } from './csv-reader.ts';
import {
  AGENCY_CSV_ALIASES,
  AGENCY_CSV_COLUMNS,
  AGENCY_CSV_REQUIRED,
  importAgencies,
  parseAgencyCsv,
  type ImportResult,
} from './import-agencies.ts';

let t: TestApp;
const caller = systemCaller('test');

beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t.close();
});

async function rows<T>(q: ReturnType<typeof sql>): Promise<T[]> {
  return ((await t.runtime.services.db.execute(q)) as unknown as { rows: T[] }).rows;
}

/** windows-1252 bytes (Latin-1 plus the en dash). */
function cp1252(text: string): Buffer {
  return Buffer.from([...text].map((c) => (c === '–' ? 0x96 : c.charCodeAt(0))));
}

/** Imports a semicolon file given as lines (the header `id;parent_id;name;kind;aktif` first). */
async function importLines(
  lines: string[],
  opts: { dryRun?: boolean; confirmStaff?: boolean } = {},
): Promise<ImportResult> {
  const read = readCsv(cp1252(['id;parent_id;name;kind;aktif', ...lines].join('\r\n') + '\r\n'), {
    known: [...AGENCY_CSV_COLUMNS, ...Object.keys(AGENCY_CSV_ALIASES)],
    required: AGENCY_CSV_REQUIRED,
    aliases: AGENCY_CSV_ALIASES,
  });
  expect(read.problem).toBeUndefined();
  const parsed = parseAgencyCsv(read.table!);
  expect(parsed.issues).toEqual([]);
  return importAgencies(t.runtime.services, caller, parsed.rows, opts);
}

async function activeOf(...ids: string[]): Promise<Record<string, boolean>> {
  const found = await rows<{ id: string; active: boolean }>(
    sql`select id, active from agencies where id in ${ids} order by id`,
  );
  return Object.fromEntries(found.map((r) => [r.id, r.active]));
}

/** An existing agency as an import row that changes nothing but `aktif`. */
async function rowOf(id: string, aktif: string): Promise<string> {
  const [a] = await rows<{ parent_id: string | null; name: string; kind: string }>(
    sql`select parent_id, name, kind from agencies where id = ${id}`,
  );
  return `${id};${a!.parent_id ?? ''};${a!.name};${a!.kind};${aktif}`;
}

describe('agencies import: the active column', () => {
  it('refuses to deactivate an agency with open reports; nothing is written', async () => {
    const created = await importLines(['upt-uji-laporan;pupr-kaltim;UPT Uji Laporan;unit;']);
    expect(created.applied).toBe(true);
    // A citizen addresses a report to it (still waiting for verification: open).
    const report = await submitReport(t, 'Jalan berlubang di depan kantor UPT', {
      targetAgencyId: 'upt-uji-laporan',
      reporter: { name: 'Rahmat Hidayat', email: 'rahmat@contoh.id' },
    });
    const line = await rowOf('upt-uji-laporan', 'tidak');
    const r = await importLines([line], { confirmStaff: true });
    expect(r.applied).toBe(false);
    expect(r.issues).toEqual([{ line: 2, field: 'active', issue: { key: 'agency_has_reports' } }]);
    expect(await activeOf('upt-uji-laporan')).toEqual({ 'upt-uji-laporan': true });
    // Once the coordinator has archived the report (no longer open), the same row deactivates the agency.
    await actOk(t, report, 'archive', { reason: 'too_general' }, { token: await t.login(DEMO.coordinator) });
    expect((await importLines([line])).applied).toBe(true);
    expect(await activeOf('upt-uji-laporan')).toEqual({ 'upt-uji-laporan': false });
  });

  it('where people hold roles: a row error naming --confirm-staff, then deactivated with it (roles kept)', async () => {
    const [staffed] = await rows<{ id: string; n: number }>(sql`
      select a.id, count(g.*)::int as n from agencies a join role_grants g on g.agency_id = a.id and g.role <> 'citizen'
      where a.active
        and not exists (select 1 from reports r where (r.agency_id = a.id or r.target_agency_id = a.id)
          and r.status in ${[...OPEN_STATUSES]})
        and not exists (select 1 from agencies c where c.path like a.path || '%' and c.id <> a.id and c.active)
      group by a.id order by a.id limit 1`);
    expect(staffed, 'the demo has a staffed agency without open reports or active units').toBeTruthy();
    const line = await rowOf(staffed!.id, 'tidak');
    const refused = await importLines([line]);
    expect(refused.applied).toBe(false);
    expect(refused.issues).toEqual([
      {
        line: 2,
        field: 'active',
        issue: { key: 'import_agency_has_staff', params: { count: staffed!.n } },
      },
    ]);
    expect(await activeOf(staffed!.id)).toEqual({ [staffed!.id]: true });

    const dry = await importLines([line], { confirmStaff: true, dryRun: true });
    expect(dry.issues).toEqual([]);
    expect(dry.steps).toMatchObject([{ id: staffed!.id, action: 'update', active: false }]);
    expect(await activeOf(staffed!.id)).toEqual({ [staffed!.id]: true });

    const done = await importLines([line], { confirmStaff: true });
    expect(done.applied).toBe(true);
    expect(await activeOf(staffed!.id)).toEqual({ [staffed!.id]: false });
    const [grants] = await rows<{ n: number }>(
      sql`select count(*)::int as n from role_grants where agency_id = ${staffed!.id} and role <> 'citizen'`,
    );
    expect(grants!.n).toBe(staffed!.n);
    // Already inactive: unchanged, no confirmation needed any more.
    const again = await importLines([line]);
    expect(again.issues).toEqual([]);
    expect(again.steps).toMatchObject([{ action: 'unchanged', active: false }]);
  });

  it('a branch is deactivated in one file, children with their parent; an active child left behind is refused', async () => {
    const created = await importLines([
      'upt-uji;pupr-kaltim;UPT Uji – Jalan dan Jembatan;unit;',
      ';upt-uji;Seksi Uji Drainase;unit;',
      'upt-uji-arsip;pupr-kaltim;UPT Uji Arsip;unit;tidak',
    ]);
    expect(created.issues).toEqual([]);
    expect(created.steps.map((s) => [s.action, s.name, s.active])).toEqual([
      ['create', 'UPT Uji – Jalan dan Jembatan', true],
      ['create', 'Seksi Uji Drainase', true],
      ['create', 'UPT Uji Arsip', false],
    ]);
    const child = created.steps[1]!.id;
    expect(await activeOf('upt-uji', child, 'upt-uji-arsip')).toEqual({
      'upt-uji': true,
      [child]: true,
      'upt-uji-arsip': false,
    });

    // The parent alone: its unit stays active.
    const parentOnly = await importLines([await rowOf('upt-uji', 'tidak')]);
    expect(parentOnly.issues).toEqual([{ line: 2, field: 'active', issue: { key: 'agency_has_children' } }]);
    // The parent, and a new active unit below it.
    const newChild = await importLines([
      await rowOf('upt-uji', 'tidak'),
      await rowOf(child, 'tidak'),
      ';upt-uji;Seksi Uji Baru;unit;',
    ]);
    // (a new agency below one being deactivated is refused as below an inactive agency)
    expect(newChild.issues).toEqual([{ line: 4, field: 'parent_id', issue: { key: 'agency_unknown' } }]);
    expect(await activeOf('upt-uji', child)).toEqual({ 'upt-uji': true, [child]: true });
    // A bad value.
    const bad = await importLines([await rowOf('upt-uji', 'mungkin')]);
    expect(bad.issues).toEqual([{ line: 2, field: 'active', issue: { key: 'csv_boolean' } }]);

    // Parent first, child after it: both go.
    const branch = await importLines([await rowOf('upt-uji', 'tidak'), await rowOf(child, 'no')]);
    expect(branch.issues).toEqual([]);
    expect(branch.applied).toBe(true);
    expect(await activeOf('upt-uji', child)).toEqual({ 'upt-uji': false, [child]: false });

    // Empty leaves them inactive; `ya` reactivates.
    const same = await importLines([await rowOf('upt-uji', ''), await rowOf(child, '')]);
    expect(same.steps.map((s) => s.action)).toEqual(['unchanged', 'unchanged']);
    expect(await activeOf('upt-uji', child)).toEqual({ 'upt-uji': false, [child]: false });
    const back = await importLines([await rowOf('upt-uji', 'ya'), await rowOf(child, '1')]);
    expect(back.steps.map((s) => [s.action, s.active])).toEqual([
      ['update', true],
      ['update', true],
    ]);
    expect(await activeOf('upt-uji', child)).toEqual({ 'upt-uji': true, [child]: true });
  });
});
