/**
 * Unicode SMS posted as hex of UTF-16BE (UCS-2), over real HTTP with the payloads gateways send: Kannel's form with
 * `coding=2` and `charset=UTF-16BE`, a Gammu-smsd inbox row forwarded as JSON (`Coding: Unicode_No_Compression`), an
 * SMPP aggregator's JSON with `data_coding: 8`. The text is decoded only on the gateway's word; a hex-looking text
 * without it is filed as written. Broken hex (odd length, not hex, half a surrogate pair) is a 422 with field
 * messages in both languages, nothing is recorded, and the gateway's corrected retry of the same id is filed.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postSms, sendSms, startChannelApp, type ChannelTestApp } from '../../../test/helpers/channels.ts';
import { drainOutboxOnce, startHttpReceiver } from '../../../test/helpers/receivers.ts';
import { smsGateway } from '../../integrations/delivery.ts';
import { t } from '../../locales/index.ts';

const SECRET = 'sms-gateway-secret-ucs2';
let c: ChannelTestApp;

/** `text` as a UCS-2 gateway writes it: hex of UTF-16BE, upper case. */
const ucs2 = (text: string) => Buffer.from(text, 'utf16le').swap16().toString('hex').toUpperCase();

const rows = async <T>(q: ReturnType<typeof sql>) =>
  ((await c.t.runtime.services.db.execute(q)) as unknown as { rows: T[] }).rows;

const reportOf = async (trackingId: string | undefined) =>
  (
    await rows<{ title: string; body: string; reporter_lang: string; target_agency_id: string | null }>(
      sql`select title, body, reporter_lang, target_agency_id from reports where tracking_id = ${trackingId ?? ''}`,
    )
  )[0]!;

/** Rows a stored message would leave behind. */
async function counts() {
  const [row] = await rows<{ reports: number; inbound: number; replies: number }>(
    sql`select (select count(*)::int from reports) as reports,
               (select count(*)::int from inbound_messages) as inbound,
               (select count(*)::int from outbox where kind = 'sms.reply') as replies`,
  );
  return row!;
}

const form = (fields: Record<string, string>) =>
  postSms(c.url, SECRET, new URLSearchParams(fields).toString(), 'application/x-www-form-urlencoded');

/** A 422 naming `field`, with a message in both languages. */
function fieldError(
  a: { status: number; body: any },
  field: string,
  key: string,
  params?: Record<string, number>,
) {
  expect(a.status, JSON.stringify(a.body)).toBe(422);
  for (const lang of ['id', 'en'] as const)
    expect(a.body.error.translations[lang].fields[field]).toBe(t(lang, `errors.field.${key}`, params));
}

beforeAll(async () => {
  c = await startChannelApp(new Date('2026-03-12T02:00:00Z'), { channels: { smsGatewaySecret: SECRET } });
});
afterAll(() => c?.close());

