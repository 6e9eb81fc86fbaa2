/**
 * The accessibility crawl: every page each viewpoint can reach by following links, checked WITHOUT JavaScript at
 * 360 px in chromium, so a page no other test names cannot regress unseen. For each viewpoint (signed out, a
 * citizen, the Kaltim coordinator, the PUPR admin, a PUPR unit officer, the national admin, the Ombudsman) the crawl
 * goes breadth-first from the viewpoint's home and asserts, per page: HTTP 200, zero axe violations (wcag2a,
 * wcag2aa, wcag21aa, wcag22aa) and no sideways scrolling of the page at 360 px (WCAG 1.4.10 Reflow). Failures are collected and reported together, one line per page.
 *
 * Rules (docs/pages.md "The accessibility crawl"):
 * - same-origin `<a href>` GET links only; forms are not submitted; never `/keluar`, `/static/`, `/api/`,
 *   `/open311`, files (`/lampiran/`), downloads and exports (a path with a file extension, `/unduh`, `/ekspor`);
 *   a response that is not `text/html` is skipped;
 * - the public viewpoint also starts at each step of the report journey (reached by posting the step before) and
 *   at a private tracking link (its key comes by email);
 * - the public and the citizen crawl the pages outside `/kantor`; staff viewpoints crawl `/kantor…` only (their
 *   public pages are the citizen's with another header link);
 * - query strings are dropped except `tab` (another tab is another page), `halaman` (a later page of a list, one
 *   per list) and `k` (the tracking page's key); `lang` is dropped: the crawl runs in Bahasa Indonesia, and the
 *   first five pages of each viewpoint are checked again in English;
 * - pages are deduplicated by route pattern: path segments holding a digit (tracking numbers, uuids, ids, codes)
 *   and the segment after `instansi`, `sertifikat` or `evaluasi` (agency and period ids; not `baru`) become `:id`, so each distinct page is checked
 *   once per viewpoint (at most 60 per viewpoint).
 * The pages checked per viewpoint are printed (console.log).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { actOk, categoryIdByName, DEMO, startTestApp, type TestApp } from '../test/helpers/app.ts';
import { checkA11yWithoutJs, HAS_CHROMIUM, launchBrowser, type TestBrowser } from './helpers/browser.ts';
import { signInPage } from './helpers/session.ts';
import { STEPS } from '../src/http/web/report-form.ts';

const DAY = 86_400_000;
const CAP = 60;
const ENGLISH_PAGES = 5;
const VIEWPORT = { width: 360, height: 800 };
/** Query parameters that change the page: kept (tab with its value, the others as a placeholder). */
const KEPT_QUERY = ['tab', 'halaman', 'k'];
const SKIP_PATH =
  /^\/(keluar|static|api|open311)(\/|$)|\/lampiran\/|\/(unduh|ekspor|export|download)(\/|$)|\.[a-z0-9]{2,5}$/i;
/** Segments after which comes an id without a digit (an agency, an evaluation period); `baru` is a page. */
const ID_SEGMENT_AFTER = new Set(['instansi', 'sertifikat', 'evaluasi']);
const NOT_IDS = new Set(['baru', '']);

interface Viewpoint {
  name: string;
  email?: string;
  start: () => string[];
  inScope: (path: string) => boolean;
}

const isStaffPath = (p: string) => p === '/kantor' || p.startsWith('/kantor/');

let t: TestApp;
let b: TestBrowser;
const seed = { tracking: '', key: '', citizenReport: '', citizenKey: '', period: 'pd-kaltim-crawl' };

