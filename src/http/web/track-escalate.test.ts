/**
 * The reporter's Ombudsman consent form on the tracking page, over real HTTP without JavaScript: the
 * `shareIdentity` checkbox is offered with its explanation, and the hand-off package carries the reporter's
 * identity only when it was ticked.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO, startTestApp, type TestApp } from '../../../test/helpers/app.ts';
import { WebClient } from '../../../test/helpers/web-client.ts';
import { handoffPackage } from '../../queries/handoff-package.ts';
import sharp from 'sharp';

let t: TestApp;

beforeAll(async () => {
  t = await startTestApp({ now: new Date('2026-03-12T02:00:00Z') });
});
afterAll(() => t?.close());

async function submit(name: string, email: string) {
  const r = await t.api('/api/v1/reports', {
    json: {
      classification: 'pengaduan',
      title: 'Jembatan kayu lapuk di Sungai Kunjang',
      body: 'Papan jembatan kayu sudah lapuk dan berlubang, berbahaya bagi anak sekolah yang melintas.',
      regionCode: '64.72',
      reporter: { name, email },
    },
  });
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  return r.body as { trackingId: string; accessKey: string };
}

describe('tracking page: transfer to Ombudsman', () => {
  it('says from when the transfer opens; then offers the shareIdentity checkbox with its explanation, in both languages', async () => {
    t.setNow(new Date('2026-03-12T02:00:00Z'));
    const r = await submit('Sari Wulandari', 'sari@contoh.aduan.id');
    const c = new WebClient(t.url);
    const before = await c.get(`/lacak/${r.trackingId}?k=${encodeURIComponent(r.accessKey)}`);
    expect(before.status).toBe(200);
    expect(before.html).toContain('Anda dapat meminta pengalihan ke Ombudsman mulai 24 Juni 2026.');
    expect(before.html).not.toContain('name="consent"');
    const beforeEn = await new WebClient(t.url).get(
      `/lacak/${r.trackingId}?k=${encodeURIComponent(r.accessKey)}&lang=en`,
    );
    expect(beforeEn.html).toContain('you can ask for the hand-off to Ombudsman from 24 June 2026.');
    t.setNow(new Date('2026-06-24T00:00:00.000+08:00'));
    const page = await c.get(`/lacak/${r.trackingId}?k=${encodeURIComponent(r.accessKey)}`);
    expect(page.status).toBe(200);
    expect(page.html).not.toContain('mulai 24 Juni 2026');
    expect(page.html).toMatch(/<input[^>]*name="shareIdentity"[^>]*value="1"/);
    expect(page.html).toContain('aria-describedby="f-shareIdentity-hint"');
    expect(page.html).toContain('Bagikan identitas saya kepada Ombudsman');
    expect(page.html).toContain('laporan dikirim tanpa identitas Anda');
    const en = await c.get(`/lacak/${r.trackingId}?k=${encodeURIComponent(r.accessKey)}&lang=en`);
    expect(en.html).toContain('Share my identity with the Ombudsman');
    expect(en.html).toContain('the report is sent without your identity');
    // Without the box ticked: the field error says what to do (this client reads English since ?lang=en).
    const unticked = await c.post(`/lacak/${r.trackingId}/escalate`, { k: r.accessKey });
    expect(unticked.status).toBe(422);
    expect(unticked.html).toContain('href="#f-consent"');
    expect(unticked.html).toContain('Tick the box to agree to the hand-off to Ombudsman.');
    t.setNow(new Date('2026-03-12T02:00:00Z'));
  });

  it('refuses the transfer through the 60th working day and names the day it opens; allows it just after', async () => {
    // Submitted Thursday 12 March 2026, 10:00 WITA: the 60th working day (over Nyepi, Idul Fitri and its cuti
    // bersama, Good Friday, Ascension, Idul Adha and its cuti bersama, Pancasila day and 1 Muharam on Tuesday
    // 16 June; Waisak falls on a Sunday) is Tuesday 23 June; the escalation deadline is its end, 23:59:59.999 WITA.
    t.setNow(new Date('2026-03-12T02:00:00Z'));
    const r = await submit('Wulan Sari', 'wulan@contoh.aduan.id');
    const c = new WebClient(t.url);
    const cEn = new WebClient(t.url);
    for (const moment of ['2026-06-23T00:00:00.000+08:00', '2026-06-23T23:59:59.999+08:00']) {
      t.setNow(new Date(moment));
      const early = await c.post(`/lacak/${r.trackingId}/escalate`, { k: r.accessKey, consent: '1' });
      expect(early.status, moment).toBe(422);
      expect(early.html).toContain('Pengalihan dapat diminta mulai 24 Juni 2026.');
      const en = await cEn.post(`/lacak/${r.trackingId}/escalate?lang=en`, { k: r.accessKey, consent: '1' });
      expect(en.html).toContain('You can ask for it from 24 June 2026.');
      // A form sent early (a page loaded before, a forged post) comes back saying from when, with no form.
      expect(early.html).toContain('Anda dapat meminta pengalihan ke Ombudsman mulai 24 Juni 2026.');
      expect(early.html).not.toContain('name="consent"');
    }
    t.setNow(new Date('2026-06-24T00:00:00.000+08:00'));
    const ok = await c.post(`/lacak/${r.trackingId}/escalate`, { k: r.accessKey, consent: '1' });
    expect(ok.status, ok.html).toBe(303);
    t.setNow(new Date('2026-03-12T02:00:00Z'));
  });

  it('puts the identity in the hand-off package only when the box is ticked (form post, no JS)', async () => {
    const shared = await submit('Rina Kartika', 'rina@contoh.aduan.id');
    const hidden = await submit('Agus Salim', 'agus@contoh.aduan.id');
    // 60 working days later the transfer may be asked for.
    t.setNow(new Date('2026-08-03T02:00:00Z'));
    const c = new WebClient(t.url);
    const a = await c.post(`/lacak/${shared.trackingId}/escalate`, {
      k: shared.accessKey,
      consent: '1',
      shareIdentity: '1',
    });
    expect(a.status, a.html).toBe(303);
    const b = await c.post(`/lacak/${hidden.trackingId}/escalate`, { k: hidden.accessKey, consent: '1' });
    expect(b.status, b.html).toBe(303);

    const withId = await handoffPackage(t.runtime.services, shared.trackingId);
    expect(withId).toMatchObject({ identityShared: true, reporter: { name: 'Rina Kartika' } });
    expect(JSON.stringify(withId)).toContain('rina@contoh.aduan.id');
    const without = await handoffPackage(t.runtime.services, hidden.trackingId);
    expect(without).toMatchObject({ identityShared: false, reporter: null });
    expect(JSON.stringify(without)).not.toContain('Agus Salim');
    expect(JSON.stringify(without)).not.toContain('agus@contoh.aduan.id');

    const page = await c.get(`/lacak/${shared.trackingId}?k=${encodeURIComponent(shared.accessKey)}`);
    expect(page.html).not.toContain('name="shareIdentity"');

    // The Ombudsman account sees the reporter only when it was shared.
    const ombudsman = await t.login(DEMO.ombudsman);
    const seen = await t.api(`/api/v1/reports/${shared.trackingId}`, { token: ombudsman });
    expect(seen.status).toBe(200);
    expect(seen.body.reporter).toMatchObject({ name: 'Rina Kartika' });
    const notSeen = await t.api(`/api/v1/reports/${hidden.trackingId}`, { token: ombudsman });
    expect(notSeen.status).toBe(200);
    expect(notSeen.body.status).toBe('transferred');
    expect(JSON.stringify(notSeen.body)).not.toMatch(/Agus Salim|agus@contoh/);
  });

  it('an anonim report goes without the identity: no checkbox, the API refuses sharing, files go unnamed', async () => {
    t.setNow(new Date('2026-03-12T02:00:00Z'));
    const r = await t.api('/api/v1/reports', {
      json: {
        classification: 'pengaduan',
        title: 'Pungutan liar di loket kecamatan',
        body: 'Petugas loket meminta uang tambahan untuk mempercepat pembuatan KTP elektronik warga.',
        regionCode: '64.72',
        anonymous: true,
        reporter: { name: 'Hadi Prasetyo', email: 'hadi@contoh.aduan.id', phone: '081277001122' },
      },
    });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    const { trackingId, accessKey } = r.body as { trackingId: string; accessKey: string };
    const png = await sharp({ create: { width: 4, height: 4, channels: 3, background: '#a00' } })
      .png()
      .toBuffer();
    const file = new FormData();
    file.append(
      'file',
      new Blob([new Uint8Array(png)], { type: 'image/png' }),
      'Hadi-KTP-6472010101900001.png',
    );
    const up = await t.api(`/api/v1/reports/${trackingId}/attachments`, {
      method: 'POST',
      body: file,
      accessKey,
    });
    expect(up.status, JSON.stringify(up.body)).toBe(201);
    t.setNow(new Date('2026-08-03T02:00:00Z'));
    try {
      const c = new WebClient(t.url);
      const page = await c.get(`/lacak/${trackingId}?k=${encodeURIComponent(accessKey)}`);
      expect(page.html).toContain('name="consent"');
      expect(page.html).not.toContain('name="shareIdentity"');
      expect(page.html).toContain('Ombudsman menerimanya tanpa identitas Anda');
      const refused = await t.api(`/api/v1/reports/${trackingId}/actions/escalate`, {
        json: { consent: true, shareIdentity: true },
        accessKey,
      });
      expect(refused.status).toBe(422);
      expect(refused.body.error.fields.shareIdentity).toContain('anonim');
      expect(refused.body.error.translations.en.fields.shareIdentity).toContain('Anonymous report');
      const ok = await c.post(`/lacak/${trackingId}/escalate`, { k: accessKey, consent: '1' });
      expect(ok.status, ok.html).toBe(303);
      const pkg = await handoffPackage(t.runtime.services, trackingId);
      expect(pkg).toMatchObject({ anonymous: true, identityShared: false, reporter: null });
      expect(pkg!.attachments).toHaveLength(1);
      expect(JSON.stringify(pkg)).not.toMatch(/Hadi|hadi@|77001122|6472010101900001/);
    } finally {
      t.setNow(new Date('2026-03-12T02:00:00Z'));
    }
  });
});
