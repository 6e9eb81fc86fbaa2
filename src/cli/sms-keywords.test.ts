/**
 * `aduan sms keyword|keywords` (docs/channels.md): the operator configures the keyword of an agency or a
 * regional government, and the signed SMS webhook (real HTTP, same database) routes `<KEYWORD> <text>` to
 * it at once; reserved words, malformed and taken keywords are refused with English field messages; usage
 * errors exit 2 (also through the real `aduan` entry point in a child process).
 */
import { createHmac } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { runAduan } from '../../test/helpers/cli.ts';
import { startChannelApp, type ChannelTestApp } from '../../test/helpers/channels.ts';
import { smsCli } from './channels.ts';

const SECRET = 'sms-keyword-secret';
let c: ChannelTestApp;
let seq = 0;

async function run(args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const log = vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void out.push(a.join(' ')));
  const error = vi
    .spyOn(console, 'error')
    .mockImplementation((...a: unknown[]) => void err.push(a.join(' ')));
  try {
    // The CLI closes what it opens: hand it the test runtime with a no-op close.
    const code = await smsCli(c.t.runtime.config, args, async () => ({
      ...c.t.runtime,
      close: async () => {},
    }));
    return { code, out: out.join('\n'), err: err.join('\n') };
  } finally {
    log.mockRestore();
    error.mockRestore();
  }
}

async function sms(text: string) {
  const body = JSON.stringify({ messageId: `kw-${++seq}`, from: '081298760000', text });
  const sig = createHmac('sha256', SECRET).update(body).digest('hex');
  const res = await fetch(`${c.url}/channels/sms/inbound`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-signature': sig },
    body,
  });
  return (await res.json()) as { status: string; trackingId?: string };
}

async function targetOf(trackingId: string) {
  const { rows } = (await c.t.runtime.services.db.execute(
    sql`select target_agency_id, region_code from reports where tracking_id = ${trackingId}`,
  )) as unknown as { rows: Array<{ target_agency_id: string | null; region_code: string }> };
  return rows[0]!;
}

beforeAll(async () => {
  c = await startChannelApp(new Date('2026-03-12T02:00:00Z'), {
    channels: { smsGatewaySecret: SECRET, smsLimits: { perNumber: 100, windowSeconds: 3600 } },
  });
});
afterAll(() => c?.close());

describe('aduan sms keyword', () => {
  it('usage errors exit 2 (in-process and through the aduan entry point)', async () => {
    for (const args of [
      [],
      ['keyword'],
      ['keyword', 'pupr-kaltim'],
      ['keywords', 'x'],
      ['frob'],
      ['--nope'],
    ]) {
      const r = await run(args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.err).toContain('Usage:');
    }
    const child = runAduan({ ...process.env, LOG_LEVEL: 'silent' }, 'sms', 'frob');
    expect(child.code).toBe(2);
    expect(child.out).toContain('aduan sms keyword AGENCY KEYWORD');
  });

  it('sets a keyword that the SMS webhook routes at once; lists it; clears it', async () => {
    const before = await sms('DINKES Puskesmas tutup di Balikpapan');
    expect(before.status).toBe('filed');
    expect((await targetOf(before.trackingId!)).target_agency_id).toBeNull();

    const set = await run(['keyword', 'dinkes-kaltim', 'dinkes']);
    expect(set.code, set.err).toBe(0);
    expect(set.out).toBe('SMS keyword DINKES → dinkes-kaltim');
    const routed = await sms('dinkes Puskesmas tutup di Balikpapan');
    expect(routed.status).toBe('filed');
    expect((await targetOf(routed.trackingId!)).target_agency_id).toBe('dinkes-kaltim');

    const list = await run(['keywords', '--json']);
    const rows = JSON.parse(list.out) as Array<{ keyword: string; agencyId: string }>;
    expect(rows).toContainEqual(expect.objectContaining({ keyword: 'DINKES', agencyId: 'dinkes-kaltim' }));
    expect(rows).toContainEqual(expect.objectContaining({ keyword: 'PUPR', agencyId: 'pupr-kaltim' }));
    expect((await run(['keywords'])).out).toMatch(/^DINKES\tdinkes-kaltim\t/m);

    const cleared = await run(['keyword', 'dinkes-kaltim', '--clear']);
    expect(cleared.code).toBe(0);
    expect(cleared.out).toBe('dinkes-kaltim has no SMS keyword');
    const after = await sms('DINKES Puskesmas tutup di Balikpapan');
    expect((await targetOf(after.trackingId!)).target_agency_id).toBeNull();
  });

  it('refuses reserved, malformed and taken keywords and unknown agencies (exit 1), changing nothing', async () => {
    const cases: Array<[string[], RegExp]> = [
      [['keyword', 'dinkes-kaltim', 'status'], /keyword: SMS commands \(STATUS, INFO, TERIMA/],
      [['keyword', 'dinkes-kaltim', 'INFO'], /keyword: SMS commands \(STATUS, INFO, TERIMA/],
      [['keyword', 'dinkes-kaltim', 'DIN KES'], /keyword: The format is not valid/],
      [['keyword', 'dinkes-kaltim', 'X'], /keyword: The format is not valid/],
      [['keyword', 'dinkes-kaltim', 'PUPR'], /keyword: This keyword is already used by agency pupr-kaltim/],
      [['keyword', 'tidak-ada', 'BARU'], /agency: Unknown agency/],
    ];
    for (const [args, message] of cases) {
      const r = await run(args);
      expect(r.code, args.join(' ')).toBe(1);
      expect(r.err).toMatch(message);
    }
    const rows = JSON.parse((await run(['keywords', '--json'])).out) as Array<{ agencyId: string }>;
    expect(rows.filter((r) => r.agencyId === 'dinkes-kaltim')).toEqual([]);
    // PUPR still routes to its own agency.
    const pupr = await sms('PUPR Jalan berlubang di Samarinda');
    expect((await targetOf(pupr.trackingId!)).target_agency_id).toBe('pupr-kaltim');
  });
});
