/**
 * A holiday's name has a maximum length (QA L2): at most 120 characters (after trimming) through the command,
 * the JSON API (`POST /api/v1/holidays`) and the back-office calendar form (`POST /kantor/admin/kalender`), with
 * the field message in Indonesian and English; nothing is stored. 120 characters are accepted.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO, startTestApp, type TestApp } from '../../test/helpers/app.ts';
import { csrfOf, signInWeb } from '../../test/helpers/web-client.ts';
import { AppError } from '../app/errors.ts';
import { systemCaller } from '../app/context.ts';
import { query } from '../db/client.ts';
import { HOLIDAY_NAME_MAX, holidayNameIssue, upsertHoliday } from './manage-holidays.ts';

let t: TestApp;
const LONG = 'Hari Jadi Kota Balikpapan '.repeat(200).slice(0, 5000);
const MAX = `Hari Jadi Kota Balikpapan ${'x'.repeat(HOLIDAY_NAME_MAX - 26)}`;

/** Holidays stored on a date. */
async function namesOn(date: string): Promise<string[]> {
  const rows = await query<{ name: string }>(
    t.runtime.services.db,
    sql`select name from holidays where date = ${date} order by name`,
  );
  return rows.map((r) => r.name);
}

beforeAll(async () => {
  t = await startTestApp({ now: new Date('2026-11-28T03:00:00Z') });
});
afterAll(() => t?.close());

describe('holiday name length', () => {
  it('the shared rule: required, 3 to 120 characters once trimmed', () => {
    expect(HOLIDAY_NAME_MAX).toBe(120);
    expect(MAX).toHaveLength(120);
    expect(holidayNameIssue(MAX)).toBeNull();
    expect(holidayNameIssue(`  ${MAX}  `)).toBeNull();
    expect(holidayNameIssue(`${MAX}x`)).toEqual({ key: 'too_long', params: { max: 120 } });
    expect(holidayNameIssue('   ')).toEqual({ key: 'required' });
    expect(holidayNameIssue('ab')).toEqual({ key: 'too_short', params: { min: 3 } });
  });

  it('the command refuses a longer name before writing anything', async () => {
    const err = await upsertHoliday(t.runtime.services, systemCaller('test'), {
      date: '2026-12-02',
      name: LONG,
      kind: 'regional',
      regionCode: '64.71',
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).code).toBe('VALIDATION_FAILED');
    expect((err as AppError).fields).toEqual({ name: { key: 'too_long', params: { max: 120 } } });
    expect(await namesOn('2026-12-02')).toEqual([]);
  });

  it('the JSON API answers 422 with the message in Indonesian and English; 120 characters are accepted', async () => {
    const token = await t.login(DEMO.balikpapanCoordinator);
    const holiday = (name: string) => ({ date: '2026-12-01', name, kind: 'regional', regionCode: '64.71' });
    const r = await t.api('/api/v1/holidays', { token, json: holiday(LONG) });
    expect(r.status).toBe(422);
    expect(r.body.error.fields).toEqual({ name: 'Maksimal 120 karakter.' });
    expect(r.body.error.translations.en.fields).toEqual({ name: 'At most 120 characters.' });
    const justOver = await t.api('/api/v1/holidays', { token, json: holiday(`${MAX}x`) });
    expect(justOver.status).toBe(422);
    expect(await namesOn('2026-12-01')).toEqual([]);
    const ok = await t.api('/api/v1/holidays', { token, json: holiday(MAX) });
    expect(ok.status, JSON.stringify(ok.body)).toBe(201);
    expect(await namesOn('2026-12-01')).toEqual([MAX]);
  });

  it('the calendar form answers 422 with the field message (id, en) and keeps nothing', async () => {
    const coord = await signInWeb(t.url, DEMO.balikpapanCoordinator);
    const cal = await coord.get('/kantor/admin/kalender?tahun=2026');
    expect(cal.status).toBe(200);
    const form = (name: string) => ({
      _csrf: csrfOf(cal.html),
      date: '2026-12-04',
      name,
      regionCode: '64.71',
    });
    let r = await coord.post('/kantor/admin/kalender', form(LONG));
    expect(r.status).toBe(422);
    expect(r.html).toContain('Maksimal 120 karakter.');
    expect(r.html).toContain('href="#f-name"');
    r = await coord.post('/kantor/admin/kalender?lang=en', form(LONG));
    expect(r.status).toBe(422);
    expect(r.html).toContain('At most 120 characters.');
    expect(await namesOn('2026-12-04')).toEqual([]);
    r = await coord.post('/kantor/admin/kalender', form(MAX));
    expect(r.status).toBe(303);
    expect(await namesOn('2026-12-04')).toEqual([MAX]);
  });
});
