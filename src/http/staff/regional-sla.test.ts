/**
 * Regional SLA rules over real HTTP (docs/adr/0013-regional-sla-rules.md): the Kaltim coordinator sets a 1-working-day
 * verification rule for province 64 on the SLA page, citing its Pergub; a report filed afterwards in 64.71 gets a
 * 1-day verification deadline whose explanation cites the Pergub (API for the reporter, staff report page), a report
 * in 31 (Jakarta) keeps the national 3 days. The coordinator cannot set a rule for 31 (403) nor a longer one (422, in
 * both languages), an agency admin gets 403 on the page and the API, and the administration log shows the entry
 * with its region to the coordinator, not to the Balikpapan coordinator (64.71 lies below 64, not above).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO, startTestApp, submitReport, type TestApp } from '../../../test/helpers/app.ts';
import { auditLog } from '../../../test/helpers/admin-audit.ts';
import { csrfOf, signInWeb } from '../../../test/helpers/web-client.ts';

let t: TestApp;
const log = auditLog(() => t);
// Tuesday 10 November 2026, 10:00 WITA: no holidays this week.
const NOW = new Date('2026-11-10T02:00:00Z');
const PERGUB = 'Pergub Kaltim 12/2026 tentang Pengelolaan Pengaduan Pasal 7';

beforeAll(async () => {
  t = await startTestApp({ now: NOW });
});
afterAll(async () => {
  await t?.close();
});

describe('regional SLA rules', () => {
  it('a Kaltim coordinator tightens verification for 64; reports in 64.71 get it, Jakarta keeps 3 days', async () => {
    const coord = await signInWeb(t.url, DEMO.coordinator);
    const page = await coord.get('/kantor/admin/sla');
    expect(page.status).toBe(200);
    // The national rules are listed read-only; the form offers the coordinator's region and its kab/kota only.
    expect(page.html).toContain('Nasional (seluruh Indonesia)');
    expect(page.html).toContain('Hanya dapat dibaca');
    expect(page.html).toContain('<option value="64">Provinsi Kalimantan Timur (64)</option>');
    expect(page.html).toContain('<option value="64.71">Kota Balikpapan (64.71)</option>');
    expect(page.html).not.toContain('<option value="31">');
    expect(page.html).not.toContain('<option value="">Nasional');

    const before = await log.lastId();
    // Longer than the national 3 working days: refused on the page, with the limit and its basis.
    const longer = await coord.post('/kantor/admin/sla', {
      _csrf: csrfOf(page.html),
      regionCode: '64',
      clock: 'verification',
      workingDays: '5',
      dayUnit: 'working',
      basis: PERGUB,
      validFrom: '2026-11-10',
    });
    expect(longer.status).toBe(422);
    expect(longer.html).toContain(
      'Aturan daerah hanya boleh memperketat: paling lama 3 hari menurut PermenPANRB 62/2018',
    );
    expect(longer.html).toContain('#f-workingDays');
    // Another province: 403.
    const jakarta = await coord.post('/kantor/admin/sla', {
      _csrf: csrfOf(page.html),
      regionCode: '31',
      clock: 'verification',
      workingDays: '1',
      basis: PERGUB,
      validFrom: '2026-11-10',
    });
    expect(jakarta.status).toBe(403);
    // No region (the coordinator's form has no national choice): a field error, not a national rule.
    const none = await coord.post('/kantor/admin/sla', {
      _csrf: csrfOf(page.html),
      clock: 'verification',
      workingDays: '1',
      basis: PERGUB,
      validFrom: '2026-11-10',
    });
    expect(none.status).toBe(422);
    expect(none.html).toContain('#f-regionCode');
    expect(await log.entriesAfter(before)).toEqual([]);

    const added = await coord.post('/kantor/admin/sla', {
      _csrf: csrfOf(page.html),
      regionCode: '64',
      clock: 'verification',
      workingDays: '1',
      dayUnit: 'working',
      basis: PERGUB,
      validFrom: '2026-11-10',
    });
    expect(added.status, added.html.slice(0, 2000)).toBe(303);
    const after = (await coord.get('/kantor/admin/sla')).html;
    expect(after).toContain('<h2 id="h-sla-64">Provinsi Kalimantan Timur (64)</h2>');
    expect(after).toContain('<code>64:verification</code>');
    expect(after).toContain(PERGUB);

    // The administration log: one entry with the region; the coordinator reads it on the log page.
    const entries = await log.entriesAfter(before);
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({
      action: 'sla.add',
      target_type: 'sla_rule',
      target_id: '64:verification@1',
      details: expect.objectContaining({ regionCode: '64', workingDays: 1, basis: PERGUB }),
    });
    const logPage = await coord.get('/kantor/admin/log');
    expect(logPage.status).toBe(200);
    expect(logPage.html).toContain('aturan SLA 64:verification untuk wilayah Kalimantan Timur');
    // The Balikpapan coordinator administers 64.71 only: the province's rule entry is not its to read.
    const bpp = await signInWeb(t.url, DEMO.balikpapanCoordinator);
    expect((await bpp.get('/kantor/admin/log')).html).not.toContain('64:verification');

    // A report filed afterwards in Balikpapan: 1 working day, explained with the Pergub.
    const bppReport = await t.api('/api/v1/reports', {
      json: {
        classification: 'pengaduan',
        title: 'Lampu jalan padam di Balikpapan Timur',
        body: 'Lampu jalan padam sepanjang satu kilometer sejak minggu lalu, mohon segera diperbaiki.',
        regionCode: '64.71.01',
        reporter: { name: 'Siti Balikpapan', email: 'siti.bpp@contoh.aduan.id' },
      },
    });
    expect(bppReport.status, JSON.stringify(bppReport.body)).toBe(201);
    expect(bppReport.body.deadline.dueAt).toBe('2026-11-11T23:59:59.999+08:00');
    const own = await t.api(`/api/v1/reports/${bppReport.body.trackingId}?lang=en`, {
      accessKey: bppReport.body.accessKey,
    });
    expect(own.status).toBe(200);
    expect(own.body.deadline).toMatchObject({
      clock: 'verification',
      ruleId: '64:verification',
      ruleVersion: 1,
    });
    expect(own.body.deadline.explanations.id).toContain(`1 hari kerja`);
    expect(own.body.deadline.explanations.id).toContain(PERGUB);
    expect(own.body.deadline.explanations.en).toContain(PERGUB);
    // Staff read the same explanation on the report page.
    const staffPage = await coord.get(`/kantor/laporan/${bppReport.body.trackingId}`);
    expect(staffPage.status).toBe(200);
    expect(staffPage.html).toContain(PERGUB);

    // A report in Jakarta keeps the national 3 working days.
    const jkt = await submitReport(t, 'Trotoar rusak di Gambir', {
      regionCode: '31.71.01',
      reporter: { name: 'Budi Gambir', email: 'budi.gambir@contoh.aduan.id' },
    });
    const jktReport = await t.api(`/api/v1/reports/${jkt}`, { token: await t.login(DEMO.national) });
    expect(jktReport.body.deadline).toMatchObject({ ruleId: 'verification', ruleVersion: 1 });
    expect(jktReport.body.deadline.dueAt).toBe('2026-11-13T23:59:59.999+07:00');
    expect(jktReport.body.deadline.explanations.id).not.toContain('Pergub');
  });

  it('the API: a coordinator within its region only, shorter only (both languages); agency admins 403', async () => {
    const coord = await t.login(DEMO.coordinator);
    const rule = {
      clock: 'completion',
      classification: 'aspirasi',
      workingDays: 3,
      basis: 'Pergub Kaltim 12/2026 Pasal 9',
      validFrom: '2026-11-10',
    };
    const outside = await t.api('/api/v1/sla-rules', { json: { ...rule, regionCode: '31' }, token: coord });
    expect(outside.status).toBe(403);
    const longer = await t.api('/api/v1/sla-rules', {
      json: { ...rule, workingDays: 6, regionCode: '64' },
      token: coord,
    });
    expect(longer.status).toBe(422);
    expect(longer.body.error.translations.id.fields.workingDays).toBe(
      'Aturan daerah hanya boleh memperketat: paling lama 5 hari menurut PermenPANRB 62/2018.',
    );
    expect(longer.body.error.translations.en.fields.workingDays).toBe(
      'A regional rule may only tighten: at most 5 days under PermenPANRB 62/2018.',
    );
    const national = await t.api('/api/v1/sla-rules', { json: rule, token: coord });
    expect(national.status).toBe(403);
    const admin = await t.login(DEMO.puprAdmin);
    expect(
      (await t.api('/api/v1/sla-rules', { json: { ...rule, regionCode: '64' }, token: admin })).status,
    ).toBe(403);
    const ok = await t.api('/api/v1/sla-rules', { json: { ...rule, regionCode: '64.71' }, token: coord });
    expect(ok.status, JSON.stringify(ok.body)).toBe(201);
    expect(ok.body).toMatchObject({
      id: '64.71:completion.aspirasi',
      version: 1,
      regionCode: '64.71',
      workingDays: 3,
    });
    // The list for a region: national rules, its ancestors' and its own, not another province's.
    const list = await t.api('/api/v1/sla-rules?regionCode=64.71', { token: coord });
    expect(list.status).toBe(200);
    const ids = (list.body.items as Array<{ id: string }>).map((r) => r.id);
    expect(ids).toEqual(
      expect.arrayContaining(['verification', '64:verification', '64.71:completion.aspirasi']),
    );
    // A general regional rule counts against every classification's national rule it would override: a general
    // 10-day completion rule for 64.71 would lengthen aspirasi's 5 days (and its own 3 days at 64.71 level).
    const general = await t.api('/api/v1/sla-rules', {
      json: {
        clock: 'completion',
        workingDays: 10,
        basis: 'Perwali Balikpapan 4/2026',
        validFrom: '2026-11-10',
        regionCode: '64.71',
      },
      token: await t.login(DEMO.balikpapanCoordinator),
    });
    expect(general.status).toBe(422);
    expect(general.body.error.translations.en.fields.workingDays).toMatch(
      /at most 5 days under PermenPANRB 62\/2018/,
    );
    // The agency admin's page is read-only and its POST is refused.
    const web = await signInWeb(t.url, DEMO.puprAdmin);
    const page = await web.get('/kantor/admin/sla');
    expect(page.status).toBe(200);
    expect(page.html).not.toContain('id="h-add-sla"');
    const post = await web.post('/kantor/admin/sla', {
      _csrf: csrfOf(page.html),
      regionCode: '64',
      clock: 'verification',
      workingDays: '1',
      basis: PERGUB,
      validFrom: '2026-11-10',
    });
    expect(post.status).toBe(403);
  });
});
