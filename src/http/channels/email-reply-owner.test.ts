/**
 * A reply to a report's tokenised address acts as the reporter only when it comes from the reporter's own address
 * (real HTTP webhook, real SMTP delivery of the answer). A notification forwarded to someone else carries the
 * Reply-To; their answer is not added to the thread (nor does it answer a hold), and they are told why.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startChannelApp, type ChannelTestApp } from '../../../test/helpers/channels.ts';
import { deliverMailOnce, startSmtp } from '../../../test/helpers/receivers.ts';
import { replyAddress } from '../../commands/reply-token.ts';

const SECRET = 'email-inbound-secret';
let c: ChannelTestApp;

const rows = async <T>(q: ReturnType<typeof sql>) =>
  ((await c.t.runtime.services.db.execute(q)) as unknown as { rows: T[] }).rows;

async function post(mail: Record<string, unknown>) {
  const res = await fetch(`${c.url}/channels/email/inbound`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      authorization: `Basic ${Buffer.from(`parse:${SECRET}`).toString('base64')}`,
    },
    body: JSON.stringify(mail),
  });
  expect(res.status).toBe(200);
  return (await res.json()) as { status: string; trackingId?: string };
}

beforeAll(async () => {
  c = await startChannelApp(new Date('2026-03-12T02:00:00Z'), { channels: { emailInboundSecret: SECRET } });
});
afterAll(() => c?.close());

describe('email replies and the reporter address', () => {
  it('a reply from another address adds nothing and tells its sender; the reporter (any case) still replies', async () => {
    const filed = await post({
      from: 'wati.pemilik@contoh.aduan.id',
      to: 'lapor@aduan.local',
      subject: 'Sampah menumpuk di Samarinda',
      text: 'Sampah menumpuk di tepi sungai sejak dua minggu, baunya menyengat sampai ke rumah warga.',
      message_id: '<owner-1@contoh.aduan.id>',
    });
    expect(filed.status).toBe('filed');
    const [report] = await rows<{ id: string }>(
      sql`select id from reports where tracking_id = ${filed.trackingId}`,
    );
    const to = await replyAddress(c.t.runtime.services, 'lapor@aduan.local', report!.id);
    const replies = async () =>
      rows(sql`select 1 from report_events where report_id = ${report!.id} and type = 'reporter_reply'`);

    const stranger = await post({
      from: 'Teman Wati <teman.lain@contoh.aduan.id>',
      to,
      subject: 'Re: Laporan diterima',
      text: 'Saya bukan pelapornya, tapi laporan ini tidak benar.',
      message_id: '<owner-2@contoh.aduan.id>',
    });
    expect(stranger).toEqual({ status: 'not_reporter', trackingId: filed.trackingId });
    expect(await replies()).toHaveLength(0);

    const smtp = await startSmtp();
    try {
      await deliverMailOnce(c.t.runtime.services, smtp.url);
      const told = smtp.unique().filter((m) => m.to.includes('teman.lain@contoh.aduan.id'));
      expect(told).toHaveLength(1);
      expect(told[0]!.subject).toBe(`Balasan tidak ditambahkan: ${filed.trackingId} / Reply not added`);
      expect(told[0]!.text).toContain('tidak dikirim dari alamat email pelapornya');
      expect(told[0]!.text).toContain("was not sent from the reporter's email address");
      // Nothing about the reporter reaches the stranger: not the address, not the report's text.
      expect(told[0]!.text).not.toContain('wati.pemilik');
      expect(told[0]!.text).not.toContain('Sampah menumpuk');
    } finally {
      await smtp.close();
    }

    const own = await post({
      from: 'Wati.Pemilik@Contoh.Aduan.id',
      to,
      subject: 'Re: Laporan diterima',
      text: 'Sampahnya sekarang sudah sampai ke badan jalan.',
      message_id: '<owner-3@contoh.aduan.id>',
    });
    expect(own.status).toBe('replied');
    expect(await replies()).toHaveLength(1);
  });
});