describe('SMS in UCS-2 (hex UTF-16BE)', () => {
  it('the example of the brief decodes, surrogate pair included', async () => {
    const r = await sendSms(c.url, SECRET, {
      messageId: 'ucs2-example',
      from: '081288800000',
      text: `${ucs2('PUPR Jalan rusak di Samarinda, ')}0048006900200020D83DDE00`,
      coding: 2,
      charset: 'UTF-16BE',
    });
    expect(r.status).toBe('filed');
    // Runs of blanks become one, as for every SMS (receive-sms.ts).
    expect((await reportOf(r.trackingId)).body).toBe('Jalan rusak di Samarinda, Hi 😀');
  });

  it('Kannel (form, coding=2, charset=UTF-16BE): Indonesian with emoji is filed as text, masked, answered in Indonesian', async () => {
    const written =
      'PUPR Jalan poros Samarinda–Bontang berlubang 🕳️🚗 sejak Januari, hubungi saya 0812-8880-0001 😡🙏';
    const r = await form({
      id: 'kannel-1',
      msisdn: '+6281288800001',
      text: ucs2(written),
      coding: '2',
      charset: 'UTF-16BE',
    });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body.status).toBe('filed');
    const report = await reportOf(r.body.trackingId);
    expect(report.target_agency_id).toBe('pupr-kaltim');
    // Decoded before the sender's number is masked: the number never reaches the stored (later public) text.
    expect(report.body).toBe(
      'Jalan poros Samarinda–Bontang berlubang 🕳️🚗 sejak Januari, hubungi saya [telepon-disembunyikan] 😡🙏',
    );
    expect(report.reporter_lang).toBe('id');
    const gateway = await startHttpReceiver();
    try {
      await drainOutboxOnce(c.t.runtime.services, { sms: smsGateway(gateway.url, SECRET) });
      const sent = gateway.posts.map((p) => p.body as { to: string; text: string });
      expect(sent.find((p) => p.to === '6281288800001')?.text).toMatch(
        new RegExp(`^Laporan diterima\\. No\\. ${r.body.trackingId}\\.`),
      );
    } finally {
      await gateway.close();
    }
  });

  it('Kannel with the raw bytes (`text=%b`, percent-encoded UTF-16BE) in a form is read too', async () => {
    const written = 'PUPR Saluran di Gang Mawar tersumbat 🐀 bau sekali, warga terganggu';
    const bytes = Buffer.from(written, 'utf16le').swap16();
    const percent = [...bytes].map((x) => `%${x.toString(16).padStart(2, '0').toUpperCase()}`).join('');
    const body = (text: string) => `id=kannel-raw&msisdn=081288800008&text=${text}&coding=2&charset=UTF-16BE`;
    const post = (text: string) => postSms(c.url, SECRET, body(text), 'application/x-www-form-urlencoded');
    // An odd number of bytes is not UTF-16: refused, nothing recorded, and the whole message is then filed.
    fieldError(await post(percent.slice(0, -3)), 'text', 'ucs2_hex_length');
    const r = await post(percent);
    expect(r.body.status).toBe('filed');
    expect((await reportOf(r.body.trackingId)).body).toBe(written.slice('PUPR '.length));
    // Raw bytes of a text made of hex digits are still that text, not hex (their NUL bytes would leave "CAFE…").
    const hexWord = 'CAFEBABEDEADBEEFFACEFEEDCAFEBABE';
    const raw = [...Buffer.from(hexWord, 'utf16le').swap16()].map(
      (x) => `%${x.toString(16).padStart(2, '0')}`,
    );
    const hexLike = await postSms(
      c.url,
      SECRET,
      `id=kannel-raw-hex&msisdn=081288800009&text=${raw.join('')}&coding=2&charset=UTF-16BE`,
      'application/x-www-form-urlencoded',
    );
    expect(hexLike.body.status).toBe('filed');
    expect((await reportOf(hexLike.body.trackingId)).body).toBe(hexWord);
  });

  it('Gammu-smsd inbox row as JSON (Coding: Unicode_No_Compression): an Arabic-script name stays whole', async () => {
    const written =
      'PUPR Jalan menuju Masjid مسجد النور di Kelurahan Sidodadi rusak parah, mohon diperbaiki 🤲';
    const r = await sendSms(c.url, SECRET, {
      messageId: 'gammu-4711',
      from: '081288800002',
      text: ucs2(written).toLowerCase(),
      Coding: 'Unicode_No_Compression',
    });
    expect(r.status).toBe('filed');
    expect((await reportOf(r.trackingId)).body).toBe(written.slice('PUPR '.length));
  });

  it('SMPP aggregator (data_coding 8): English with emoji is filed and its reporter is English', async () => {
    const written =
      'PUPR The bridge near the harbour in Balikpapan is cracked 😟 and trucks still cross it every day';
    const r = await sendSms(c.url, SECRET, {
      messageId: 'smpp-9',
      from: '081288800003',
      text: ucs2(written),
      data_coding: 8,
    });
    expect(r.status).toBe('filed');
    const report = await reportOf(r.trackingId);
    expect(report.body).toBe(written.slice('PUPR '.length));
    expect(report.reporter_lang).toBe('en');
  });

  it('a command in UCS-2 works as in plain text (STATUS about the sender’s own report)', async () => {
    const filed = await sendSms(c.url, SECRET, {
      messageId: 'cmd-file',
      from: '081288800004',
      text: ucs2('PUPR Lampu jalan di Jalan Pahlawan padam semua 🌑 sudah seminggu'),
      coding: 'UCS2',
    });
    const status = await sendSms(c.url, SECRET, {
      messageId: 'cmd-status',
      from: '081288800004',
      text: ucs2(`STATUS ${filed.trackingId} 🙂`),
      coding: 'ucs-2',
    });
    expect(status).toEqual({ status: 'status', trackingId: filed.trackingId });
  });

  it('never guesses: a hex-looking text without the gateway’s word, or with a 7-bit/UTF-8 indication, is kept as written', async () => {
    const hexLike = 'PUPR 0048 0069 CAFE BEEF DEADBEEF 00480069 kode tiang listrik rusak';
    for (const [messageId, extra] of [
      ['plain-1', {}],
      ['plain-2', { coding: 0 }],
      ['plain-3', { coding: 2, charset: 'UTF-8' }],
      ['plain-4', { Coding: 'Default_No_Compression' }],
    ] as const) {
      const r = await sendSms(c.url, SECRET, {
        messageId,
        from: '081288800005',
        text: hexLike,
        ...extra,
      });
      expect(r.status, messageId).toBe('filed');
      expect((await reportOf(r.trackingId)).body, messageId).toBe(hexLike.slice('PUPR '.length));
    }
  });

  it('broken hex → 422 with the reason in both languages, nothing recorded; the corrected retry of the same id is filed', async () => {
    const before = await counts();
    const good = ucs2('PUPR Drainase tersumbat di Jalan Juanda 🌧️ banjir setiap hujan');
    const post = (text: string, extra: Record<string, string> = {}) =>
      form({ id: 'broken-1', msisdn: '081288800006', text, coding: '2', charset: 'UTF-16BE', ...extra });
    fieldError(await post(`${good}0`), 'text', 'ucs2_hex_length'); // odd length
    fieldError(await post(`${good}00`), 'text', 'ucs2_hex_length'); // half a unit
    fieldError(await post(`${good.slice(0, -4)}00ZZ`), 'text', 'ucs2_hex_digits');
    fieldError(await post('PUPR jalan rusak parah sekali di sini'), 'text', 'ucs2_hex_digits');
    fieldError(await post(`${good}D83D`), 'text', 'ucs2_surrogate'); // high surrogate at the end
    fieldError(await post(`${good}D83D0020`), 'text', 'ucs2_surrogate'); // high surrogate, then a space
    fieldError(await post(`DE00${good}`), 'text', 'ucs2_surrogate'); // a low surrogate alone
    // The gateway's word given twice, differently: not guessed either.
    const twice = await postSms(
      c.url,
      SECRET,
      `id=broken-1&msisdn=081288800006&text=${good}&coding=2&coding=0`,
      'application/x-www-form-urlencoded',
    );
    fieldError(twice, 'coding', 'conflicting_values');
    // Decoded, the text is held to the same 1600 characters.
    fieldError(await post(ucs2(`PUPR ${'🙂'.repeat(800)}`)), 'text', 'too_long', { max: 1600 });
    expect(await counts()).toEqual(before);

    const retry = await post(good);
    expect(retry.body.status).toBe('filed');
    expect((await reportOf(retry.body.trackingId)).body).toBe(
      'Drainase tersumbat di Jalan Juanda 🌧️ banjir setiap hujan',
    );
    expect((await post(good)).body.status).toBe('duplicate');
  });

  it('a NUL unit from the modem is dropped, not a 500', async () => {
    const r = await sendSms(c.url, SECRET, {
      messageId: 'nul-1',
      from: '081288800007',
      text: `${ucs2('PUPR Trotoar di depan pasar ambles dan berbahaya')}0000`,
      charset: 'UCS-2',
    });
    expect(r.status).toBe('filed');
    expect((await reportOf(r.trackingId)).body).toBe('Trotoar di depan pasar ambles dan berbahaya');
  });
});
