/**
 * The administration audit log's further coverage (docs/security.md "Administration audit log"), over real HTTP and a
 * real database: each of these changes leaves exactly one entry with the right actor and details, a refused change
 * (or one that changes nothing) leaves none, and no secret reaches the table:
 * - pausing and resuming an agency webhook (back office);
 * - SMS keywords set, changed and cleared, and an Open311 service type (`aduan sms keyword`, `aduan open311 type`:
 *   the commands as the CLI calls them, actor 'cli');
 * - evaluation periods created and changed, rubric scores and a publish (API);
 * - the federation instance id, peers added, replaced and removed (back office);
 * - `aduan keys reseal` (counts and key ids, never a key);
 * - regional holidays carry their region, and a coordinator sees its own region's holiday edits on the log page
 *   (not another region's);
 * - entries that hold agency ids, category ids or region codes (a new agency's parent and region, a region change, a
 *   subcategory's parent, a regional holiday) read by their current names in both languages.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { auditLog } from '../../../test/helpers/admin-audit.ts';
import { DEMO, startTestApp, TEST_SECRET_KEY, type TestApp } from '../../../test/helpers/app.ts';
import { csrfOf, signInWeb, WebClient, type WebResponse } from '../../../test/helpers/web-client.ts';
import { MINIMAL_PDF } from '../../../test/helpers/pdf.ts';
import { createAgencyWebhook } from '../../commands/manage-agency-webhooks.ts';
import { setSmsKeyword } from '../../commands/set-sms-keyword.ts';
import { setOpen311ServiceType } from '../../commands/set-open311-service-type.ts';
import { resealSecrets } from '../../commands/reseal-secrets.ts';
import { upsertHoliday } from '../../commands/manage-holidays.ts';
import { addAgency, setAgencyRegion } from '../../commands/manage-agencies.ts';
import { addCategory } from '../../commands/manage-categories.ts';
import { createSealer, keyId, parseKey } from '../../integrations/crypto.ts';
import type { ServiceType } from '../../queries/open311.ts';
import { publishReviewed } from '../../../test/helpers/evaluation.ts';

let t: TestApp;

const { rows, idOf, callerOf, written, refused } = auditLog(() => t);

/** POST a back-office form of the integrations page with its CSRF token. */
async function integrationsForm(c: WebClient, action: string, form: Record<string, string>) {
  const page = await c.get('/kantor/integrasi');
  expect(page.status, page.html.slice(0, 300)).toBe(200);
  return c.post(action, { _csrf: csrfOf(page.html), ...form });
}

let national: WebClient;
let nationalId: string;

beforeAll(async () => {
  t = await startTestApp({ now: new Date('2026-03-12T02:00:00Z'), outboundAllowHosts: ['127.0.0.1'] });
  national = await signInWeb(t.url, DEMO.national);
  nationalId = await idOf(DEMO.national);
});
afterAll(() => t.close());

describe('webhooks: pause and resume', () => {
  it('each leaves one entry with the host only; pausing a paused one or another agency’s leaves none', async () => {
    const svc = t.runtime.services;
    const hook = await createAgencyWebhook(svc, await callerOf(DEMO.national), {
      agencyId: 'dinkes-kaltim',
      url: 'https://127.0.0.1:9/hook/kunci-rahasia-jalur',
      events: ['dispatched'],
    });
    const path = `/kantor/integrasi/webhook/${hook.id}/jeda`;

    let res!: WebResponse;
    const paused = await written(async () => {
      res = await integrationsForm(national, path, { paused: 'true' });
    });
    expect(res.status, res.html.slice(0, 300)).toBe(303);
    expect(paused).toHaveLength(1);
    expect(paused[0]).toMatchObject({
      action: 'webhook.pause',
      actor_user_id: nationalId,
      actor_label: null,
      target_type: 'webhook',
      target_id: hook.id,
      agency_id: 'dinkes-kaltim',
      details: { agencyId: 'dinkes-kaltim', host: '127.0.0.1:9' },
    });
    // Pausing a paused webhook changes nothing.
    expect(await written(() => integrationsForm(national, path, { paused: 'true' }))).toEqual([]);
    // PUPR's admin may not pause Dinkes's webhook.
    const puprAdmin = await signInWeb(t.url, DEMO.puprAdmin);
    const none = await written(async () => {
      res = await integrationsForm(puprAdmin, path, { paused: 'false' });
    });
    expect(res.status).toBe(403);
    expect(none).toEqual([]);

    const resumed = await written(() => integrationsForm(national, path, { paused: 'false' }));
    expect(resumed.map((e) => [e.action, e.actor_user_id, e.target_id])).toEqual([
      ['webhook.resume', nationalId, hook.id],
    ]);
    const dump = JSON.stringify([...paused, ...resumed]);
    expect(dump).not.toContain('kunci-rahasia-jalur');
    expect(dump).not.toContain(hook.secret);
  });
});

