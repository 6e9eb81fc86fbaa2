/**
 * Open311 POST with a parameter sent more than once (QA H1): an HTML form's hidden "false" plus a checked
 * "true" checkbox, `attribute[x][]=…` on a single-value attribute, the same field in the query string and the
 * body, or in both JSON forms. Several different values for one value are a 400 `errors` body naming the
 * field (Indonesian and English), and nothing is stored, so a privacy flag (rahasia, anonim) is never lowered
 * by the order of the values. Also: every value of a list must be a key, and lengths count characters (code
 * points) as the JSON API does (QA L1). Real HTTP, XML and JSON.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO } from '../../../test/helpers/app.ts';
import { startChannelApp, type ChannelTestApp } from '../../../test/helpers/channels.ts';
import { fetchOpen311, serviceCode, type Open311Response } from '../../../test/helpers/open311.ts';

const KEY = 'demo-open311-key';
let c: ChannelTestApp;
let code: string;
let n = 0;

type Form = Array<[string, string]>;

/**
 * A valid request as form pairs, with a unique marker in the description; `extra` pairs are appended after
 * the base ones, except the base fields named in `omit`.
 */
function request(extra: Form = [], omit: string[] = []): { pairs: Form; mark: string } {
  const mark = `MARK-${++n}-${Date.now()}`;
  const base: Form = [
    ['api_key', KEY],
    ['service_code', code],
    ['address_id', '64.72.02'],
    ['attribute[classification]', 'pengaduan'],
    ['description', `Jalan berlubang di depan pasar ${mark}.`],
    ['first_name', 'Rina'],
  ];
  return { mark, pairs: [...base.filter(([k]) => !omit.includes(k)), ...extra] };
}

const post = (fmt: 'xml' | 'json', body: BodyInit, headers: Record<string, string> = {}, query = '') =>
  fetchOpen311(`${c.url}/open311/v2/requests.${fmt}${query}`, { method: 'POST', body, headers });

const encode = (pairs: Form) => new URLSearchParams(pairs);

/** The error descriptions of an Open311 errors body in either format. */
function errors(r: Open311Response): string[] {
  const list = r.type.includes('json') ? r.body : [r.body.errors.error].flat();
  return (list as Array<{ description: string }>).map((e) => e.description);
}

/** How many reports carry the marker (nothing may be stored on a refused POST). */
async function stored(mark: string): Promise<number> {
  const { rows } = (await c.t.runtime.services.db.execute(
    sql`select count(*)::int as n from reports where body like ${`%${mark}%`}`,
  )) as unknown as { rows: Array<{ n: number }> };
  return rows[0]!.n;
}

/** The report as the national admin sees it (confidential, anonymous, reporter, title, body). */
async function report(id: string) {
  const r = await c.t.api(`/api/v1/reports/${id}`, { token: await c.t.login(DEMO.national) });
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  return r.body;
}

/** Expects a 400 whose errors name `field` with the bilingual message, and that nothing was stored. */
async function refused(r: Open311Response, mark: string, field: string, message: RegExp) {
  expect(r.status, r.text).toBe(400);
  const all = errors(r);
  expect(
    all.some((d) => d.startsWith(`${field}: `) && message.test(d)),
    all.join(' | '),
  ).toBe(true);
  expect(await stored(mark)).toBe(0);
}

const CONFLICTING =
  /Dikirim lebih dari sekali dengan nilai berbeda: kirim satu nilai saja\. \/ Sent more than once with different values: send one value only\./;
const ONE_OF = /Harus salah satu dari: .* \/ Must be one of: /;

beforeAll(async () => {
  c = await startChannelApp(new Date('2026-03-12T02:00:00Z'));
  code = serviceCode((await fetchOpen311(`${c.url}/open311/v2/services.json`)).body);
});
afterAll(() => c?.close());

