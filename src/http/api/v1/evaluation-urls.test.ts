/**
 * Participant URLs of an evaluation period go through the outbound SSRF guard (QA H3): over real HTTP, the JSON
 * API and the back-office form (create and change) refuse non-http(s) schemes and URLs on loopback, private,
 * link-local (cloud metadata) or reserved addresses, literal or by a name resolving to one, with 422 and field
 * messages in Indonesian and English naming the URL; nothing is written. ADUAN_OUTBOUND_ALLOW_HOSTS exempts a
 * host, as for webhooks. A name that does not resolve is accepted (the audit records it as not loading).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO, startTestApp, type TestApp } from '../../../../test/helpers/app.ts';
import { sessionsFor } from '../../../../test/helpers/web-client.ts';

let t: TestApp;
let coordinator: string;
const signIn = sessionsFor(() => t.url);

/** A period of the Kalimantan Timur coordinator's region with one participant's URLs. */
const periodBody = (id: string, participant: Record<string, string>) => ({
  id,
  name: 'Penghargaan Situs Web Kaltim 2026',
  from: '2026-01-01',
  to: '2026-12-31',
  minVolume: 1,
  groups: [
    {
      id: `${id}-g`,
      name: 'Situs web perangkat daerah',
      scope: 'agency',
      award: 'website',
      participants: [{ agencyId: 'pupr-kaltim', ...participant }],
    },
  ],
});

/** The back-office form's fields for the same period. */
const formBody = (id: string, participants: string): Record<string, string> => ({
  id,
  name: 'Penghargaan Situs Web Kaltim 2026',
  from: '2026-01-01',
  to: '2026-12-31',
  minVolume: '1',
  w_website: '10',
  t1_name: 'Baik',
  t1_min: '70',
  t2_name: 'Kurang',
  t2_min: '0',
  g1_id: `${id}-g`,
  g1_name: 'Situs web perangkat daerah',
  g1_scope: 'agency',
  g1_award: 'website',
  g1_participants: participants,
});