/** The normalised URL to visit (path plus kept query) and its dedupe key (the route pattern), or null to skip. */
function normalise(href: string, origin: string): { url: string; key: string; path: string } | null {
  let u: URL;
  try {
    u = new URL(href);
  } catch {
    return null;
  }
  if (u.origin !== origin) return null;
  if (SKIP_PATH.test(u.pathname)) return null;
  const kept = new URLSearchParams();
  const keyParts: string[] = [];
  for (const name of KEPT_QUERY) {
    const value = u.searchParams.get(name);
    if (value === null) continue;
    kept.set(name, value);
    keyParts.push(`${name}=${name === 'tab' ? value : '*'}`);
  }
  const segments = u.pathname.split('/');
  const pattern = segments
    .map((s, i) =>
      /\d/.test(s) || (i > 0 && ID_SEGMENT_AFTER.has(segments[i - 1]!) && !NOT_IDS.has(s)) ? ':id' : s,
    )
    .join('/');
  const query = kept.toString();
  return {
    url: u.pathname + (query ? `?${query}` : ''),
    key: pattern + (keyParts.length ? `?${keyParts.join('&')}` : ''),
    path: u.pathname,
  };
}

interface Checked {
  key: string;
  url: string;
  status: number;
}

/** Loads one page and checks it; returns the problems found (empty when the page passes). */
async function checkPage(
  page: Page,
  url: string,
  label: string,
): Promise<{ problems: string[]; status: number }> {
  const problems: string[] = [];
  const res = await page.goto(t.url + url);
  const status = res?.status() ?? 0;
  if (status !== 200) problems.push(`${label}: HTTP ${status}`);
  problems.push(...(await pageProblems(page, label)));
  return { problems, status };
}

/**
 * WCAG 1.4.10 Reflow (axe has no rule for it): at 360 px the page itself never scrolls sideways; wide tables scroll
 * inside their own region. Names up to three elements that stick out.
 */
async function reflowProblems(page: Page, label: string): Promise<string[]> {
  const r = await page.evaluate(() => {
    const d = document.documentElement;
    const over = Array.from(document.querySelectorAll('body *'))
      .filter((e) => e.getBoundingClientRect().right > d.clientWidth + 1)
      .slice(0, 3)
      .map(
        (e) =>
          `${e.tagName.toLowerCase()}${e.id ? `#${e.id}` : ''}${e.getAttribute('class') ? `.${e.getAttribute('class')}` : ''}`,
      );
    return { scroll: d.scrollWidth, client: d.clientWidth, over };
  });
  return r.scroll > r.client
    ? [`${label}: scrolls sideways at ${r.client} px (${r.scroll} px wide: ${r.over.join(', ')})`]
    : [];
}

/** The axe violations and the reflow problem of the loaded page, one line each. */
async function pageProblems(page: Page, label: string): Promise<string[]> {
  const violations = await checkA11yWithoutJs(page);
  return [
    ...violations.map((v) => `${label}: ${v.id} (${v.impact}) ${v.help} at ${v.targets.join(', ')}`),
    ...(await reflowProblems(page, label)),
  ];
}

async function crawl(vp: Viewpoint): Promise<{ checked: Checked[]; problems: string[] }> {
  const ctx = await b.context({ javaScriptEnabled: false, viewport: VIEWPORT });
  const page = await ctx.newPage();
  const problems: string[] = [];
  const checked: Checked[] = [];
  try {
    if (vp.email) {
      await signInPage(page, t.url, vp.email);
      if (vp.email === DEMO.citizen) {
        // The citizen's account lists a report: claim it through the account page's form.
        await page.goto(`${t.url}/akun`);
        await page.fill('input[name="trackingId"]', seed.citizenReport);
        await page.fill('input[name="accessKey"]', seed.citizenKey);
        await Promise.all([
          page.waitForNavigation(),
          page.click('section[aria-labelledby="h-claim"] button'),
        ]);
      }
    }
    const origin = new URL(t.url).origin;
    const queue: Array<{ url: string; key: string; from: string }> = [];
    const queued = new Set<string>();
    const done = new Set<string>();
    const push = (href: string, from: string) => {
      const n = normalise(href, origin);
      if (!n || !vp.inScope(n.path) || queued.has(n.key)) return;
      queued.add(n.key);
      queue.push({ ...n, from });
    };
    for (const s of vp.start()) push(origin + s, 'start');
    while (queue.length && checked.length < CAP) {
      const next = queue.shift()!;
      let res;
      try {
        res = await page.goto(t.url + next.url);
      } catch (err) {
        // A download (the browser aborts the navigation): not a page.
        if (/download|ERR_ABORTED/i.test(String(err))) continue;
        throw err;
      }
      const type = res?.headers()['content-type'] ?? '';
      if (!type.includes('text/html')) continue;
      // A redirect lands on another page: check that one once, under its own pattern.
      const landed = normalise(page.url(), origin);
      const key = landed && landed.key !== next.key ? landed.key : next.key;
      if (done.has(key) || (landed && !vp.inScope(landed.path))) continue;
      done.add(key);
      queued.add(key);
      const status = res?.status() ?? 0;
      const label = `[${vp.name}] ${next.url}${landed && landed.key !== next.key ? ` → ${landed.url}` : ''} (linked from ${next.from})`;
      if (status !== 200) problems.push(`${label}: HTTP ${status}`);
      problems.push(...(await pageProblems(page, label)));
      checked.push({ key, url: landed?.url ?? next.url, status });
      const hrefs = await page.$$eval('a[href]', (as) => as.map((a) => (a as HTMLAnchorElement).href));
      for (const h of hrefs) push(h, landed?.url ?? next.url);
    }
    // Both languages for a handful: the first pages again in English, then back to Bahasa Indonesia.
    for (const c of checked.slice(0, ENGLISH_PAGES)) {
      const url = `${c.url}${c.url.includes('?') ? '&' : '?'}lang=en`;
      problems.push(...(await checkPage(page, url, `[${vp.name}] ${url}`)).problems);
    }
  } finally {
    await ctx.close();
  }
  return { checked, problems };
}