describe('a single-value attribute sent with several values', () => {
  it('rahasia false then true (hidden field + checkbox) → 400 naming attribute[rahasia], nothing stored', async () => {
    for (const fmt of ['xml', 'json'] as const) {
      for (const order of [
        ['false', 'true'],
        ['true', 'false'],
      ]) {
        const { pairs, mark } = request(order.map((v) => ['attribute[rahasia]', v] as [string, string]));
        await refused(await post(fmt, encode(pairs)), mark, 'attribute[rahasia]', CONFLICTING);
      }
    }
  });

  it('anonim false then true → 400 naming attribute[anonim]; the named reporter is not filed', async () => {
    for (const fmt of ['xml', 'json'] as const) {
      const { pairs, mark } = request([
        ['attribute[anonim]', 'false'],
        ['attribute[anonim]', 'true'],
      ]);
      await refused(await post(fmt, encode(pairs)), mark, 'attribute[anonim]', CONFLICTING);
    }
  });

  it('attribute[rahasia][]=false&attribute[rahasia][]=true and mixed forms → 400', async () => {
    const cases: Form[] = [
      [
        ['attribute[rahasia][]', 'false'],
        ['attribute[rahasia][]', 'true'],
      ],
      [
        ['attribute[rahasia]', 'false'],
        ['attribute[rahasia][]', 'true'],
      ],
    ];
    for (const extra of cases) {
      const { pairs, mark } = request(extra);
      await refused(await post('json', encode(pairs)), mark, 'attribute[rahasia]', CONFLICTING);
    }
  });

  it('the flag in the query string and the body with different values → 400 (neither wins)', async () => {
    const { pairs, mark } = request([['attribute[rahasia]', 'false']]);
    const r = await post('json', encode(pairs), {}, `?${encodeURIComponent('attribute[rahasia]')}=true`);
    await refused(r, mark, 'attribute[rahasia]', CONFLICTING);
  });

  it('JSON bodies: a list of values, or the flat and the nested form disagreeing → 400', async () => {
    const json = (body: Record<string, unknown>) =>
      post('json', JSON.stringify(body), { 'content-type': 'application/json' });
    const baseBody = (mark: string) => ({
      api_key: KEY,
      service_code: code,
      address_id: '64.72.02',
      description: `Jalan berlubang ${mark}.`,
      first_name: 'Rina',
    });
    let mark = `JSON-A-${Date.now()}`;
    await refused(
      await json({
        ...baseBody(mark),
        attribute: { classification: 'pengaduan', rahasia: ['false', 'true'] },
      }),
      mark,
      'attribute[rahasia]',
      CONFLICTING,
    );
    mark = `JSON-B-${Date.now()}`;
    await refused(
      await json({
        ...baseBody(mark),
        'attribute[classification]': 'pengaduan',
        'attribute[anonim]': 'true',
        attribute: { anonim: 'false' },
      }),
      mark,
      'attribute[anonim]',
      CONFLICTING,
    );
  });

  it('XML and multipart bodies with the flag twice → 400', async () => {
    const mark = `XML-${Date.now()}`;
    const xml =
      `<?xml version="1.0" encoding="utf-8"?><request><api_key>${KEY}</api_key><service_code>${code}</service_code>` +
      `<address_id>64.72.02</address_id><description>Jalan ${mark}</description>` +
      `<attribute><classification>pengaduan</classification><rahasia>false</rahasia><rahasia>true</rahasia></attribute></request>`;
    await refused(
      await post('xml', xml, { 'content-type': 'text/xml' }),
      mark,
      'attribute[rahasia]',
      CONFLICTING,
    );
    const multi = request([
      ['attribute[rahasia]', 'false'],
      ['attribute[rahasia]', 'true'],
    ]);
    const fd = new FormData();
    for (const [k, v] of multi.pairs) fd.append(k, v);
    await refused(await post('json', fd), multi.mark, 'attribute[rahasia]', CONFLICTING);
  });

  it('two different valid classifications, titles or event times → 400 naming the attribute', async () => {
    const cases: Array<[Form, string]> = [
      [[['attribute[classification]', 'aspirasi']], 'attribute[classification]'],
      [
        [
          ['attribute[judul]', 'Jalan rusak'],
          ['attribute[judul]', 'Jalan berlubang'],
        ],
        'attribute[judul]',
      ],
      [
        [
          ['attribute[waktu_kejadian]', '2026-03-01'],
          ['attribute[waktu_kejadian]', '2026-03-02'],
        ],
        'attribute[waktu_kejadian]',
      ],
    ];
    for (const [extra, field] of cases) {
      const { pairs, mark } = request(extra);
      await refused(await post('xml', encode(pairs)), mark, field, CONFLICTING);
    }
  });

  it('the same value repeated, or an empty hidden field plus a value, is that value', async () => {
    const cases: Array<[Form, boolean]> = [
      [
        [
          ['attribute[rahasia]', 'true'],
          ['attribute[rahasia]', 'true'],
        ],
        true,
      ],
      [
        [
          ['attribute[rahasia]', ''],
          ['attribute[rahasia]', 'true'],
        ],
        true,
      ],
      [
        [
          ['attribute[rahasia][]', 'false'],
          ['attribute[rahasia][]', ' false '],
        ],
        false,
      ],
    ];
    for (const [extra, confidential] of cases) {
      const { pairs } = request(extra);
      const r = await post('json', encode(pairs));
      expect(r.status, r.text).toBe(201);
      expect((await report(r.body[0].service_request_id)).confidential).toBe(confidential);
    }
    const { pairs } = request([
      ['attribute[anonim]', 'true'],
      ['attribute[anonim]', 'true'],
    ]);
    const r = await post('json', encode(pairs));
    expect(r.status, r.text).toBe(201);
    const stored = await report(r.body[0].service_request_id);
    expect(stored.anonymous).toBe(true);
  });
});

