/**
 * Bad input on the channel webhooks over real HTTP (issue 5, "Bad input"): malformed multipart, JSON and
 * form bodies, attachments of the wrong shape, type or size, oversized texts and bad signatures each get
 * their 4xx with bilingual field messages; nothing is stored (no report, no attachment,
 * no inbound-message row that would swallow the sender's corrected retry) and nothing answers 500. An email
 * naming no place is not bad input: it is filed for the national verifier queue.
 */
import { createHmac } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startChannelApp, type ChannelTestApp } from '../../../test/helpers/channels.ts';

const SMS = 'sms-secret-bad-input';
const MAIL = 'mail-secret-bad-input';
const AUTH = `Basic ${Buffer.from(`parse:${MAIL}`).toString('base64')}`;
let c: ChannelTestApp;

beforeAll(async () => {
  c = await startChannelApp(new Date('2026-03-12T02:00:00Z'), {
    channels: { smsGatewaySecret: SMS, emailInboundSecret: MAIL },
  });
});
afterAll(() => c?.close());

interface Answer {
  status: number;
  body: any;
}

async function mail(body: BodyInit, headers: Record<string, string> = {}): Promise<Answer> {
  const res = await fetch(`${c.url}/channels/email/inbound`, {
    method: 'POST',
    headers: { authorization: AUTH, ...headers },
    body,
  });
  const text = await res.text();
  return { status: res.status, body: text.startsWith('{') ? JSON.parse(text) : text };
}

const json = (o: unknown) => mail(JSON.stringify(o), { 'content-type': 'application/json' });

async function sms(body: string, opts: { type?: string; signed?: string } = {}): Promise<Answer> {
  const sig = createHmac('sha256', SMS)
    .update(opts.signed ?? body)
    .digest('hex');
  const res = await fetch(`${c.url}/channels/sms/inbound`, {
    method: 'POST',
    headers: { 'content-type': opts.type ?? 'application/json', 'x-signature': `sha256=${sig}` },
    body,
  });
  const text = await res.text();
  return { status: res.status, body: text.startsWith('{') ? JSON.parse(text) : text };
}

/** Rows that a stored message would leave behind. */
async function counts() {
  const { rows } = (await c.t.runtime.services.db.execute(
    sql`select (select count(*)::int from reports) as reports,
               (select count(*)::int from attachments) as attachments,
               (select count(*)::int from inbound_messages) as inbound,
               (select count(*)::int from outbox where kind in ('sms.reply', 'email.reply')) as replies`,
  )) as unknown as {
    rows: Array<{ reports: number; attachments: number; inbound: number; replies: number }>;
  };
  return rows[0]!;
}

/** A 4xx field error, with its message in both languages. */
function fieldError(a: Answer, status: number, field: string, en?: RegExp) {
  expect(a.status, JSON.stringify(a.body)).toBe(status);
  expect(a.body.error.code).toBe('VALIDATION_FAILED');
  const idMsg = a.body.error.translations.id.fields[field];
  const enMsg = a.body.error.translations.en.fields[field];
  expect(idMsg, field).toBeTruthy();
  expect(enMsg, field).toBeTruthy();
  expect(idMsg).not.toBe(enMsg);
  expect(`${idMsg} ${enMsg}`).not.toMatch(/[{}]/); // every placeholder filled
  if (en) expect(enMsg).toMatch(en);
}

const PLACE = 'Jalan rusak di Samarinda';

