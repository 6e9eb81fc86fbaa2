/**
 * The home page's public numbers (src/queries/public-summary.ts): counted at most once a minute (by the service
 * clock) per database, and a confidential report never counted. Real HTTP.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  categoryIdByName,
  DEMO,
  startTestApp,
  submitReport,
  verifyReport,
  type TestApp,
} from '../../../test/helpers/app.ts';
import { PUBLIC_SUMMARY_TTL_MS } from '../../queries/public-summary.ts';

const START = new Date('2026-03-10T02:00:00Z');
let t: TestApp;

beforeAll(async () => {
  t = await startTestApp({ now: START });
});
afterAll(async () => t?.close());

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
    const coordinator = await t.login(DEMO.coordinator);
    const category = await categoryIdByName(t);
    for (const confidential of [false, true]) {
      const id = await submitReport(t, `Lampu jalan mati ${confidential ? 'rahasia' : 'umum'}`, {
        confidential,
        reporter: { name: 'Rudi Warga' },
      });
      await verifyReport(t, coordinator, id, 'pupr-kaltim', category);
    }
    // Within the minute: the numbers counted at the first view.
    t.setNow(new Date(START.getTime() + PUBLIC_SUMMARY_TTL_MS - 1000));
    expect(await received()).toBe(0);
    // After it: counted again (the confidential report still not).
    t.setNow(new Date(START.getTime() + PUBLIC_SUMMARY_TTL_MS + 1000));
    expect(await received()).toBe(1);
  });
});
