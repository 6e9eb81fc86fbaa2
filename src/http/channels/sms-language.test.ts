/**
 * SMS answers in the sender's language (real webhook, replies delivered by the worker to a real HTTP receiver
 * standing in for the SMS gateway): Bahasa Indonesia by default and for Indonesian texts, English for a text written
 * in English (filing, help; Indonesian with English loan words stays Indonesian), and a bare command (`STATUS <no>`) about the sender's own report in the language the
 * report was filed in. Every answer still fits the segments it did (help in one SMS), and a "not found" answer does
 * not echo a long word back.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { sendSms, startChannelApp, type ChannelTestApp } from '../../../test/helpers/channels.ts';
import { drainOutboxOnce, startHttpReceiver } from '../../../test/helpers/receivers.ts';
import { smsGateway } from '../../integrations/delivery.ts';
import { t } from '../../locales/index.ts';

const SECRET = 'sms-gateway-secret-lang';
let c: ChannelTestApp;
let seq = 0;

const sms = (from: string, text: string) =>
  sendSms(c.url, SECRET, { messageId: `lang-${++seq}`, from, text });

const rows = async <T>(q: ReturnType<typeof sql>) =>
  ((await c.t.runtime.services.db.execute(q)) as unknown as { rows: T[] }).rows;

/**
 * Delivers every queued SMS through the gateway adapter to a real HTTP receiver; returns a lookup of the texts sent to
 * one number.
 */
async function deliver(): Promise<(to: string) => string[]> {
  const gateway = await startHttpReceiver();
  try {
    await drainOutboxOnce(c.t.runtime.services, { sms: smsGateway(gateway.url, SECRET) });
    const posts = gateway.posts.map((p) => p.body as { to: string; text: string });
    return (to) => posts.filter((p) => p.to === to).map((p) => p.text);
  } finally {
    await gateway.close();
  }
}

beforeAll(async () => {
  c = await startChannelApp(new Date('2026-03-12T02:00:00Z'), { channels: { smsGatewaySecret: SECRET } });
});
afterAll(() => c?.close());

describe('SMS reply language', () => {
  it('an English complaint is answered in English and its reporter is English from then on', async () => {
    const filed = await sms(
      '081277700001',
      'PUPR The road near the market in Samarinda is broken and there is a deep hole since last week',
    );
    expect(filed.status).toBe('filed');
    const [report] = await rows<{ reporter_lang: string }>(
      sql`select reporter_lang from reports where tracking_id = ${filed.trackingId}`,
    );
    expect(report!.reporter_lang).toBe('en');
    // A bare command tells no language: the reporter's own report answers in the reporter's language.
    expect((await sms('081277700001', `STATUS ${filed.trackingId}`)).status).toBe('status');
    const texts = (await deliver())('6281277700001');
    expect(texts).toHaveLength(2);
    expect(texts[0]).toMatch(new RegExp(`^Report received\\. No\\. ${filed.trackingId}\\.`));
    expect(texts[1]).toMatch(
      new RegExp(
        `^Report ${filed.trackingId}: ${t('en', 'status.submitted')}\\. Next deadline: \\d{2}-\\d{2}-2026`,
      ),
    );
  });

  it('an Indonesian complaint, and a bare command from another number, are answered in Indonesian', async () => {
    const filed = await sms(
      '081277700002',
      'PUPR Jalan di dekat pasar Samarinda rusak dan berlubang sejak minggu lalu',
    );
    expect(filed.status).toBe('filed');
    const [report] = await rows<{ reporter_lang: string }>(
      sql`select reporter_lang from reports where tracking_id = ${filed.trackingId}`,
    );
    expect(report!.reporter_lang).toBe('id');
    const texts = (await deliver())('6281277700002');
    expect(texts[0]).toMatch(new RegExp(`^Laporan diterima\\. No\\. ${filed.trackingId}\\.`));
    // Not the reporter's number, not a public report yet: the same "not found" as for a number that does not exist.
    expect((await sms('081277700003', `STATUS ${filed.trackingId}`)).status).toBe('not_found');
    expect((await deliver())('6281277700003')).toEqual([
      t('id', 'channels.sms.not_found', { trackingId: filed.trackingId! }),
    ]);
  });

  it('Indonesian with English loan words stays Indonesian; short English with no common word is English', async () => {
    const loan = await sms(
      '081277700007',
      'PUPR please help, rumah kebanjiran sampai lutut, traffic light juga mati',
    );
    const english = await sms('081277700008', 'PUPR Garbage everywhere, nobody cleans, rats everywhere');
    const lang = async (trackingId?: string) =>
      (
        await rows<{ reporter_lang: string }>(
          sql`select reporter_lang from reports where tracking_id = ${trackingId}`,
        )
      )[0]!.reporter_lang;
    expect(await lang(loan.trackingId)).toBe('id');
    expect(await lang(english.trackingId)).toBe('en');
    const sent = await deliver();
    expect(sent('6281277700007')[0]).toMatch(/^Laporan diterima\./);
    expect(sent('6281277700008')[0]).toMatch(/^Report received\./);
  });

  it('"help" gets the English help in one SMS; "halo" the Indonesian one', async () => {
    expect((await sms('081277700004', 'help')).status).toBe('help');
    expect((await sms('081277700005', 'halo')).status).toBe('help');
    const sent = await deliver();
    expect(sent('6281277700004')).toEqual([t('en', 'channels.sms.help')]);
    expect(sent('6281277700005')).toEqual([t('id', 'channels.sms.help')]);
    expect(t('en', 'channels.sms.help').length).toBeLessThanOrEqual(160);
  });

  it('a "not found" answer echoes at most 20 characters of what was sent, so it stays one SMS', async () => {
    const junk = `${'🙂'.repeat(30)}${'x'.repeat(700)}`;
    expect((await sms('081277700006', `STATUS ${junk}`)).status).toBe('not_found');
    const sent = (await deliver())('6281277700006');
    expect(sent).toEqual([t('id', 'channels.sms.not_found', { trackingId: '🙂'.repeat(20) })]);
    // Even in UCS-2 (an emoji forces it) that is one SMS of 70 characters.
    expect([...sent[0]!].length).toBeLessThanOrEqual(70);
  });
});