describe('email webhook: bad input', () => {
  it('truncated multipart, malformed JSON, a JSON array and XML → 400/415, nothing stored', async () => {
    const before = await counts();
    const b = '----aduan';
    const truncated =
      `--${b}\r\nContent-Disposition: form-data; name="from"\r\n\r\nbudi@contoh.aduan.id\r\n` +
      `--${b}\r\nContent-Disposition: form-data; name="subject"\r\n\r\n${PLACE}\r\n` +
      `--${b}\r\nContent-Disposition: form-data; name="att"; filename="a.png"\r\nContent-Type: image/png\r\n\r\nabc`;
    expect((await mail(truncated, { 'content-type': `multipart/form-data; boundary=${b}` })).status).toBe(
      400,
    );
    expect((await mail('{"from":', { 'content-type': 'application/json' })).status).toBe(400);
    expect((await mail('[1,2]', { 'content-type': 'application/json' })).status).toBe(400);
    expect((await mail('<mail/>', { 'content-type': 'text/xml' })).status).toBe(415);
    expect(await counts()).toEqual(before);
  });

  it('attachments of the wrong shape → 422 on attachments; missing or bad sender → 422 on from', async () => {
    const before = await counts();
    const base = { from: 'budi@contoh.aduan.id', subject: PLACE, text: 'Berlubang.' };
    fieldError(await json({ ...base, attachments: [null] }), 422, 'attachments');
    fieldError(await json({ ...base, attachments: 'foto.png' }), 422, 'attachments');
    fieldError(
      await json({ ...base, attachments: [{ filename: 'a.png', content: 42 }] }),
      422,
      'attachments',
    );
    fieldError(await json({ ...base, from: '' }), 422, 'from');
    fieldError(await json({ ...base, from: 'bukan alamat' }), 422, 'from');
    fieldError(await json({ from: 'budi@contoh.aduan.id', subject: ' ', text: '' }), 422, 'text');
    expect(await counts()).toEqual(before);
  });

  it('no recognisable place → filed once without a region, for the national verifier queue', async () => {
    const before = await counts();
    const mail = {
      from: 'sari@contoh.aduan.id',
      subject: 'Lampu jalan padam',
      text: 'Sudah dua minggu.',
      message_id: '<tanpa-tempat-1@contoh.aduan.id>',
    };
    const filed = await json(mail);
    expect(filed.body.status).toBe('filed');
    expect((await json(mail)).body.status).toBe('duplicate');
    const after = await counts();
    expect(after.reports).toBe(before.reports + 1);
    expect(after.inbound).toBe(before.inbound + 1);
    const [row] = (
      (await c.t.runtime.services.db.execute(
        sql`select region_code, target_agency_id from reports where tracking_id = ${filed.body.trackingId}`,
      )) as unknown as { rows: Array<{ region_code: string | null; target_agency_id: string | null }> }
    ).rows;
    expect(row).toEqual({ region_code: null, target_agency_id: null });
  });

  it('an executable attachment is skipped (the complaint is filed without it); an oversized one is 413', async () => {
    const start = await counts();
    const exe = Buffer.from('4d5a90000300000004000000ffff0000b800000000000000', 'hex');
    const filed = await json({
      from: 'andi@contoh.aduan.id',
      subject: PLACE,
      text: 'Lampiran program.',
      attachments: [{ filename: 'foto.exe', content: exe.toString('base64') }],
    });
    expect(filed.status).toBe(200);
    const before = await counts();
    // The complaint is never lost for its attachment; the program is never stored.
    expect(before).toMatchObject({ reports: start.reports + 1, attachments: start.attachments });
    const fd = new FormData();
    fd.append('from', 'andi@contoh.aduan.id');
    fd.append('subject', PLACE);
    fd.append('text', 'Foto besar.');
    fd.append('att', new Blob([new Uint8Array(10 * 1024 * 1024 + 1)], { type: 'image/png' }), 'besar.png');
    expect((await mail(fd)).status).toBe(413);
    // A JSON body over the body limit (256 KB) is 413 too.
    const huge = await json({ from: 'andi@contoh.aduan.id', subject: PLACE, text: 'x'.repeat(300_000) });
    expect(huge.status).toBe(413);
    expect(await counts()).toEqual(before);
  });
});

describe('SMS webhook: bad input', () => {
  const msg = (id: string, text: unknown, from: unknown = '081234500000') =>
    JSON.stringify({ messageId: id, from, text });

  it('oversized texts → 422 naming the limit in both languages; bodies over 16 KB → 413', async () => {
    const before = await counts();
    const long = await sms(msg('long-1', `PUPR ${'x'.repeat(1600)}`));
    fieldError(long, 422, 'text', /1600/);
    expect((await sms(msg('huge-1', 'x'.repeat(20_000)))).status).toBe(413);
    expect(await counts()).toEqual(before);
  });

  it('bodies of the wrong shape → 4xx with field messages, never 500', async () => {
    const before = await counts();
    fieldError(await sms('[]'), 422, 'messageId');
    fieldError(await sms('null'), 422, 'text');
    fieldError(await sms(msg('obj-1', { a: 1 })), 422, 'text');
    fieldError(await sms(msg('from-1', 'PUPR jalan rusak', '12')), 422, 'from');
    fieldError(
      await sms('id=f1&msisdn=%ZZ&message=PUPR+jalan', { type: 'application/x-www-form-urlencoded' }),
      422,
      'from',
    );
    expect((await sms('{"messageId":')).status).toBe(400);
    expect(await counts()).toEqual(before);
  });

  it('a signature of another body, or a replayed signature on an edited body → 401, nothing stored', async () => {
    const before = await counts();
    const original = msg('sig-1', 'PUPR Jembatan retak di Samarinda');
    const edited = msg('sig-2', 'PUPR Jembatan retak di Samarinda');
    expect((await sms(edited, { signed: original })).status).toBe(401);
    expect(await counts()).toEqual(before);
    // The genuine message, then its replay (same id, same signature): filed once.
    expect((await sms(original)).body.status).toBe('filed');
    expect((await sms(original)).body.status).toBe('duplicate');
    const after = await counts();
    expect(after.reports).toBe(before.reports + 1);
    expect(after.replies).toBe(before.replies + 1);
  });
});
