/**
 * X-Forwarded-For is honoured only from trusted proxies (ADUAN_TRUST_PROXY, Fastify's trustProxy). By default
 * the TCP peer is the client, so a client varying the header cannot dodge the sign-in rate limit; behind nginx
 * (ADUAN_TRUST_PROXY=127.0.0.1) the forwarded address is the client's. Real HTTP over PGlite or PostgreSQL.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../config.ts';
import { startTestApp, type TestApp } from '../../test/helpers/app.ts';

const LIMIT = 12;
// The limits count in fixed windows of the app's clock; a fixed clock keeps each test inside one window (CI once
// crossed a minute boundary between the 12th and 13th sign-in).
let t: TestApp | undefined;

afterEach(async () => {
  await t?.close();
  t = undefined;
});

/** One wrong sign-in (an address without an account, so no account lockout is involved); returns the status. */
async function wrongSignIn(app: TestApp, i: number, forwardedFor: string): Promise<number> {
  const r = await app.api('/api/v1/auth/login', {
    json: { email: `tidak.ada.${i}@contoh.aduan.id`, password: 'salah-sekali-123' },
    headers: { 'x-forwarded-for': forwardedFor },
  });
  return r.status;
}

describe('trusted proxies and the client address', () => {
  it('by default a forged X-Forwarded-For is ignored: 13 wrong sign-ins from varying addresses hit 429', async () => {
    const config = loadConfig({ ADUAN_DATA_DIR: '/tmp/unused' });
    expect(config.trustProxy).toBe(false);
    t = await startTestApp({
      limits: { loginPerMinute: LIMIT },
      trustProxy: config.trustProxy,
      now: new Date(),
    });
    const statuses: number[] = [];
    for (let i = 0; i <= LIMIT; i++) statuses.push(await wrongSignIn(t, i, `203.0.113.${i + 1}`));
    expect(statuses.slice(0, LIMIT).every((s) => s !== 429)).toBe(true);
    expect(statuses[LIMIT]).toBe(429);
  });

  it('with ADUAN_TRUST_PROXY=127.0.0.1 the forwarded address is the client (counted per address)', async () => {
    const config = loadConfig({ ADUAN_DATA_DIR: '/tmp/unused', ADUAN_TRUST_PROXY: '127.0.0.1' });
    expect(config.trustProxy).toEqual(['127.0.0.1']);
    t = await startTestApp({
      limits: { loginPerMinute: LIMIT },
      trustProxy: config.trustProxy,
      now: new Date(),
    });
    // Different clients behind the proxy each have their own budget.
    for (let i = 0; i <= LIMIT; i++) expect(await wrongSignIn(t, i, `203.0.113.${i + 1}`)).not.toBe(429);
    // One client is limited, whatever the proxy's own address.
    const same: number[] = [];
    for (let i = 0; i <= LIMIT; i++) same.push(await wrongSignIn(t, 100 + i, '198.51.100.7'));
    expect(same.slice(0, LIMIT).every((s) => s !== 429)).toBe(true);
    expect(same[LIMIT]).toBe(429);
    // A proxy address not in the list is not trusted: a client chaining a forged address is still itself.
    const chained = await wrongSignIn(t, 200, '192.0.2.1, 198.51.100.7');
    expect(chained).toBe(429);
  });
});