describe('every value of a list attribute must be a key', () => {
  it('an unknown value among several → 400, also on a singlevaluelist sent as a list', async () => {
    const cases: Array<[Form, string]> = [
      [
        [
          ['attribute[classification][]', 'aspirasi'],
          ['attribute[classification][]', 'bogus'],
        ],
        'attribute[classification]',
      ],
      [
        [
          ['attribute[dampak][]', 'keselamatan'],
          ['attribute[dampak][]', 'bogus'],
        ],
        'attribute[dampak]',
      ],
      [
        [
          ['attribute[rahasia][]', 'false'],
          ['attribute[rahasia][]', 'ya'],
        ],
        'attribute[rahasia]',
      ],
    ];
    for (const fmt of ['xml', 'json'] as const) {
      for (const [extra, field] of cases) {
        // The base classification is left out where the list is the classification.
        const { pairs, mark } = request(extra, field === 'attribute[classification]' ? [field] : []);
        await refused(await post(fmt, encode(pairs)), mark, field, ONE_OF);
      }
    }
  });

  it('a multivaluelist with several known values is accepted (checklist item 15)', async () => {
    const { pairs } = request([
      ['attribute[dampak][]', 'keselamatan'],
      ['attribute[dampak][]', 'ekonomi'],
      ['attribute[dampak][]', 'keselamatan'],
    ]);
    const r = await post('json', encode(pairs));
    expect(r.status, r.text).toBe(201);
    const own = await fetchOpen311(
      `${c.url}/open311/v2/requests/${r.body[0].service_request_id}.json?api_key=${KEY}&extensions=true`,
    );
    expect(own.body[0].extended_attributes.attributes.dampak).toEqual(['keselamatan', 'ekonomi']);
  });
});

