/**
 * The public numbers at scale: the home page's three numbers (src/queries/public-summary.ts) are counted at most once a
 * minute (by the service clock) per database; the public list's total (`GET /api/v1/reports` and the feed without an
 * account; `publicTotal` in src/queries/reports.ts) is counted without the agency joins when no filter needs them,
 * reused per filter set while no report changed, counted again after any action or new report and after a minute; a
 * search is ranked by relevance up to a number of matches, newest first beyond. Confidential reports are never
 * counted. Real HTTP on a fixed clock.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  categoryIdByName,
  DEMO,
  startTestApp,
  submitReport,
  verifyReport,
  type TestApp,
} from '../../test/helpers/app.ts';
import { PUBLIC_SUMMARY_TTL_MS } from '../queries/public-summary.ts';
import { PUBLIC_TOTAL_TTL_MS, setRankedMatches } from '../queries/reports.ts';

const START = new Date('2026-03-10T02:00:00Z');
let t: TestApp;

beforeAll(async () => {
  t = await startTestApp({ now: START });
});
afterAll(async () => t?.close());

async function filed(title: string, agency: string, confidential = false): Promise<string> {
  const id = await submitReport(t, title, { confidential, reporter: { name: 'Sari Warga' } });
  await verifyReport(t, await t.login(DEMO.coordinator), id, agency, await categoryIdByName(t));
  return id;
}

/** The "received" number on the home page. */
async function received(): Promise<number> {
  const html = await (await fetch(`${t.url}/`)).text();
  const m = /<strong>([\d.,]+)<\/strong>/.exec(html);
  if (!m) throw new Error('no number on the home page');
  return Number(m[1]!.replace(/[.,]/g, ''));
}

describe('home page numbers', () => {
  it('are counted at most once a minute and never count a confidential report', async () => {
    expect(await received()).toBe(0);
    await filed('Lampu jalan mati umum', 'pupr-kaltim');
    await filed('Lampu jalan mati rahasia', 'pupr-kaltim', true);
    // Within the minute: the numbers counted at the first view.
    t.setNow(new Date(START.getTime() + PUBLIC_SUMMARY_TTL_MS - 1000));
    expect(await received()).toBe(0);
    // After it: counted again (the confidential report still not).
    t.setNow(new Date(START.getTime() + PUBLIC_SUMMARY_TTL_MS + 1000));
    expect(await received()).toBe(1);
  });
});

const total = async (query = '') => {
  const r = await t.api(`/api/v1/reports${query}`);
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  return r.body.total as number;
};

describe('the public total', () => {
  it('follows every action at once, reuses an unchanged count, and never counts a confidential report', async () => {
    const before = await total();
    const beforePupr = await total('?agencyId=pupr-kaltim');
    const open = await filed('Drainase tersumbat di pasar', 'pupr-kaltim');
    await filed('Pungli di loket rahasia', 'pupr-kaltim', true);
    await filed('Puskesmas tutup lebih awal', 'dinkes-kaltim');
    // Same clock: the verifications moved the newest event, so the totals are counted again.
    expect(await total()).toBe(before + 2);
    expect(await total('?agencyId=pupr-kaltim')).toBe(beforePupr + 1);
    expect(await total('?q=drainase')).toBe(1);
    // A change made behind the application's back (no event, no updated_at) keeps the count for at most a minute.
    await t.runtime.services.db.execute(
      sql`update reports set confidential = true where tracking_id = ${open}`,
    );
    expect(await total()).toBe(before + 2);
    t.setNow(new Date(t.clock.now.getTime() + PUBLIC_TOTAL_TTL_MS + 1000));
    expect(await total()).toBe(before + 1);
    // Staff totals are always counted (the national admin sees the confidential ones too).
    const all = await t.api('/api/v1/reports', { token: await t.login(DEMO.national) });
    expect(all.body.total).toBeGreaterThanOrEqual(before + 3);
  });
});

describe('a search', () => {
  it('is ranked by relevance up to the match limit, newest first beyond it', async () => {
    const strong = await filed('Drainase drainase tersumbat', 'pupr-kaltim');
    t.setNow(new Date(t.clock.now.getTime() + 3_600_000));
    const weak = await filed('Saluran air meluap ke jalan dekat drainase', 'pupr-kaltim');
    const first = async () => {
      const r = await t.api('/api/v1/reports?q=drainase&pageSize=100');
      return (r.body.items as { trackingId: string }[])
        .map((i) => i.trackingId)
        .filter((id) => [strong, weak].includes(id))[0];
    };
    expect(await first()).toBe(strong);
    const previous = setRankedMatches(1);
    try {
      expect(await first()).toBe(weak);
    } finally {
      setRankedMatches(previous);
    }
  });
});