async function postForm(email: string, path: string, fields: Record<string, string>) {
  const s = await signIn(email);
  const res = await fetch(t.url + path, {
    method: 'POST',
    headers: { cookie: s.cookie, 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' },
    body: new URLSearchParams({ _csrf: s.csrf, ...fields }).toString(),
    redirect: 'manual',
  });
  return { status: res.status, html: await res.text(), location: res.headers.get('location') };
}

/** The text as the page escapes it (`&` in a URL, quotes). */
const html = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

beforeAll(async () => {
  t = await startTestApp({ now: new Date('2026-03-12T02:00:00Z') });
  coordinator = await t.login(DEMO.coordinator);
});
afterAll(() => t?.close());

const BLOCKED = [
  'http://127.0.0.1:3322/x',
  'http://169.254.169.254/latest/meta-data',
  'http://localhost:5432/', // a name resolving to loopback
  'http://[::1]/',
  'http://0x7f000001/', // 127.0.0.1 in hex
  'http://2130706433/', // 127.0.0.1 as one number
  'http://10.1.2.3/',
  'http://192.168.1.1/admin',
  'http://[::ffff:169.254.169.254]/',
  'http://100.64.0.1/',
];

describe('participant URLs: the outbound SSRF guard', () => {
  it('the API refuses blocked addresses and other schemes with 422 and id/en field messages, writing nothing', async () => {
    const r = await t.api('/api/v1/evaluation/periods', {
      token: coordinator,
      json: periodBody('p-g', { websiteUrl: 'javascript:alert(1)', socialUrl: 'http://127.0.0.1:3322/x' }),
    });
    expect(r.status, JSON.stringify(r.body)).toBe(422);
    expect(r.body.error.code).toBe('VALIDATION_FAILED');
    expect(r.body.error.fields).toEqual({
      'groups.0.participants.0.websiteUrl':
        'Alamat javascript:alert(1) tidak dapat dipakai: hanya alamat http:// atau https:// yang diterima.',
      'groups.0.participants.0.socialUrl':
        'Alamat http://127.0.0.1:3322/x mengarah ke jaringan lokal, privat, atau khusus dan tidak boleh dipakai; audit situs tidak membukanya.',
    });
    expect(r.body.error.translations.en.fields).toEqual({
      'groups.0.participants.0.websiteUrl':
        'The address javascript:alert(1) cannot be used: only http:// or https:// addresses are accepted.',
      'groups.0.participants.0.socialUrl':
        'The address http://127.0.0.1:3322/x points to a local, private or reserved network and may not be used; the site audit does not open it.',
    });
    expect((await t.api('/api/v1/evaluation/periods/p-g')).status).toBe(404);

    for (const url of BLOCKED) {
      const res = await t.api('/api/v1/evaluation/periods?lang=en', {
        token: coordinator,
        json: periodBody('p-h', { websiteUrl: url }),
      });
      expect(res.status, url).toBe(422);
      expect(res.body.error.fields, url).toEqual({
        'groups.0.participants.0.websiteUrl': `The address ${url} points to a local, private or reserved network and may not be used; the site audit does not open it.`,
      });
    }
    for (const [url, message] of [
      ['ftp://example.org/', 'Alamat ftp://example.org/ tidak dapat dipakai'],
      ['file:///etc/passwd', 'Alamat file:///etc/passwd tidak dapat dipakai'],
      ['http://user:rahasia@example.org/', 'Format tidak valid.'],
      ['bukan alamat', 'Format tidak valid.'],
      ['', 'Format tidak valid.'],
    ] as const) {
      const res = await t.api('/api/v1/evaluation/periods', {
        token: coordinator,
        json: periodBody('p-h', { socialUrl: url }),
      });
      expect(res.status, url).toBe(422);
      expect(res.body.error.fields['groups.0.participants.0.socialUrl'], url).toContain(message);
      expect(res.body.error.translations.en.fields['groups.0.participants.0.socialUrl'], url).toBeTruthy();
    }
    const long = await t.api('/api/v1/evaluation/periods', {
      token: coordinator,
      json: periodBody('p-h', { websiteUrl: `https://example.org/${'a'.repeat(2000)}` }),
    });
    expect(long.status).toBe(422);
    expect(long.body.error.fields['groups.0.participants.0.websiteUrl']).toBe('Maksimal 2000 karakter.');
    expect((await t.api('/api/v1/evaluation/periods')).body.items).toEqual([]);
  });

  it('the API accepts public addresses and names that do not resolve, and allowlisted hosts', async () => {
    let r = await t.api('/api/v1/evaluation/periods', {
      token: coordinator,
      json: periodBody('p-ok', {
        websiteUrl: 'https://pu.kaltimprov.go.id/',
        socialUrl: 'http://93.184.216.34/dpupr',
      }),
    });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    // ADUAN_OUTBOUND_ALLOW_HOSTS exempts the host, as for webhooks (tests deliver to 127.0.0.1 this way).
    const svc = t.runtime.services;
    svc.outboundAllowHosts = ['127.0.0.1'];
    try {
      r = await t.api('/api/v1/evaluation/periods', {
        token: coordinator,
        json: periodBody('p-local', { websiteUrl: 'http://127.0.0.1:3322/x' }),
      });
      expect(r.status, JSON.stringify(r.body)).toBe(201);
      // Only that host: localhost and the metadata address stay refused.
      r = await t.api('/api/v1/evaluation/periods', {
        token: coordinator,
        json: periodBody('p-local2', { websiteUrl: 'http://localhost:3322/x' }),
      });
      expect(r.status).toBe(422);
    } finally {
      svc.outboundAllowHosts = [];
    }
    const stored = await t.api('/api/v1/evaluation/periods/p-local');
    expect(stored.body.groups[0].participants).toEqual(['pupr-kaltim']);
  });

  it('the form refuses them on create and change (422, message in id/en naming the URL), keeping the period', async () => {
    const lines = 'pupr-kaltim, http://169.254.169.254/latest/meta-data, http://127.0.0.1:5432/';
    let r = await postForm(DEMO.coordinator, '/kantor/evaluasi/baru', formBody('p-form', lines));
    expect(r.status).toBe(422);
    expect(r.html).toContain(
      html(
        'Alamat http://169.254.169.254/latest/meta-data mengarah ke jaringan lokal, privat, atau khusus dan tidak boleh dipakai; audit situs tidak membukanya.',
      ),
    );
    expect(r.html).toContain('id="f-g1_participants-error"');
    expect((await t.api('/api/v1/evaluation/periods/p-form')).status).toBe(404);
    r = await postForm(DEMO.coordinator, '/kantor/evaluasi/baru?lang=en', formBody('p-form', lines));
    expect(r.status).toBe(422);
    expect(r.html).toContain(
      html(
        'The address http://169.254.169.254/latest/meta-data points to a local, private or reserved network and may not be used; the site audit does not open it.',
      ),
    );

    // A valid period, then a change that puts a loopback URL in: refused, the stored URL kept.
    r = await postForm(
      DEMO.coordinator,
      '/kantor/evaluasi/baru',
      formBody('p-form', 'pupr-kaltim, https://pu.kaltimprov.go.id/'),
    );
    expect(r.status, r.html.slice(0, 500)).toBe(303);
    r = await postForm(
      DEMO.coordinator,
      '/kantor/evaluasi/p-form/ubah',
      formBody('p-form', 'pupr-kaltim, -, http://localhost:3322/x'),
    );
    expect(r.status).toBe(422);
    expect(r.html).toContain(
      html(
        'Alamat http://localhost:3322/x mengarah ke jaringan lokal, privat, atau khusus dan tidak boleh dipakai; audit situs tidak membukanya.',
      ),
    );
    r = await postForm(
      DEMO.coordinator,
      '/kantor/evaluasi/p-form/ubah?lang=en',
      formBody('p-form', 'pupr-kaltim, javascript:alert(1)'),
    );
    expect(r.status).toBe(422);
    expect(r.html).toContain('Line(s) 1 are not valid');
    const page = await fetch(`${t.url}/kantor/evaluasi/p-form/ubah`, {
      headers: { cookie: (await signIn(DEMO.coordinator)).cookie, accept: 'text/html' },
    });
    const text = await page.text();
    expect(text).toContain('pupr-kaltim, https://pu.kaltimprov.go.id/');
    expect(text).not.toContain('localhost:3322');
  });
});
