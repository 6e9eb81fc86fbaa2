/**
 * Second audit of the onboarding features (H1, H2, M1): Ombudsman staff and government staff are kept apart on every
 * grant path and in the actor a session gets; a deactivated account is left out of notifications (the coordinators
 * hear instead), its queued messages are cancelled, and it no longer makes an agency "staffed".
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { categoryIdByName, DEMO, startTestApp, type TestApp } from '../../../test/helpers/app.ts';
import { csrfOf, signInWeb, WebClient } from '../../../test/helpers/web-client.ts';
import { actorFor } from '../../db/repositories/users.ts';
import { startWorker } from '../../jobs/worker.ts';

let t: TestApp;

async function rows<T>(q: ReturnType<typeof sql>): Promise<T[]> {
  return ((await t.runtime.services.db.execute(q)) as unknown as { rows: T[] }).rows;
}
const idOf = async (email: string) =>
  (await rows<{ id: string }>(sql`select id from users where email = ${email}`))[0]!.id;
async function submitOn(c: WebClient, pagePath: string, action: string, form: Record<string, string>) {
  const page = await c.get(pagePath);
  expect(page.status, page.html.slice(0, 200)).toBe(200);
  return c.post(action, { _csrf: csrfOf(page.html), ...form });
}
const REPORTER = { name: 'Budi Santoso', email: 'budi.santoso@example.com', phone: '081234567890' };

beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t?.close());

describe('Ombudsman staff and government staff are kept apart (H1)', () => {
  it('a regional coordinator neither lists nor grants Ombudsman staff; nobody mixes the two sides', async () => {
    const ombudsman = await idOf(DEMO.ombudsman);
    const coord = await signInWeb(t.url, DEMO.coordinator);
    const list = await coord.get('/kantor/admin/pengguna');
    expect(list.status).toBe(200);
    expect(list.html).not.toContain(DEMO.ombudsman);
    expect((await coord.get(`/kantor/admin/pengguna/${ombudsman}`)).status).toBe(404);
    const users = await coord.get('/kantor/admin/pengguna');
    const granted = await coord.post(`/kantor/admin/pengguna/${ombudsman}/peran`, {
      _csrf: csrfOf(users.html),
      role: 'officer',
      agencyId: 'pupr-kaltim',
    });
    expect(granted.status).toBe(404);
    // The Ombudsman office's page names none of its people to the coordinator.
    const office = await coord.get('/kantor/admin/instansi/ombudsman-kaltim');
    expect(office.status).toBe(200);
    expect(office.html).not.toContain(DEMO.ombudsman);
    // Not even the national admin puts a pemda role on an Ombudsman account, or an Ombudsman role on pemda staff.
    const nat = await signInWeb(t.url, DEMO.national);
    const mixed = await submitOn(
      nat,
      `/kantor/admin/pengguna/${ombudsman}`,
      `/kantor/admin/pengguna/${ombudsman}/peran`,
      {
        role: 'officer',
        agencyId: 'pupr-kaltim',
      },
    );
    expect(mixed.status).toBe(422);
    expect(mixed.html).toContain('Staf Ombudsman dan staf instansi pemerintah dipisahkan');
    const officer = await idOf(DEMO.puprOfficer);
    const other = await submitOn(
      nat,
      `/kantor/admin/pengguna/${officer}`,
      `/kantor/admin/pengguna/${officer}/peran`,
      {
        role: 'ombudsman',
        agencyId: 'ombudsman-kaltim',
      },
    );
    expect(other.status).toBe(422);
    expect(
      (await rows(sql`select 1 from role_grants where user_id = ${ombudsman} and role = 'officer'`)).length,
    ).toBe(0);
  });

  it('a pemda grant stored before on an Ombudsman account gives nothing: no report, no reporter', async () => {
    const made = await t.api('/api/v1/reports', {
      json: {
        classification: 'pengaduan',
        title: 'Jembatan kayu lapuk di desa',
        body: 'Jembatan kayu penghubung desa sudah lapuk dan berbahaya bagi anak sekolah yang melintas setiap hari.',
        regionCode: '64.72.02',
        reporter: REPORTER,
        confidential: true,
      },
    });
    expect(made.status, JSON.stringify(made.body)).toBe(201);
    const id = made.body.trackingId as string;
    const verify = await t.api(`/api/v1/reports/${id}/actions/verify`, {
      json: { agencyId: 'pupr-kaltim', categoryId: await categoryIdByName(t) },
      token: await t.login(DEMO.coordinator),
    });
    expect(verify.status, JSON.stringify(verify.body)).toBe(200);
    const ombudsman = await idOf(DEMO.ombudsman);
    await t.runtime.services.db.execute(
      sql`insert into role_grants (user_id, role, agency_id) values (${ombudsman}, 'officer', 'pupr-kaltim')`,
    );
    try {
      const actor = await actorFor(t.runtime.services.db, ombudsman);
      expect(actor.grants.map((g) => g.role)).toEqual(['ombudsman']);
      const token = await t.login(DEMO.ombudsman);
      const seen = await t.api(`/api/v1/reports/${id}`, { token });
      expect(seen.status).toBe(404);
      expect(JSON.stringify(seen.body)).not.toMatch(/Budi|budi\.santoso|081234567890/);
    } finally {
      await t.runtime.services.db.execute(
        sql`delete from role_grants where user_id = ${ombudsman} and role = 'officer'`,
      );
    }
  });
});

describe('a deactivated account (H2, M1)', () => {
  it('hears nothing more, its queued messages are cancelled, and the coordinators are told instead', async () => {
    const dinkes = await idOf(DEMO.dinkesAdmin);
    // A message already queued for the account before it is deactivated.
    await t.runtime.services.db.execute(
      sql`insert into outbox (kind, channel, recipient, payload, idempotency_key)
          values ('notify', 'email', ${`user:${dinkes}`}, '{}'::jsonb, ${`test:queued:${dinkes}`})`,
    );
    const nat = await signInWeb(t.url, DEMO.national);
    const off = await submitOn(
      nat,
      `/kantor/admin/pengguna/${dinkes}`,
      `/kantor/admin/pengguna/${dinkes}/nonaktifkan`,
      {},
    );
    expect(off.status, off.html.slice(0, 200)).toBe(303);
    expect(
      (
        await rows<{ status: string }>(
          sql`select status from outbox where idempotency_key = ${`test:queued:${dinkes}`}`,
        )
      )[0]!.status,
    ).toBe('cancelled');
    const made = await t.api('/api/v1/reports', {
      json: {
        classification: 'pengaduan',
        title: 'Puskesmas tutup pada jam layanan',
        body: 'Puskesmas di kecamatan kami tutup pada jam layanan sehingga warga tidak bisa berobat pagi ini.',
        regionCode: '64.72.02',
        targetAgencyId: 'dinkes-kaltim',
        reporter: { name: 'Warga Sintetis' },
      },
    });
    expect(made.status, JSON.stringify(made.body)).toBe(201);
    // The worker fans the event out (no transport: the messages wait in the outbox, which is what is read here).
    const worker = await startWorker(t.runtime.services, {
      transports: {},
      autoStart: false,
      sweepEveryMs: 0,
    });
    try {
      await worker.drain();
    } finally {
      await worker.stop();
    }
    const recipients = (
      await rows<{ recipient: string }>(
        sql`select o.recipient from outbox o join reports r on r.id = o.report_id
            where r.tracking_id = ${made.body.trackingId} and o.recipient like 'user:%'`,
      )
    ).map((r) => r.recipient);
    expect(recipients).not.toContain(`user:${dinkes}`);
    const coordinator = await idOf(DEMO.coordinator);
    expect(recipients).toContain(`user:${coordinator}`);
  });
});

describe('deactivating an agency (M3)', () => {
  it('is refused while a report addressed to it waits for verification, and the page counts that report', async () => {
    await t.runtime.services.db.execute(
      sql`insert into agencies (id, name, kind, parent_id, path, region_code, zone)
          values ('pemprov-kaltim-dinas-sosial-uji', 'Dinas Sosial Uji', 'perangkat_daerah', 'pemprov-kaltim',
                  '/pemprov-kaltim/pemprov-kaltim-dinas-sosial-uji/', '64', 'WITA')`,
    );
    const made = await t.api('/api/v1/reports', {
      json: {
        classification: 'pengaduan',
        title: 'Bantuan sosial tidak sampai',
        body: 'Bantuan sosial untuk lansia di kampung kami tidak sampai sejak tiga bulan terakhir, mohon diperiksa.',
        regionCode: '64.72.02',
        targetAgencyId: 'pemprov-kaltim-dinas-sosial-uji',
        reporter: { name: 'Warga Sintetis' },
      },
    });
    expect(made.status, JSON.stringify(made.body)).toBe(201);
    const nat = await signInWeb(t.url, DEMO.national);
    const path = '/kantor/admin/instansi/pemprov-kaltim-dinas-sosial-uji';
    const off = await submitOn(nat, path, `${path}/status`, { active: 'false' });
    expect(off.status).toBe(422);
    expect(
      (
        await rows<{ active: boolean }>(
          sql`select active from agencies where id = 'pemprov-kaltim-dinas-sosial-uji'`,
        )
      )[0]!.active,
    ).toBe(true);
  });
});
