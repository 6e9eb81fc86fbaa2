/**
 * SMS gateway webhook over real HTTP: signatures, keyword intake (agency keyword, unknown keyword →
 * regional verifier queue), STATUS, INFO from the same number only, retries ignored, floods limited (one notice),
 * replies in the outbox with the phone sealed, and the number never shown to agencies when anonymous.
 */
import { createHash, createHmac } from 'node:crypto';
import { and, asc, eq, sql } from 'drizzle-orm';
import { outbox } from '../../db/schema.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO } from '../../../test/helpers/app.ts';
import { signInWeb } from '../../../test/helpers/web-client.ts';
import { fanOutEvent } from '../../commands/fan-out-event.ts';
import { startChannelApp, type ChannelTestApp } from '../../../test/helpers/channels.ts';

const SECRET = 'sms-gateway-secret-uji';
let c: ChannelTestApp;
let seq = 0;

async function sms(from: string, text: string, opts: { id?: string; secret?: string; form?: boolean } = {}) {
  const id = opts.id ?? `gw-${++seq}`;
  const body = opts.form
    ? new URLSearchParams({ id, msisdn: from, message: text }).toString()
    : JSON.stringify({ messageId: id, from, text });
  const sig = createHmac('sha256', opts.secret ?? SECRET)
    .update(body)
    .digest('hex');
  const res = await fetch(`${c.url}/channels/sms/inbound`, {
    method: 'POST',
    headers: {
      'content-type': opts.form ? 'application/x-www-form-urlencoded' : 'application/json',
      'x-signature': `sha256=${sig}`,
    },
    body,
  });
  return { status: res.status, body: await res.json() };
}

const rows = async <T>(q: ReturnType<typeof sql>) =>
  ((await c.t.runtime.services.db.execute(q)) as unknown as { rows: T[] }).rows;

beforeAll(async () => {
  c = await startChannelApp(new Date('2026-03-12T02:00:00Z'), {
    channels: { smsGatewaySecret: SECRET, smsLimits: { perNumber: 5, windowSeconds: 3600 } },
  });
});
afterAll(() => c?.close());