describe('SMS keywords and Open311 service types (operator CLI)', () => {
  it('set, changed and cleared keywords leave one entry each; a reserved, taken or unchanged one none', async () => {
    const svc = t.runtime.services;
    // The demo seeds PUPR's keyword (PUPR); clear it first, recorded as a clear.
    const [seeded] = await rows<{ k: string | null }>(
      sql`select sms_keyword as k from agencies where id = 'pupr-kaltim'`,
    );
    expect(seeded!.k).toBe('PUPR');
    const cleared = await written(() => setSmsKeyword(svc, 'pupr-kaltim', null));
    expect(cleared).toHaveLength(1);
    expect(cleared[0]).toMatchObject({
      action: 'sms_keyword.clear',
      actor_user_id: null,
      actor_label: 'cli',
      target_type: 'agency',
      target_id: 'pupr-kaltim',
      agency_id: 'pupr-kaltim',
      details: { agencyId: 'pupr-kaltim', from: 'PUPR', to: null },
    });
    expect(await written(() => setSmsKeyword(svc, 'pupr-kaltim', null))).toEqual([]);

    const set = await written(() => setSmsKeyword(svc, 'pupr-kaltim', 'jalan'));
    expect(set.map((e) => [e.action, e.actor_label, e.agency_id, e.details.from, e.details.to])).toEqual([
      ['sms_keyword.set', 'cli', 'pupr-kaltim', null, 'JALAN'],
    ]);
    expect(await written(() => setSmsKeyword(svc, 'pupr-kaltim', 'JALAN'))).toEqual([]);
    expect(await refused(() => setSmsKeyword(svc, 'pupr-kaltim', 'STATUS'))).toEqual([]);
    expect(await refused(() => setSmsKeyword(svc, 'dinkes-kaltim', 'JALAN'))).toEqual([]);

    const changed = await written(() => setSmsKeyword(svc, 'pupr-kaltim', 'PUPR'));
    expect(changed.map((e) => [e.action, e.actor_label, e.details.from, e.details.to])).toEqual([
      ['sms_keyword.set', 'cli', 'JALAN', 'PUPR'],
    ]);

    const id = await national.get('/kantor/admin/log?kelompok=sms_keyword&lang=id');
    expect(id.html).toContain('mengubah kata kunci SMS');
    expect(id.html).toContain('dari JALAN menjadi PUPR');
    const en = await national.get('/kantor/admin/log?kelompok=sms_keyword&lang=en');
    expect(en.html).toContain('removed the SMS keyword PUPR of');
  });

  it('an Open311 service type change leaves one entry; an unknown type or category, or the same type, none', async () => {
    const svc = t.runtime.services;
    const [cat] = await rows<{ id: number }>(sql`select id from categories where active order by id limit 1`);
    const code = String(cat!.id);
    const changed = await written(() => setOpen311ServiceType(svc, code, 'batch'));
    expect(changed).toHaveLength(1);
    expect(changed[0]).toMatchObject({
      action: 'open311.service_type',
      actor_user_id: null,
      actor_label: 'cli',
      target_type: 'category',
      target_id: code,
      agency_id: null,
      details: { categoryId: cat!.id, from: 'realtime', to: 'batch' },
    });
    expect(await written(() => setOpen311ServiceType(svc, code, 'batch'))).toEqual([]);
    expect(await refused(() => setOpen311ServiceType(svc, code, 'sometimes' as ServiceType))).toEqual([]);
    expect(await refused(() => setOpen311ServiceType(svc, '99999999', 'batch'))).toEqual([]);
  });
});