const VIEWPOINTS: Viewpoint[] = [
  {
    name: 'public',
    // The report journey's later steps are reached by posting the form before: started directly (an empty
    // draft renders each step), as is the private tracking link (its key comes by email).
    start: () => [
      '/',
      ...STEPS.map((s) => `/lapor/${s}`),
      '/lapor/periksa',
      `/lacak/${seed.tracking}?k=${seed.key}`,
      `/evaluasi/${seed.period}`,
    ],
    inScope: (p) => !isStaffPath(p),
  },
  {
    name: 'citizen',
    email: DEMO.citizen,
    start: () => ['/akun', '/', ...STEPS.map((s) => `/lapor/${s}`)],
    inScope: (p) => !isStaffPath(p),
  },
  { name: 'coordinator', email: DEMO.coordinator, start: () => ['/kantor'], inScope: isStaffPath },
  { name: 'agency admin', email: DEMO.puprAdmin, start: () => ['/kantor'], inScope: isStaffPath },
  { name: 'unit officer', email: DEMO.puprOfficer, start: () => ['/kantor'], inScope: isStaffPath },
  {
    name: 'national admin',
    email: DEMO.national,
    start: () => ['/kantor', '/kantor/admin'],
    inScope: isStaffPath,
  },
  {
    name: 'ombudsman',
    email: DEMO.ombudsman,
    start: () => ['/kantor/ombudsman'],
    inScope: isStaffPath,
  },
];