describe('core parameters sent with several values', () => {
  it('different service_code, description, lat, address_id or api_key values → 400 naming the parameter', async () => {
    const cases: Array<[Form, string]> = [
      [[['service_code', '99999']], 'service_code'],
      [[['description', 'Uraian lain yang berbeda.']], 'description'],
      [[['address_id', '64.71']], 'address_id'],
      [[['api_key', 'kunci-lain']], 'api_key'],
      [
        [
          ['lat', '-1.2'],
          ['lat', '-1.3'],
          ['long', '116.8'],
        ],
        'lat',
      ],
    ];
    for (const fmt of ['xml', 'json'] as const) {
      for (const [extra, field] of cases) {
        const { pairs, mark } = request(extra);
        await refused(await post(fmt, encode(pairs)), mark, field, CONFLICTING);
      }
    }
  });

  it('the same value twice (or in the query string and the body) is that value', async () => {
    const { pairs } = request([
      ['service_code', code],
      ['api_key', KEY],
    ]);
    const r = await post('json', encode(pairs), {}, `?api_key=${KEY}&service_code=${code}`);
    expect(r.status, r.text).toBe(201);
  });

  it('POST servicerequestupdates: two different ratings or statuses → 400 naming the field', async () => {
    const { pairs } = request();
    const created = await post('json', encode(pairs));
    expect(created.status, created.text).toBe(201);
    const id = created.body[0].service_request_id as string;
    const update = (extra: Form) =>
      fetchOpen311(`${c.url}/open311/v2/servicerequestupdates.json`, {
        method: 'POST',
        body: encode([
          ['api_key', KEY],
          ['service_request_id', id],
          ['update_id', `u-${++n}`],
          ['updated_datetime', '2026-03-12T10:00:00+08:00'],
          ['description', 'Sudah diperbaiki, terima kasih.'],
          ...extra,
        ]),
      });
    const cases: Array<[Form, string]> = [
      [
        [
          ['status', 'CLOSED'],
          ['attribute[rating]', '1'],
          ['attribute[rating]', '5'],
        ],
        'attribute[rating]',
      ],
      [
        [
          ['status', 'CLOSED'],
          ['status', 'REOPEN'],
        ],
        'status',
      ],
    ];
    for (const [extra, field] of cases) {
      const r = await update(extra);
      expect(r.status, r.text).toBe(400);
      expect(errors(r).some((d) => d.startsWith(`${field}: `) && CONFLICTING.test(d))).toBe(true);
    }
  });

  it('GET: a repeated paging parameter or api_key with different values → 400', async () => {
    for (const fmt of ['xml', 'json'] as const) {
      const r = await fetchOpen311(`${c.url}/open311/v2/requests.${fmt}?page_size=5&page_size=10`);
      expect(r.status, r.text).toBe(400);
      expect(errors(r).some((d) => d.startsWith('page_size: ') && CONFLICTING.test(d))).toBe(true);
      const k = await fetchOpen311(`${c.url}/open311/v2/requests.${fmt}?api_key=${KEY}&api_key=lain`);
      expect(k.status, k.text).toBe(400);
      expect(errors(k).some((d) => d.startsWith('api_key: '))).toBe(true);
    }
    const same = await fetchOpen311(`${c.url}/open311/v2/requests.json?page_size=5&page_size=5`);
    expect(same.status, same.text).toBe(200);
  });
});

describe('lengths count characters (code points), as the JSON API does', () => {
  const EMOJI = '🚧';

  it('description: 4000 emoji accepted and stored whole; 4001 → 400', async () => {
    const ok = request([['description', EMOJI.repeat(4000)]], ['description']);
    const r = await post('json', encode(ok.pairs));
    expect(r.status, r.text).toBe(201);
    const body = (await report(r.body[0].service_request_id)).body as string;
    expect([...body].length).toBe(4000);
    const bad = request([['description', EMOJI.repeat(4001)]], ['description']);
    const r2 = await post('xml', encode(bad.pairs));
    expect(r2.status, r2.text).toBe(400);
    expect(errors(r2).some((d) => d.startsWith('description: ') && /4000/.test(d))).toBe(true);
  });

  it('attribute[judul]: 100 and 150 emoji accepted; 151 → 400', async () => {
    for (const count of [100, 150]) {
      const { pairs } = request([['attribute[judul]', EMOJI.repeat(count)]]);
      const r = await post('json', encode(pairs));
      expect(r.status, r.text).toBe(201);
    }
    const { pairs, mark } = request([['attribute[judul]', EMOJI.repeat(151)]]);
    await refused(await post('json', encode(pairs)), mark, 'attribute[judul]', /150/);
  });

  it('first_name: 300 emoji accepted; 301 → 400', async () => {
    const ok = request([['first_name', EMOJI.repeat(300)]], ['first_name']);
    const r = await post('json', encode(ok.pairs));
    expect(r.status, r.text).toBe(201);
    const bad = request([['first_name', EMOJI.repeat(301)]], ['first_name']);
    await refused(await post('json', encode(bad.pairs)), bad.mark, 'first_name', /300/);
  });
});