describe('evaluation periods, rubric scores and publishing', () => {
  const period = {
    id: 'log-2026',
    name: 'Evaluasi Log 2026',
    from: '2026-01-01',
    to: '2026-12-31',
    minVolume: 0,
    groups: [
      {
        id: 'log-pd',
        name: 'Perangkat Daerah',
        scope: 'agency',
        participants: [{ agencyId: 'pupr-kaltim' }, { agencyId: 'dinkes-kaltim' }],
      },
    ],
  };

  async function score(email: string, value: string) {
    const form = new FormData();
    form.set('agencyId', 'pupr-kaltim');
    form.set('indicator', 'komitmen_pimpinan');
    form.set('score', value);
    form.set('justification', 'SK Tim Pengelola Pengaduan dan papan informasi layanan tersedia.');
    form.append('evidence', new Blob([new Uint8Array(Buffer.from(MINIMAL_PDF))]), 'sk-tim.pdf');
    const res = await fetch(`${t.url}/api/v1/evaluation/periods/${period.id}/scores`, {
      method: 'POST',
      headers: { authorization: `Bearer ${await t.login(email)}` },
      body: form,
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  }

  it('create, change, score, re-score and publish each leave one entry; refused ones none', async () => {
    const token = await t.login(DEMO.national);
    let status = 0;
    const created = await written(async () => {
      const r = await t.api('/api/v1/evaluation/periods', { json: period, token });
      status = r.status;
    });
    expect(status).toBe(201);
    expect(created).toHaveLength(1);
    expect(created[0]).toMatchObject({
      action: 'evaluation.period',
      actor_user_id: nationalId,
      target_type: 'evaluation_period',
      target_id: 'log-2026',
      agency_id: null,
      details: {
        periodId: 'log-2026',
        name: 'Evaluasi Log 2026',
        created: true,
        weightsVersion: 1,
        participants: ['pupr-kaltim', 'dinkes-kaltim'],
      },
    });
    const changed = await written(async () => {
      const r = await t.api('/api/v1/evaluation/periods', {
        json: { ...period, name: 'Evaluasi Log 2026 (revisi)' },
        token,
      });
      status = r.status;
    });
    expect(status).toBe(201);
    expect(changed.map((e) => [e.action, e.details.created, e.details.name])).toEqual([
      ['evaluation.period', false, 'Evaluasi Log 2026 (revisi)'],
    ]);
    // An assessor may not define a period.
    const refusedPeriod = await written(async () => {
      const r = await t.api('/api/v1/evaluation/periods', {
        json: period,
        token: await t.login(DEMO.assessor),
      });
      status = r.status;
    });
    expect(status).toBe(403);
    expect(refusedPeriod).toEqual([]);

    const assessorId = await idOf(DEMO.assessor);
    let r!: Awaited<ReturnType<typeof score>>;
    const scored = await written(async () => {
      r = await score(DEMO.assessor, '75');
    });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    expect(scored).toHaveLength(1);
    expect(scored[0]).toMatchObject({
      action: 'evaluation.score',
      actor_user_id: assessorId,
      target_type: 'evaluation_period',
      target_id: 'log-2026',
      agency_id: 'pupr-kaltim',
      details: {
        periodId: 'log-2026',
        agencyId: 'pupr-kaltim',
        indicator: 'komitmen_pimpinan',
        score: 75,
        from: null,
      },
    });
    expect(JSON.stringify(scored)).not.toContain('sk-tim');
    const rescored = await written(async () => {
      r = await score(DEMO.assessor, '80');
    });
    expect(r.status).toBe(201);
    expect(rescored.map((e) => [e.action, e.details.score, e.details.from])).toEqual([
      ['evaluation.score', 80, 75],
    ]);
    const badScore = await written(async () => {
      r = await score(DEMO.assessor, '101');
    });
    expect(r.status).toBe(422);
    expect(badScore).toEqual([]);

    const published = await written(async () => {
      const p = await publishReviewed(t, period.id, token);
      status = p.status;
    });
    expect(status).toBe(201);
    expect(published).toHaveLength(1);
    expect(published[0]).toMatchObject({
      action: 'evaluation.publish',
      actor_user_id: nationalId,
      target_id: 'log-2026',
      agency_id: null,
    });
    expect(published[0]!.details.snapshotSha256).toMatch(/^[0-9a-f]{64}$/);
    // Published: a second publish, a change and a score are refused, without an entry.
    const after = await written(async () => {
      const p = await publishReviewed(t, period.id, token);
      const c = await t.api('/api/v1/evaluation/periods', { json: period, token });
      r = await score(DEMO.assessor, '90');
      expect([p.status, c.status, r.status]).toEqual([409, 409, 409]);
    });
    expect(after).toEqual([]);

    // The page shows them in words, in both languages.
    const id = await national.get('/kantor/admin/log?kelompok=evaluation&lang=id');
    expect(id.html).toContain('menerbitkan hasil periode evaluasi log-2026');
    expect(id.html).toContain('memberi nilai 80 untuk indikator komitmen_pimpinan');
    const en = await national.get('/kantor/admin/log?kelompok=evaluation&lang=en');
    expect(en.html).toContain('created the evaluation period Evaluasi Log 2026 (2 participants)');
  });
});

describe('evaluation periods on the log page', () => {
  it('a coordinator reads the entries of the periods of its region, none of a period reaching elsewhere', async () => {
    const nationalToken = await t.login(DEMO.national);
    const def = (id: string, participants: string[]) => ({
      id,
      name: `Evaluasi ${id}`,
      from: '2026-01-01',
      to: '2026-12-31',
      groups: [
        {
          id: `${id}-g`,
          name: 'Kelompok uji',
          scope: 'region',
          participants: participants.map((agencyId) => ({ agencyId })),
        },
      ],
    });
    const create = async (token: string, body: unknown) => {
      const r = await t.api('/api/v1/evaluation/periods', { json: body, token });
      expect(r.status, JSON.stringify(r.body)).toBe(201);
    };
    // Balikpapan's own period, made by its coordinator.
    const bppToken = await t.login(DEMO.balikpapanCoordinator);
    const own = await written(() => create(bppToken, def('log-bpp', ['diskominfo-balikpapan'])));
    // A period first with Samarinda too (that entry names Samarinda), then narrowed to Balikpapan.
    const mixed = await written(() =>
      create(nationalToken, def('log-mix', ['diskominfo-balikpapan', 'diskominfo-samarinda'])),
    );
    const narrowed = await written(() => create(nationalToken, def('log-mix', ['diskominfo-balikpapan'])));
    // A period with a ministry: national.
    const nationwide = await written(() =>
      create(nationalToken, def('log-nas', ['kemenpanrb', 'diskominfo-balikpapan'])),
    );
    for (const e of [own, mixed, narrowed, nationwide]) expect(e).toHaveLength(1);
    const provincial = (
      await rows<{ id: string }>(
        sql`select id from admin_audit_log where target_id = 'log-2026' and agency_id is null order by id`,
      )
    ).map((r) => Number(r.id));
    expect(provincial.length).toBeGreaterThanOrEqual(2); // created and published (previous describe)
    const id = (e: { id: unknown }[]) => Number(e[0]!.id);
    const shown = async (email: string) => {
      const page = await (await signInWeb(t.url, email)).get('/kantor/admin/log?kelompok=evaluation');
      expect(page.status).toBe(200);
      return {
        ids: [...page.html.matchAll(/data-entry="(\d+)"/g)].map((m) => Number(m[1])),
        html: page.html,
      };
    };

    const bpp = await shown(DEMO.balikpapanCoordinator);
    expect(bpp.ids).toEqual(expect.arrayContaining([id(own), id(narrowed)]));
    for (const other of [id(mixed), id(nationwide), ...provincial]) expect(bpp.ids).not.toContain(other);
    expect(bpp.html).toContain('Evaluasi log-bpp');
    expect(bpp.html).not.toContain('diskominfo-samarinda');
    expect(bpp.html).not.toContain('log-nas');

    const province = await shown(DEMO.coordinator);
    expect(province.ids).toEqual(expect.arrayContaining([id(own), id(mixed), id(narrowed), ...provincial]));
    expect(province.ids).not.toContain(id(nationwide));
    expect(province.html).toContain('menerbitkan hasil periode evaluasi log-2026');

    const all = await shown(DEMO.national);
    expect(all.ids).toEqual(expect.arrayContaining([id(own), id(mixed), id(narrowed), id(nationwide)]));
  });
});

describe('federation (back office)', () => {
  it('the instance id and peers added, replaced and removed leave one entry each; refused ones none', async () => {
    const instance = await written(() =>
      integrationsForm(national, '/kantor/integrasi/federasi/instans', { instanceId: 'aduan-kaltim' }),
    );
    expect(instance).toHaveLength(1);
    expect(instance[0]).toMatchObject({
      action: 'federation.instance',
      actor_user_id: nationalId,
      target_type: 'setting',
      target_id: 'federation.instance_id',
      details: { from: null, to: 'aduan-kaltim' },
    });
    expect(
      await written(() =>
        integrationsForm(national, '/kantor/integrasi/federasi/instans', { instanceId: 'aduan-kaltim' }),
      ),
    ).toEqual([]);

    const peerKey = 'kunci-mitra-federasi-rahasia';
    const peer = { peerInstance: 'aduan-jatim', peerUrl: 'https://127.0.0.1:9/jalur-rahasia', peerKey };
    const added = await written(() => integrationsForm(national, '/kantor/integrasi/federasi', peer));
    expect(added).toHaveLength(1);
    expect(added[0]).toMatchObject({
      action: 'federation.peer_add',
      actor_user_id: nationalId,
      target_type: 'federation_peer',
      target_id: 'aduan-jatim',
      details: { instanceId: 'aduan-jatim', host: '127.0.0.1:9', replaced: false },
    });
    const replaced = await written(() => integrationsForm(national, '/kantor/integrasi/federasi', peer));
    expect(replaced.map((e) => [e.action, e.details.replaced])).toEqual([['federation.peer_add', true]]);
    // A peer on a private address that is not allowed: refused, no entry.
    let status = 0;
    const blocked = await written(async () => {
      const r = await integrationsForm(national, '/kantor/integrasi/federasi', {
        ...peer,
        peerUrl: 'https://10.0.0.5',
      });
      status = r.status;
    });
    expect(status).toBe(422);
    expect(blocked).toEqual([]);
    // A coordinator may not touch federation.
    const coordinator = await signInWeb(t.url, DEMO.coordinator);
    const forbidden = await written(async () => {
      const r = await integrationsForm(coordinator, '/kantor/integrasi/federasi/instans', {
        instanceId: 'lain',
      });
      status = r.status;
    });
    expect(status).toBe(403);
    expect(forbidden).toEqual([]);

    const removed = await written(() =>
      integrationsForm(national, '/kantor/integrasi/federasi/aduan-jatim/hapus', {}),
    );
    expect(removed.map((e) => [e.action, e.actor_user_id, e.target_id, e.details.host])).toEqual([
      ['federation.peer_remove', nationalId, 'aduan-jatim', '127.0.0.1:9'],
    ]);
    const gone = await written(async () => {
      const r = await integrationsForm(national, '/kantor/integrasi/federasi/aduan-jatim/hapus', {});
      status = r.status;
    });
    expect(status).toBe(404);
    expect(gone).toEqual([]);
    const dump = JSON.stringify([...added, ...replaced, ...removed]);
    expect(dump).not.toContain(peerKey);
    expect(dump).not.toContain('jalur-rahasia');
  });
});

describe('regional holidays on the log page', () => {
  it('carry their region; a coordinator sees its region’s holiday edits, not another region’s', async () => {
    const svc = t.runtime.services;
    // A coordinator's region is its agency's (role_grants → agencies.region_code).
    const [grant] = await rows<{ region_code: string }>(
      sql`select a.region_code from role_grants g join users u on u.id = g.user_id
          join agencies a on a.id = g.agency_id
          where u.email = ${DEMO.coordinator} and g.role = 'coordinator'`,
    );
    const region = grant!.region_code;
    expect(region).toBeTruthy();
    const [inside] = await rows<{ code: string }>(
      sql`select code from regions where code like ${`${region}.%`} order by code limit 1`,
    );
    const [outside] = await rows<{ code: string }>(
      sql`select code from regions where code <> ${region} and code not like ${`${region}.%`}
          order by code limit 1`,
    );
    const own = await written(async () =>
      upsertHoliday(svc, await callerOf(DEMO.coordinator), {
        date: '2026-04-20',
        name: 'Hari Jadi Daerah Uji',
        kind: 'regional',
        regionCode: inside!.code,
      }),
    );
    expect(own).toHaveLength(1);
    expect(own[0]).toMatchObject({ action: 'holiday.add', details: { regionCode: inside!.code } });
    const other = await written(async () =>
      upsertHoliday(svc, await callerOf(DEMO.national), {
        date: '2026-04-21',
        name: 'Hari Jadi Daerah Lain',
        kind: 'regional',
        regionCode: outside!.code,
      }),
    );
    expect(other).toHaveLength(1);
    // A coordinator may not enter another region's holiday.
    expect(
      await refused(async () =>
        upsertHoliday(svc, await callerOf(DEMO.coordinator), {
          date: '2026-04-22',
          name: 'Bukan Wilayahnya',
          kind: 'regional',
          regionCode: outside!.code,
        }),
      ),
    ).toEqual([]);

    const coordinator = await signInWeb(t.url, DEMO.coordinator);
    const page = await coordinator.get('/kantor/admin/log?kelompok=holiday');
    expect(page.status).toBe(200);
    const shown = [...page.html.matchAll(/data-entry="(\d+)"/g)].map((m) => Number(m[1]));
    expect(shown).toContain(Number(own[0]!.id));
    expect(shown).not.toContain(Number(other[0]!.id));
    expect(page.html).toContain('Hari Jadi Daerah Uji');
    expect(page.html).not.toContain('Hari Jadi Daerah Lain');
    // The national admin sees both, each with its region's name.
    const all = await national.get('/kantor/admin/log?kelompok=holiday');
    expect(all.html).toContain('Hari Jadi Daerah Uji');
    expect(all.html).toContain('Hari Jadi Daerah Lain');
    const [insideName] = await rows<{ name: string }>(
      sql`select name from regions where code = ${inside!.code}`,
    );
    expect(page.html).toContain(`di wilayah ${insideName!.name}`);
    expect(page.html).not.toContain(`di wilayah ${inside!.code}`);
  });
});

describe('names, not ids, on the log page', () => {
  it('a new agency’s parent and region, its region change and a subcategory’s parent read by name (id, en)', async () => {
    const svc = t.runtime.services;
    const caller = await callerOf(DEMO.national);
    const [parent] = await rows<{ name: string; kind: string }>(
      sql`select p.name, c.kind from agencies p join agencies c on c.parent_id = p.id
          where p.id = 'pupr-kaltim' limit 1`,
    );
    const [created] = await written(() =>
      addAgency(svc, caller, {
        parentId: 'pupr-kaltim',
        name: 'UPTD Jalan Uji Nama',
        kind: parent!.kind,
        regionCode: '64.71',
      }),
    );
    expect(created).toMatchObject({
      action: 'agency.create',
      details: { parentId: 'pupr-kaltim', regionCode: '64.71' },
    });
    const moved = await written(() =>
      setAgencyRegion(svc, caller, created!.target_id, { regionCode: '64.72', zone: 'WITA' }),
    );
    expect(moved).toHaveLength(1);
    const [roads] = await rows<{ id: number; name: string }>(
      sql`select id, name from categories where parent_id is null order by id limit 1`,
    );
    const [sub] = await written(() =>
      addCategory(svc, caller, { name: 'Trotoar Uji Nama', parentId: roads!.id }),
    );
    expect(sub).toMatchObject({ action: 'category.add', details: { parentId: roads!.id } });

    const id = (await national.get('/kantor/admin/log?lang=id')).html;
    expect(id).toContain(
      `membuat instansi UPTD Jalan Uji Nama di wilayah Kota Balikpapan, di bawah ${parent!.name}`,
    );
    expect(id).toContain(
      'mengubah wilayah dan zona waktu UPTD Jalan Uji Nama dari Kota Balikpapan (WITA) menjadi Kota Samarinda (WITA)',
    );
    expect(id).toContain(`menambahkan subkategori Trotoar Uji Nama di bawah ${roads!.name}`);
    const en = (await national.get('/kantor/admin/log?lang=en')).html;
    expect(en).toContain(`created the agency UPTD Jalan Uji Nama in Kota Balikpapan, under ${parent!.name}`);
    expect(en).toContain(
      'changed the region and time zone of UPTD Jalan Uji Nama from Kota Balikpapan (WITA) to Kota Samarinda (WITA)',
    );
    expect(en).toContain(`added the subcategory Trotoar Uji Nama under ${roads!.name}`);
  });
});

describe('aduan keys reseal', () => {
  it('a reseal leaves one entry with counts and key ids, never a key; a reseal with nothing to do none', async () => {
    const svc = t.runtime.services;
    const OLD = parseKey(TEST_SECRET_KEY);
    const NEW = Buffer.alloc(32, 7);
    const original = svc.sealer;
    try {
      svc.sealer = createSealer(NEW, [OLD]);
      let resealed = 0;
      const entries = await written(async () => {
        const r = await resealSecrets(svc);
        resealed = Object.values(r.resealed).reduce((a, b) => a + b, 0);
      });
      expect(resealed).toBeGreaterThan(0);
      expect(entries).toHaveLength(1);
      expect(entries[0]).toMatchObject({
        action: 'keys.reseal',
        actor_user_id: null,
        actor_label: 'cli',
        target_type: 'key',
        target_id: keyId(NEW),
        details: { keyId: keyId(NEW), keyIds: [keyId(NEW), keyId(OLD)], resealed, failed: 0 },
      });
      const columns = entries[0]!.details.columns as Array<{ column: string; resealed: number }>;
      expect(columns.find((c) => c.column === 'agency_webhooks.secret_enc')?.resealed).toBeGreaterThan(0);
      expect(columns.reduce((a, c) => a + c.resealed, 0)).toBe(resealed);
      const dump = JSON.stringify(entries);
      for (const k of [NEW, OLD]) {
        expect(dump).not.toContain(k.toString('hex'));
        expect(dump).not.toContain(k.toString('base64'));
      }
      // Nothing left to reseal: nothing recorded.
      expect(await written(() => resealSecrets(svc))).toEqual([]);
      // Back to the test key (so the app keeps opening its values), recorded likewise.
      svc.sealer = createSealer(OLD, [NEW]);
      const back = await written(() => resealSecrets(svc));
      expect(back.map((e) => [e.action, e.target_id])).toEqual([['keys.reseal', keyId(OLD)]]);
    } finally {
      svc.sealer = original;
    }
  });
});
