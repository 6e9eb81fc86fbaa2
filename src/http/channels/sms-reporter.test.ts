/**
 * A reporter on a feature phone acts on their own report by SMS, over the real webhook: the filing reply
 * carries the private link (sealed in the outbox), INFO answers a hold, TERIMA accepts the final answer with a
 * rating, TOLAK disputes it, OMBUDSMAN asks for the hand-off (identity not shared) once it is due. Only the
 * number sealed as the reporter's acts; a walk-in or web reporter who gave a phone can act the same way; the
 * reporter's notification SMS say which reply to send; command words cannot become agency keywords.
 */
import { and, asc, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { actOk, categoryIdByName, DEMO, submitReport } from '../../../test/helpers/app.ts';
import { sendSms, startChannelApp, type ChannelTestApp } from '../../../test/helpers/channels.ts';
import { checkSmsKeyword } from '../../commands/set-sms-keyword.ts';
import { fanOutEvent } from '../../commands/fan-out-event.ts';
import { outbox } from '../../db/schema.ts';

const SECRET = 'sms-gateway-secret-pelapor';
const START = new Date('2026-03-12T02:00:00Z');
let c: ChannelTestApp;
let seq = 0;
let categoryId: number;

const sms = (from: string, text: string) => sendSms(c.url, SECRET, { messageId: `rep-${++seq}`, from, text });

const rows = async <T>(q: ReturnType<typeof sql>) =>
  ((await c.t.runtime.services.db.execute(q)) as unknown as { rows: T[] }).rows;

/** The text of the last SMS reply the channel queued (opened when sealed). */
async function lastReply(): Promise<string> {
  const [r] = await rows<{ payload: { text?: string; textEnc?: string } }>(
    sql`select payload from outbox where kind = 'sms.reply' order by id desc limit 1`,
  );
  const p = r!.payload;
  return p.textEnc ? c.t.runtime.services.sealer.open<string>(p.textEnc) : p.text!;
}

/** The report's one event of `type`, as stored (who acted, what they wrote). */
const eventOf = async (reportId: string, type: string) =>
  (
    await rows<{ actor_role: string; body: string | null }>(
      sql`select actor_role, body from report_events where report_id = ${reportId} and type = ${type}`,
    )
  )[0];

const report = async (id: string) =>
  (await rows<any>(sql`select * from reports where tracking_id = ${id}`))[0]!;

/** Files by SMS, verifies to PUPR and posts the final follow-up: the report waits for the reporter. */
async function respondedBySms(phone: string, text: string): Promise<string> {
  const filed = await sms(phone, `PUPR ${text}`);
  expect(filed.status).toBe('filed');
  return respondFinal(filed.trackingId!);
}

/** Verifies a report to PUPR and posts its final follow-up; returns the tracking number. */
async function respondFinal(id: string): Promise<string> {
  const coord = await c.t.login(DEMO.coordinator);
  await actOk(c.t, id, 'verify', { agencyId: 'pupr-kaltim', categoryId }, { token: coord });
  const pupr = await c.t.login(DEMO.puprAdmin);
  await actOk(
    c.t,
    id,
    'respond',
    { body: 'Lubang jalan telah ditambal oleh tim Bina Marga pada hari ini.', final: true },
    { token: pupr },
  );
  return id;
}

beforeAll(async () => {
  c = await startChannelApp(START, { channels: { smsGatewaySecret: SECRET } });
  categoryId = await categoryIdByName(c.t);
});
afterAll(() => c?.close());

describe('SMS: the reporter acts on their own report', () => {
  it('the filing reply carries the private link, sealed in the outbox, and the link opens the report', async () => {
    const filed = await sms('081310001000', 'PUPR Jembatan kayu di Loa Janan lapuk dan berbahaya');
    const [out] = await rows<any>(
      sql`select payload from outbox where kind = 'sms.reply' and report_id =
          (select id from reports where tracking_id = ${filed.trackingId!})`,
    );
    expect(out.payload.text).toBeUndefined();
    expect(JSON.stringify(out.payload)).not.toContain('?k=');
    const text = c.t.runtime.services.sealer.open<string>(out.payload.textEnc);
    expect(text).toContain(filed.trackingId!);
    const key = decodeURIComponent(/\?k=([^\s]+)/.exec(text)![1]!);
    expect(text).toContain(`${c.url}/lacak/${filed.trackingId!}?k=`);
    const seen = await c.t.api(`/api/v1/reports/${filed.trackingId!}`, { accessKey: key });
    expect(seen.status).toBe(200);
    expect(seen.body.title).toContain('Jembatan kayu');
    // Only the reporter's view holds it: the agency never sees the key or the number.
    const pupr = await c.t.login(DEMO.puprAdmin);
    const staff = await c.t.api(`/api/v1/reports/${filed.trackingId!}`, { token: pupr });
    expect(JSON.stringify(staff.body)).not.toMatch(/1000|6281310/);
  });

  it('TERIMA accepts the final answer with a rating, only from the reporter number and in the right format', async () => {
    const phone = '081310002000';
    const id = await respondedBySms(phone, 'Jalan berlubang di Jl. Juanda dekat sekolah');
    // A stranger's number learns nothing about the report.
    expect((await sms('081399990000', `TERIMA ${id} 5`)).status).toBe('not_found');
    expect(await lastReply()).not.toContain('Juanda');
    // Without a rating 1–5: the format, nothing changes.
    expect((await sms(phone, `TERIMA ${id}`)).status).toBe('usage');
    expect(await lastReply()).toContain(`TERIMA ${id} <nilai 1-5>`);
    expect((await sms(phone, `TERIMA ${id} 9`)).status).toBe('usage');
    expect((await report(id)).status).toBe('responded');
    // The printed number with spaces or dashes is the same report.
    const printed = `${id.slice(0, 4)}-${id.slice(4)}`;
    expect((await sms('+62 813-1000-2000', `terima ${printed} 4 cepat ditangani, terima kasih`)).status).toBe(
      'accepted',
    );
    expect(await lastReply()).toContain('nilai 4 dari 5');
    const done = await report(id);
    expect(done).toMatchObject({ status: 'completed', rating: 4 });
    expect(await eventOf(done.id, 'accept')).toMatchObject({
      actor_role: 'reporter',
      body: 'cepat ditangani, terima kasih',
    });
    // Done is done: a second TERIMA says the report cannot take it now.
    expect((await sms(phone, `TERIMA ${id} 5`)).status).toBe('not_possible');
    expect(await lastReply()).toContain('Selesai');
  });

  it('TOLAK disputes the final answer: the agency must follow up again', async () => {
    const phone = '081310003000';
    const id = await respondedBySms(phone, 'Drainase mampet di Jl. Pahlawan setiap hujan');
    expect((await sms(phone, `TOLAK ${id} ok`)).status).toBe('usage');
    expect(await lastReply()).toContain('minimal 5 huruf');
    expect((await sms(phone, `SANGGAH ${id} Belum dikerjakan, air masih meluap kemarin`)).status).toBe(
      'disputed',
    );
    const r = await report(id);
    expect(r).toMatchObject({ status: 'in_progress', reopen_count: 1 });
    expect(await eventOf(r.id, 'dispute')).toMatchObject({
      actor_role: 'reporter',
      body: 'Belum dikerjakan, air masih meluap kemarin',
    });
  });

  it('OMBUDSMAN: refused with the date before the deadline; afterwards transferred without the identity', async () => {
    const phone = '081310004000';
    const filed = await sms(phone, 'PUPR Lampu penerangan jalan mati sebulan di Sungai Kunjang');
    const id = filed.trackingId!;
    expect((await sms(phone, `OMBUDSMAN ${id}`)).status).toBe('not_possible');
    // 60 working days from 12 March 2026 (WITA): the same instant the API names as availableFrom.
    const api = await c.t.api(`/api/v1/reports/${id}/actions/escalate`, {
      json: { consent: true },
      accessKey: decodeURIComponent(/\?k=([^\s]+)/.exec(await filedText(id))![1]!),
    });
    expect(api.status).toBe(409);
    const from = api.body.error.params.availableFrom as string;
    // The SMS names the same instant, in the SMS date format: DD-MM-YYYY HH:MM WITA.
    expect(await lastReplyOf(id)).toContain(
      `Ombudsman RI mulai ${from.slice(8, 10)}-${from.slice(5, 7)}-${from.slice(0, 4)} ${from.slice(11, 16)} WITA`,
    );
    c.t.setNow(new Date('2026-07-01T02:00:00Z'));
    try {
      expect((await sms(phone, `OMBUDSMAN ${id}`)).status).toBe('escalated');
      const r = await report(id);
      expect(r).toMatchObject({
        status: 'transferred',
        escalation_consent: true,
        escalation_shares_identity: false,
      });
      const om = await c.t.login(DEMO.ombudsman);
      const seen = await c.t.api(`/api/v1/reports/${id}`, { token: om });
      expect(seen.status).toBe(200);
      expect(JSON.stringify(seen.body)).not.toMatch(/4000|6281310/);
    } finally {
      c.t.setNow(START);
    }
  });

  it('a walk-in reporter who gave a phone answers a hold with INFO; the hold SMS says how', async () => {
    const phone = '081310005000';
    const id = await submitReport(c.t, 'Pungutan liar di loket pelayanan KTP', {
      anonymous: true,
      reporter: { name: 'Warga Loket', phone },
    });
    const coord = await c.t.login(DEMO.coordinator);
    await actOk(
      c.t,
      id,
      'hold',
      { question: 'Di kantor kecamatan mana, dan kapan kejadiannya?' },
      { token: coord },
    );
    // The worker's fan-out of the hold event: the reporter's SMS names the INFO reply.
    await fanOutPending(id);
    const [holdSms] = await rows<any>(
      sql`select payload from outbox where idempotency_key like ${`%:sms:reporter`} and kind = 'notify.hold'
          and report_id = (select id from reports where tracking_id = ${id})`,
    );
    expect(holdSms.payload.text).toContain(`INFO ${id} <jawaban>`);
    expect(holdSms.payload.text).toContain('Di kantor kecamatan mana');
    expect((await sms(phone, `INFO ${id}`)).status).toBe('usage');
    expect((await sms(phone, `INFO ${id} Kecamatan Samarinda Ulu, Senin 9 Maret pagi`)).status).toBe('info');
    const r = await report(id);
    expect(r.status).toBe('submitted');
    expect(await eventOf(r.id, 'supplement')).toMatchObject({
      actor_role: 'reporter',
      body: 'Kecamatan Samarinda Ulu, Senin 9 Maret pagi',
    });
  });

  it('the final follow-up SMS names TERIMA and TOLAK', async () => {
    const phone = '081310006000';
    const id = await submitReport(c.t, 'Trotoar amblas di depan pasar Segiri', {
      reporter: { name: 'Bu Rina', phone },
    });
    await respondFinal(id);
    await fanOutPending(id);
    const [final] = await rows<any>(
      sql`select payload from outbox where kind = 'notify.respond' and idempotency_key like '%:sms:reporter'
          and report_id = (select id from reports where tracking_id = ${id})`,
    );
    expect(final.payload.text).toContain(`TERIMA ${id} <nilai 1-5>`);
    expect(final.payload.text).toContain(`TOLAK ${id} <alasan>`);
    expect(final.payload.text).toContain(`/lacak/${id}`);
  });

  it('a NIK in an SMS filing or a dispute reason is masked before it can go public', async () => {
    const phone = '081310007000';
    const id = await respondedBySms(phone, 'Jalan berlubang di Jl. Suryanata, NIK saya 6472010101900011');
    expect((await report(id)).body).toBe('Jalan berlubang di Jl. Suryanata, NIK saya [nik-disembunyikan]');
    expect(
      (await sms(phone, `TOLAK ${id} Belum diperbaiki. NIK 6472010101900011 sudah saya berikan`)).status,
    ).toBe('disputed');
    expect((await eventOf((await report(id)).id, 'dispute'))!.body).toBe(
      'Belum diperbaiki. NIK [nik-disembunyikan] sudah saya berikan',
    );
  });

  it('command words cannot be an agency keyword', () => {
    for (const word of ['terima', 'TOLAK', 'Ombudsman', 'SANGGAH', 'SETUJU', 'STATUS', 'INFO']) {
      expect(() => checkSmsKeyword(word)).toThrow(expect.objectContaining({ code: 'VALIDATION_FAILED' }));
    }
    expect(checkSmsKeyword('dinkes')).toBe('DINKES');
  });
});

/** Runs the worker's fan-out of a report's pending events (the reporter's notification rows). */
async function fanOutPending(id: string): Promise<void> {
  const events = await c.t.runtime.services.db
    .select()
    .from(outbox)
    .where(
      and(
        eq(outbox.channel, 'event'),
        eq(outbox.status, 'pending'),
        eq(outbox.reportId, (await report(id)).id),
      ),
    )
    .orderBy(asc(outbox.id));
  for (const e of events) await fanOutEvent(c.t.runtime.services, e);
}

/** The filing reply of a report, opened. */
async function filedText(id: string): Promise<string> {
  const [r] = await rows<any>(
    sql`select payload from outbox where kind = 'sms.reply' and report_id =
        (select id from reports where tracking_id = ${id}) order by id limit 1`,
  );
  return c.t.runtime.services.sealer.open<string>(r.payload.textEnc);
}

/** The last SMS reply about a report. */
async function lastReplyOf(id: string): Promise<string> {
  const [r] = await rows<any>(
    sql`select payload from outbox where kind = 'sms.reply' and report_id =
        (select id from reports where tracking_id = ${id}) order by id desc limit 1`,
  );
  return r.payload.textEnc ? c.t.runtime.services.sealer.open<string>(r.payload.textEnc) : r.payload.text;
}