describe.skipIf(!HAS_CHROMIUM)('accessibility crawl without JavaScript, per viewpoint', () => {
  const summary: string[] = [];

  beforeAll(async () => {
    // Reports filed 150 days ago (old enough for the reporter to hand one to the Ombudsman), then the real present
    // (session cookies expire relative to it).
    t = await startTestApp({ now: new Date(Date.now() - 150 * DAY) });
    const categoryId = await categoryIdByName(t);
    const coord = await t.login(DEMO.coordinator);
    const pupr = await t.login(DEMO.puprAdmin);
    const officer = await t.login(DEMO.puprOfficer);
    const file = async (title: string, extra: Record<string, unknown> = {}) => {
      const r = await t.api('/api/v1/reports', {
        json: {
          classification: 'pengaduan',
          title,
          body: `${title}. Sudah berbulan-bulan tidak ada perbaikan dari instansi yang berwenang.`,
          regionCode: '64.71.01',
          reporter: { name: 'Rina Pelapor', email: 'rina.pelapor@contoh.aduan.id' },
          ...extra,
        },
      });
      expect(r.status, JSON.stringify(r.body)).toBe(201);
      return r.body as { trackingId: string; accessKey: string };
    };
    const verify = (id: string) =>
      actOk(t, id, 'verify', { categoryId, agencyId: 'pupr-kaltim' }, { token: coord });
    const dispose = (id: string) => actOk(t, id, 'dispose', { unitId: 'pupr-kaltim-unit' }, { token: pupr });
    const respond = (id: string, final: boolean) =>
      actOk(
        t,
        id,
        'respond',
        { body: 'Tim sudah meninjau lokasi dan memperbaiki.', final },
        { token: officer },
      );

    // Waiting for verification: a plain one, and one anonim + rahasia.
    await file('Sampah menumpuk di pinggir jalan provinsi');
    await file('Pungutan liar di loket pelayanan', {
      anonymous: true,
      confidential: true,
      reporter: { name: 'Sukma Rahasiawati', email: 'sukma.rahasia@contoh.aduan.id' },
    });
    // Verified to PUPR, waiting for disposition.
    await verify((await file('Jalan provinsi di Balikpapan amblas')).trackingId);
    // Disposed to the unit with a follow-up (the citizen's, claimed into the account below).
    const mine = await file('Drainase jalan provinsi Balikpapan tersumbat');
    await verify(mine.trackingId);
    await dispose(mine.trackingId);
    await respond(mine.trackingId, false);
    seed.citizenReport = mine.trackingId;
    seed.citizenKey = mine.accessKey;
    // Completed with a final follow-up: public page and tracking page with the agency's answer.
    const done = await file('Lampu jalan provinsi Balikpapan padam');
    await verify(done.trackingId);
    await dispose(done.trackingId);
    await respond(done.trackingId, true);
    seed.tracking = done.trackingId;
    seed.key = done.accessKey;
    // Handed over to the Ombudsman.
    const late = await file('Jembatan penghubung kampung rusak berat');
    await verify(late.trackingId);
    t.setNow(new Date());
    await actOk(t, late.trackingId, 'escalate', { consent: true }, { accessKey: late.accessKey });
    b = await launchBrowser();
    // An evaluation period, created and published through the national admin's forms (no API for it), so the
    // evaluation pages (back office and public) exist.
    const ctx = await b.context({ javaScriptEnabled: false });
    const page = await ctx.newPage();
    await signInPage(page, t.url, DEMO.national);
    await page.goto(`${t.url}/kantor/evaluasi/baru`);
    const period = seed.period;
    await page.fill('input[name="id"]', period);
    await page.fill('input[name="name"]', 'Perangkat Daerah Provinsi Kalimantan Timur');
    await page.fill('input[name="from"]', new Date(Date.now() - 200 * DAY).toISOString().slice(0, 10));
    await page.fill('input[name="to"]', new Date(Date.now() - DAY).toISOString().slice(0, 10));
    await page.fill('input[name="g1_id"]', `${period}-pd`);
    await page.fill('input[name="g1_name"]', 'Perangkat Daerah Kaltim');
    await page.fill('textarea[name="g1_participants"]', 'pupr-kaltim\ndinkes-kaltim');
    await Promise.all([page.waitForNavigation(), page.click('main form button[type="submit"]')]);
    expect(page.url()).toContain(`/kantor/evaluasi/${period}?ok=created`);
    await Promise.all([
      page.waitForNavigation(),
      page.click(`form[action="/kantor/evaluasi/${period}/terbitkan"] button[type="submit"]`),
    ]);
    await ctx.close();
  }, 120_000);

  afterAll(async () => {
    console.log(`Accessibility crawl, pages checked per viewpoint:\n${summary.join('\n')}`);
    await b?.close();
    await t?.close();
  });

  for (const vp of VIEWPOINTS) {
    it(`${vp.name}: every reachable page answers 200 with zero axe violations, without JavaScript at 360 px`, async () => {
      const { checked, problems } = await crawl(vp);
      summary.push(`${vp.name} (${checked.length}): ${checked.map((c) => c.key).join(' ')}`);
      expect(checked.length).toBeGreaterThanOrEqual(3);
      expect(problems, problems.join('\n')).toEqual([]);
    }, 300_000);
  }
});