describe('SMS channel', () => {
  it('rejects unsigned and badly signed webhooks with 401', async () => {
    const res = await fetch(`${c.url}/channels/sms/inbound`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ messageId: 'x', from: '081234', text: 'PUPR jalan rusak' }),
    });
    expect(res.status).toBe(401);
    expect((await sms('081211110000', 'PUPR jalan rusak', { secret: 'salah' })).status).toBe(401);
    // A header with a non-ASCII byte (64 characters, more bytes) is just a wrong signature, not a 500.
    const odd = await fetch(`${c.url}/channels/sms/inbound`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-signature': `sha256=${'a'.repeat(63)}\u00e9` },
      body: JSON.stringify({ messageId: 'x2', from: '081234567890', text: 'PUPR jalan rusak' }),
    });
    expect(odd.status).toBe(401);
  });

  it('files a report by agency keyword, replies through the outbox with the phone sealed', async () => {
    const r = await sms(
      '0812-1111-2222',
      'PUPR Jalan poros Samarinda-Bontang berlubang besar dekat jembatan',
    );
    expect(r.status).toBe(200);
    expect(r.body.status).toBe('filed');
    const [report] = await rows<any>(sql`select * from reports where tracking_id = ${r.body.trackingId}`);
    expect(report.channel).toBe('sms');
    expect(report.target_agency_id).toBe('pupr-kaltim');
    expect(report.anonymous).toBe(true);
    expect(JSON.stringify(report)).not.toContain('1111');
    const [out] = await rows<any>(
      sql`select * from outbox where kind = 'sms.reply' and report_id = ${report.id}`,
    );
    expect(out.channel).toBe('sms');
    // Sealed: the reply holds the private link with the access key (sms-reporter.test.ts).
    expect(out.payload.text).toBeUndefined();
    expect(c.t.runtime.services.sealer.open<string>(out.payload.textEnc)).toContain(r.body.trackingId);
    expect(JSON.stringify(out)).not.toMatch(/1111|62812/);
    expect(c.t.runtime.services.sealer.open<string>(out.payload.recipientEnc)).toBe('6281211112222');
    // The sender is kept only as a keyed digest: a plain sha256 of a number is reversed by trying every number.
    const [inbound] = await rows<any>(
      sql`select sender_hash from inbound_messages where report_id = ${report.id} and channel = 'sms'`,
    );
    expect(inbound.sender_hash).toBe(c.t.runtime.services.sealer.digest('sms:6281211112222'));
    expect(inbound.sender_hash).not.toBe(createHash('sha256').update('6281211112222').digest('hex'));
    // Anonymous: the agency never sees the number.
    const admin = await c.t.login(DEMO.puprAdmin);
    const seen = await c.t.api(`/api/v1/reports/${r.body.trackingId}`, { token: admin });
    expect(JSON.stringify(seen.body)).not.toMatch(/1111|62812|0812/);
    // The worker's fan-out of the submit event sends no second confirmation SMS to the reporter.
    const [event] = await c.t.runtime.services.db
      .select()
      .from(outbox)
      .where(and(eq(outbox.channel, 'event'), eq(outbox.reportId, report.id)))
      .orderBy(asc(outbox.id))
      .limit(1);
    expect((await fanOutEvent(c.t.runtime.services, event!)).created).toBeGreaterThan(0);
    const reporterSms = await rows<any>(
      sql`select id from outbox where report_id = ${report.id} and idempotency_key like '%:sms:reporter'`,
    );
    expect(reporterSms).toEqual([]);
  });

  it('a name the sender introduces as their own ("nama saya …") is masked: stored and shown without it', async () => {
    const r = await sms(
      '0812-3333-4444',
      'PUPR nama saya Sumarni Hartono, jalan di depan SDN 012 Sungai Kunjang rusak parah sejak Januari',
    );
    expect(r.body.status).toBe('filed');
    const [report] = await rows<any>(
      sql`select title, body from reports where tracking_id = ${r.body.trackingId}`,
    );
    expect(report.body).toContain(
      'nama saya [nama-disembunyikan] [nama-disembunyikan], jalan di depan SDN 012',
    );
    expect(JSON.stringify(report)).not.toMatch(/Sumarni|Hartono/);
    const admin = await c.t.login(DEMO.puprAdmin);
    const seen = await c.t.api(`/api/v1/reports/${r.body.trackingId}`, { token: admin });
    expect(seen.body.body).toContain('jalan di depan SDN 012');
    expect(JSON.stringify(seen.body)).not.toMatch(/Sumarni|Hartono/);
  });

  it('an unknown keyword goes to the regional verifier queue (no target agency); form bodies work', async () => {
    const r = await sms('081233334444', 'Lampu jalan di Balikpapan padam seminggu', { form: true });
    expect(r.body.status).toBe('filed');
    const [report] = await rows<any>(sql`select * from reports where tracking_id = ${r.body.trackingId}`);
    expect(report.target_agency_id).toBeNull();
    expect(report.region_code.startsWith('64.71')).toBe(true);
    // No keyword and no known place (no ADUAN_INTAKE_REGION here): filed without a region, for the national
    // admin to verify; a province's coordinator does not see it.
    const none = await sms('081233334444', 'tolong bantu, jalan rusak parah');
    expect(none.body.status).toBe('filed');
    const [placeless] = await rows<any>(
      sql`select * from reports where tracking_id = ${none.body.trackingId}`,
    );
    expect(placeless).toMatchObject({ region_code: null, target_agency_id: null, status: 'submitted' });
    const national = await c.t.login(DEMO.national);
    const queue = await c.t.api('/api/v1/reports?status=submitted&pageSize=100', { token: national });
    expect(queue.body.items.map((r: any) => r.trackingId)).toContain(none.body.trackingId);
    const coordinator = await c.t.login(DEMO.coordinator);
    expect((await c.t.api(`/api/v1/reports/${none.body.trackingId}`, { token: coordinator })).status).toBe(
      404,
    );
    // The national admin verifies and dispatches it like any other report.
    const cats = await c.t.api('/api/v1/categories');
    const verified = await c.t.api(`/api/v1/reports/${none.body.trackingId}/actions/verify`, {
      token: national,
      json: { categoryId: cats.body.items[0].id, agencyId: 'pupr-kaltim' },
    });
    expect(verified.status, JSON.stringify(verified.body)).toBe(200);
    // The back-office report page renders for a report without a region.
    const page = await (
      await signInWeb(c.t.url, DEMO.national)
    ).get(`/kantor/laporan/${none.body.trackingId}`);
    expect(page.status).toBe(200);
    expect(page.html).toContain(none.body.trackingId);
  });

  it('form bodies are read in their declared charset (ISO-8859-1 from older modems); an unknown one is 415', async () => {
    const post = (body: string, type: string) =>
      fetch(`${c.url}/channels/sms/inbound`, {
        method: 'POST',
        headers: {
          'content-type': type,
          'x-signature': createHmac('sha256', SECRET).update(Buffer.from(body, 'latin1')).digest('hex'),
        },
        body: Buffer.from(body, 'latin1'),
      });
    const form = 'application/x-www-form-urlencoded';
    const latin = await post(
      'id=cs-1&msisdn=081244445555&message=PUPR+Jembatan+rusak+dekat+caf%E9+Jl.+Ahmad+Y%E2ni',
      `${form}; charset=ISO-8859-1`,
    );
    expect(latin.status).toBe(200);
    const utf8 = await post('id=cs-2&msisdn=081244445555&message=PUPR+Trotoar+retak+dekat+caf%C3%A9', form);
    expect(utf8.status).toBe(200);
    const titles = await rows<{ title: string }>(
      sql`select title from reports where title like '%caf%' order by created_at, id`,
    );
    expect(titles.map((r) => r.title)).toEqual(
      expect.arrayContaining(['Jembatan rusak dekat café Jl. Ahmad Yâni', 'Trotoar retak dekat café']),
    );
    expect(
      (await post('id=cs-3&msisdn=081244445555&message=PUPR+x', `${form}; charset=x-unknown`)).status,
    ).toBe(415);
  });

  it('ignores gateway retries (same message id): nothing is stored twice', async () => {
    const a = await sms('081255556666', 'KALTIM Sampah menumpuk di pasar', { id: 'retry-1' });
    const b = await sms('081255556666', 'KALTIM Sampah menumpuk di pasar', { id: 'retry-1' });
    expect(a.body.status).toBe('filed');
    expect(b.body.status).toBe('duplicate');
    const [n] = await rows<{ n: number }>(
      sql`select count(*)::int as n from reports where title like 'Sampah menumpuk%'`,
    );
    expect(n!.n).toBe(1);
  });

  it('STATUS answers status and next deadline; INFO supplements a held report only from the same number', async () => {
    const filed = await sms('081277778888', 'PUPR Trotoar rusak di depan sekolah');
    const id = filed.body.trackingId;
    const status = await sms('081277778888', `STATUS ${id}`);
    expect(status.body.status).toBe('status');
    const [reply] = await rows<any>(
      sql`select payload from outbox where kind = 'sms.reply' order by id desc limit 1`,
    );
    expect(reply.payload.text).toContain('Batas waktu berikutnya');
    expect(reply.payload.text).toMatch(/23:59 WITA/);
    // Without a keyword the report waits for the regional verifier, and its deadline is still in the region's zone.
    const placed = await sms('081277770000', 'Lampu jalan di Balikpapan padam seminggu');
    await sms('081277770000', `STATUS ${placed.body.trackingId}`);
    const [placedReply] = await rows<any>(
      sql`select payload from outbox where kind = 'sms.reply' order by id desc limit 1`,
    );
    expect(placedReply.payload.text).toMatch(/23:59 WITA/);
    // A stranger cannot read a report that is not public.
    expect((await sms('081299990000', `STATUS ${id}`)).body.status).toBe('not_found');
    const coord = await c.t.login(DEMO.coordinator);
    const hold = await c.t.api(`/api/v1/reports/${id}/actions/hold`, {
      json: { question: 'Di sekolah mana?' },
      token: coord,
    });
    expect(hold.status).toBe(200);
    expect((await sms('081299990000', `INFO ${id} SD 001`)).body.status).toBe('not_found');
    const info = await sms('+62 812-7777-8888', `INFO ${id} Di depan SDN 001 Samarinda`);
    expect(info.body.status).toBe('info');
    const [report] = await rows<any>(sql`select status from reports where tracking_id = ${id}`);
    expect(report.status).toBe('submitted');
    expect((await sms('081277778888', `INFO ${id} lagi`)).body.status).toBe('not_on_hold');
  });

  it('rate limits floods from one number', async () => {
    const outcomes: string[] = [];
    for (let i = 0; i < 7; i++)
      outcomes.push((await sms('081200000001', `STATUS 000000000${i}`)).body.status);
    expect(outcomes.slice(0, 5).every((o) => o === 'not_found')).toBe(true);
    expect(outcomes.slice(5)).toEqual(['rate_limited', 'rate_limited']);
    // The first refusal in the window tells the sender (one SMS); later ones stay silent.
    const replies = await rows<{ payload: { text?: string } }>(
      sql`select o.payload from outbox o join inbound_messages m on o.idempotency_key = 'sms-reply:' || m.id
          where m.sender_hash = ${c.t.runtime.services.sealer.digest('sms:6281200000001')}
          and m.outcome = 'rate_limited'`,
    );
    expect(replies.map((r) => r.payload.text)).toEqual([
      'Terlalu banyak pesan dari nomor ini. Pesan Anda tidak diproses; kirim lagi dalam 60 menit.',
    ]);
  });

  it('rejects malformed bodies with 4xx, never 500', async () => {
    const body = '{"messageId":';
    const sig = createHmac('sha256', SECRET).update(body).digest('hex');
    const res = await fetch(`${c.url}/channels/sms/inbound`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-signature': sig },
      body,
    });
    expect(res.status).toBe(400);
    expect((await sms('12', 'PUPR x')).status).toBe(422);
  });

  it('with an intake region (ADUAN_INTAKE_REGION), SMS and email naming no place go to its verifier queue', async () => {
    const regional = await startChannelApp(new Date('2026-03-12T02:00:00Z'), {
      channels: { smsGatewaySecret: SECRET, emailInboundSecret: SECRET, defaultRegion: '64' },
    });
    try {
      const post = async (path: string, body: string, headers: Record<string, string>) => {
        const res = await fetch(`${regional.url}${path}`, { method: 'POST', headers, body });
        return (await res.json()) as { status: string; trackingId?: string };
      };
      const smsBody = JSON.stringify({
        messageId: 'region-1',
        from: '081266667777',
        text: 'tolong bantu, jalan rusak',
      });
      const sig = createHmac('sha256', SECRET).update(smsBody).digest('hex');
      const filed = await post('/channels/sms/inbound', smsBody, {
        'content-type': 'application/json',
        'x-signature': sig,
      });
      expect(filed.status).toBe('filed');
      const mail = await post(
        '/channels/email/inbound',
        JSON.stringify({ from: 'tanpa.tempat@contoh.aduan.id', subject: 'Tolong', text: 'Jalan rusak.' }),
        {
          'content-type': 'application/json',
          authorization: `Basic ${Buffer.from(`parse:${SECRET}`).toString('base64')}`,
        },
      );
      expect(mail.status).toBe('filed');
      const q = async (id: string) =>
        (
          (await regional.t.runtime.services.db.execute(
            sql`select region_code, target_agency_id from reports where tracking_id = ${id}`,
          )) as unknown as { rows: Array<{ region_code: string; target_agency_id: string | null }> }
        ).rows[0]!;
      expect(await q(filed.trackingId!)).toEqual({ region_code: '64', target_agency_id: null });
      expect(await q(mail.trackingId!)).toEqual({ region_code: '64', target_agency_id: null });
      // The province's coordinator sees them in its verification queue; a named place still wins.
      const coord = await regional.t.login(DEMO.coordinator);
      const seen = await regional.t.api(`/api/v1/reports/${filed.trackingId}`, { token: coord });
      expect(seen.status).toBe(200);
      const placed = JSON.stringify({
        messageId: 'region-2',
        from: '081266667777',
        text: 'Lampu padam di Balikpapan',
      });
      const placedSig = createHmac('sha256', SECRET).update(placed).digest('hex');
      const p = await post('/channels/sms/inbound', placed, {
        'content-type': 'application/json',
        'x-signature': placedSig,
      });
      expect((await q(p.trackingId!)).region_code.startsWith('64.71')).toBe(true);
    } finally {
      await regional.close();
    }
  });
});
