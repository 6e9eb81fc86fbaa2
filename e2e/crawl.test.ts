/**
 * The accessibility crawl: every page each viewpoint can reach by following links, checked WITHOUT JavaScript at
 * 360 px in chromium, so a page no other test names cannot regress unseen. For each viewpoint (signed out, a
 * citizen, the Kaltim coordinator, the PUPR admin, a PUPR unit officer, the national admin, the Ombudsman) the crawl
 * goes breadth-first from the viewpoint's home and asserts, per page: HTTP 200, zero axe violations (wcag2a,
 * wcag2aa, wcag21aa, wcag22aa) and no sideways scrolling of the page at 360 px (WCAG 1.4.10 Reflow). Failures are collected and reported together, one line per page.
 *
 * Rules (docs/pages.md "The accessibility crawl"):
 * - before the links, the report pages of every seeded status the viewpoint may open (tracking, public,
 *   back office, Ombudsman), one key per status; an anonim reporter's name never shows outside the verifiers;
 * - same-origin `<a href>` GET links only; the crawl submits no form; never `/keluar`, `/static/`, `/api/`,
 *   `/open311`, files (`/lampiran/`), downloads and exports (a path with a file extension, `/unduh`, `/ekspor`);
 *   a response that is not `text/html` is skipped;
 * - the public viewpoint also starts at each step of the report journey (reached by posting the step before) and
 *   at a private tracking link (its key comes by email);
 * - the public and the citizen crawl the pages outside `/kantor`; staff viewpoints crawl `/kantor…` only (their
 *   public pages are the citizen's with another header link);
 * - staff viewpoints also start at pages no link reaches in the seeded data: a statistics drill-down (coordinator,
 *   agency admin, national admin) and the pull-back form of a report auto-dispatched to PUPR (agency admin);
 * - after the report pages, each staff viewpoint opens the confirmation states its actions lead to (`confirmations`:
 *   `?selesai=…`, `?ok=…`, `?tersimpan=1`, the notice after a redirect, which no link leads to);
 * - query strings are dropped except `tab` (another tab is another page), `halaman` (a later page of a list, one
 *   per list), `k` (the tracking page's key), the statistics drill-down's (`kelompok`, `dari`, `sampai`, `kunci`)
 *   and the confirmation states; `lang` is dropped: the crawl runs in
 *   Bahasa Indonesia, and the first five pages of each viewpoint, its confirmation states, a webhook's delivery log
 *   and the certificate are checked again in English (`ALSO_ENGLISH`);
 * - pages are deduplicated by route pattern: path segments holding a digit (tracking numbers, uuids, ids, codes)
 *   and the segment after `instansi`, `sertifikat` or `evaluasi` (agency and period ids; not `baru`) become `:id`, so each distinct page is checked
 *   once per viewpoint (at most 60 per viewpoint).
 * Pages reached only by a form post or an emailed link (confirmations, error re-renders, token links read from a
 * real SMTP server) are checked by one more test walking ten form flows (`FORM_FLOWS`, `EVALUATION_FLOW`; an
 * evaluation period's change form is open only before publishing, so it is checked there).
 * The pages checked per viewpoint are printed (console.log).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { actOk, categoryIdByName, DEMO, startTestApp, type TestApp } from '../test/helpers/app.ts';
import { checkA11yWithoutJs, HAS_CHROMIUM, launchBrowser, type TestBrowser } from './helpers/browser.ts';
import { signInPage } from './helpers/session.ts';
import { STEPS } from '../src/http/web/report-form.ts';
import { deliverMailOnce, resolveResetRequests, startSmtp } from '../test/helpers/receivers.ts';
import { walkJourney } from '../test/helpers/journey.ts';
import { csrfOf, signInWeb, WebClient } from '../test/helpers/web-client.ts';
import { sql } from 'drizzle-orm';
import { DEMO_PASSWORD } from '../test/global-setup.ts';
import { HEALTH, ROADS } from '../test/helpers/routing-corpus.ts';
import { autoDispatchPending } from '../src/commands/auto-dispatch.ts';
import { trainRoutingModels } from '../src/commands/train-routing.ts';

const DAY = 86_400_000;
const CAP = 60;
const ENGLISH_PAGES = 5;
const VIEWPORT = { width: 360, height: 800 };
/** The statistics drill-down's query (`/kantor/statistik/laporan`: grouping, dates, row key): without it, no page. */
const DRILL_QUERY = ['kelompok', 'dari', 'sampai', 'kunci'];
/**
 * Query parameters that change the page: kept (tab with its value, the others as a placeholder). `selesai`, `ok` and
 * `tersimpan` are the confirmation states a page shows after an action (its notice), opened from `confirmations`.
 */
const KEPT_QUERY = ['tab', 'halaman', 'k', 'selesai', 'ok', 'tersimpan', ...DRILL_QUERY];
/** Pages checked in English too, wherever they come in the crawl (beyond the first five of each viewpoint). */
const ALSO_ENGLISH = /\/webhook\/:id$|\/sertifikat\/:id$|[?&](selesai|ok|tersimpan)=/;
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
  /** The report pages this viewpoint must be able to open, one per seeded status (checked before the crawl). */
  reportPages?: (reports: SeededReport[]) => ReportPage[];
  /**
   * Pages in the confirmation state an action of this viewpoint leads to (`?selesai=…`, `?ok=…`, `?tersimpan=1`:
   * the notice after the redirect), checked right after the report pages, in both languages.
   */
  confirmations?: () => string[];
}

/** A report seeded in one status of the lifecycle, and who can open it. */
interface SeededReport {
  /** The status as people know it (also the dedupe key's suffix). */
  label: string;
  trackingId: string;
  accessKey: string;
  /** Shown on the public report page (`/laporan/:id`): verified and not rahasia. */
  isPublic: boolean;
  /** The staff viewpoints whose back office opens it. */
  staff: string[];
  /** An anonim reporter's name: never on the page of a viewpoint outside the verifiers. */
  anonymousName?: string;
}

/** One report page to check: its URL, its dedupe key (route pattern plus the status) and text it must not show. */
interface ReportPage {
  url: string;
  key: string;
  mustNotShow?: string | undefined;
}

const isStaffPath = (p: string) => p === '/kantor' || p.startsWith('/kantor/');

let t: TestApp;
let b: TestBrowser;
let smtp: Awaited<ReturnType<typeof startSmtp>>;
const seed = {
  tracking: '',
  key: '',
  citizenReport: '',
  citizenKey: '',
  period: 'pd-kaltim-crawl',
  /** The PUPR unit officer's user id (the user page every admin above it opens). */
  officerId: '',
  /** The roads category's id (a drill-down row). */
  categoryId: 0,
  /** A report auto-dispatched to PUPR (its pull-back form, `/kantor/admin/rute-otomatis/:id/tarik`). */
  autoDispatched: '',
  /** The statistics drill-down's date range (the seeded reports' days). */
  from: '',
  to: '',
};
/** The statistics drill-down of one row of the dashboard, grouped by `kelompok` (`kunci`: the row's key). */
const drillDown = (kelompok: string, kunci: string) =>
  `/kantor/statistik/laporan?${new URLSearchParams({ kelompok, dari: seed.from, sampai: seed.to, kunci }).toString()}`;
/** A report of `label` (seeded in beforeAll). */
const reportOf = (label: string) => reports.find((r) => r.label === label)!.trackingId;
const reports: SeededReport[] = [];

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
 * inside their own region. Names the last three elements (the innermost) sticking out of the page itself or
 * holding text that does, with their right edge.
 */
async function reflowProblems(page: Page, label: string): Promise<string[]> {
  const r = await page.evaluate(() => {
    const d = document.documentElement;
    // What sticks out of the page itself: not the content of a region that scrolls (or clips) on its own.
    const clipped = (e: Element) => {
      for (let a = e.parentElement; a && a !== document.body; a = a.parentElement)
        if (getComputedStyle(a).overflowX !== 'visible') return true;
      return false;
    };
    const over = Array.from(document.querySelectorAll('body *'))
      .filter(
        (e) =>
          !clipped(e) &&
          // An element past the edge, or one whose own text runs past its box (a long word).
          (e.getBoundingClientRect().right > d.clientWidth ||
            (getComputedStyle(e).overflowX === 'visible' && e.scrollWidth > e.clientWidth)),
      )
      .slice(-3)
      .map(
        (e) =>
          `${e.tagName.toLowerCase()}${e.id ? `#${e.id}` : ''}${e.getAttribute('class') ? `.${e.getAttribute('class')}` : ''} (${Math.ceil(e.getBoundingClientRect().right)})`,
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
    const queue: Array<{
      url: string;
      key: string;
      from: string;
      mustNotShow?: string | undefined;
      seeded?: boolean;
    }> = [];
    const queued = new Set<string>();
    const done = new Set<string>();
    const push = (href: string, from: string) => {
      const n = normalise(href, origin);
      if (!n || !vp.inScope(n.path) || queued.has(n.key)) return;
      queued.add(n.key);
      queue.push({ ...n, from });
    };
    // The report in every status this viewpoint can open, each under its own key; the plain pattern is then covered.
    for (const rp of vp.reportPages?.(reports) ?? []) {
      queue.push({ ...rp, from: 'seeded status', seeded: true });
      queued.add(rp.key);
      const n = normalise(origin + rp.url, origin);
      if (n) queued.add(n.key);
    }
    // Then the confirmation states (a page whose notice no link leads to), each under its own key.
    for (const c of vp.confirmations?.() ?? []) push(origin + c, 'confirmation');
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
      const moved = landed !== null && landed.url !== next.url;
      // A seeded status page keeps its own key (a tracking link may redirect to drop its key from the address).
      const key = moved && !next.seeded ? landed.key : next.key;
      if (done.has(key) || (landed && !vp.inScope(landed.path))) continue;
      done.add(key);
      queued.add(key);
      const status = res?.status() ?? 0;
      const label = `[${vp.name}] ${next.url}${moved ? ` → ${landed.url}` : ''} (linked from ${next.from})`;
      if (status !== 200) problems.push(`${label}: HTTP ${status}`);
      if (next.mustNotShow && (await page.content()).includes(next.mustNotShow))
        problems.push(`${label}: shows the anonim reporter's name`);
      problems.push(...(await pageProblems(page, label)));
      checked.push({ key, url: moved ? landed.url : next.url, status });
      const hrefs = await page.$$eval('a[href]', (as) => as.map((a) => (a as HTMLAnchorElement).href));
      for (const h of hrefs) push(h, landed?.url ?? next.url);
    }
    // Both languages for a handful (the first pages, and the confirmation states and pages named in
    // `ALSO_ENGLISH` wherever they came): again in English, then back to Bahasa Indonesia.
    const english = checked.filter((c, i) => i < ENGLISH_PAGES || ALSO_ENGLISH.test(c.key));
    for (const c of english) {
      const url = `${c.url}${c.url.includes('?') ? '&' : '?'}lang=en`;
      problems.push(...(await checkPage(page, url, `[${vp.name}] ${url}`)).problems);
    }
  } finally {
    await ctx.close();
  }
  return { checked, problems };
}

/**
 * A page reached by a form post: `expect` is `ok` (HTTP 200, the page after the redirect) or `error` (the form
 * re-rendered with a 4xx and its error summary).
 */
type CheckPosted = (label: string, status: number, expect: 'ok' | 'error') => Promise<void>;

/** A walk through forms (and emailed links) as one viewpoint, checking each page it leads to. */
interface FormFlow {
  name: string;
  email?: string;
  run: (page: Page, check: CheckPosted) => Promise<void>;
}

/**
 * Submits the form holding `button` and returns the HTTP status of the page it leads to. The browser's own
 * validation is switched off for that form (as in a browser without it), so the server's answer is what is checked.
 */
async function submitForm(page: Page, button = 'main form button[type="submit"]'): Promise<number> {
  await page.$eval(button, (el) => {
    const form = (el as HTMLButtonElement).form;
    if (form) form.noValidate = true;
  });
  const [res] = await Promise.all([page.waitForNavigation(), page.click(button)]);
  return res?.status() ?? 0;
}

/** The path and query of the newest link to `path` in an email to `to`, after delivering the pending mail. */
async function emailedLink(to: string, path: string): Promise<string> {
  await deliverMailOnce(t.runtime.services, smtp.url);
  const pattern = new RegExp(`https?://\\S+${path}\\?token=[A-Za-z0-9_-]+`);
  const mail = smtp.mails.filter((m) => m.to.includes(to) && pattern.test(m.text)).at(-1);
  if (!mail) throw new Error(`no email to ${to} with a ${path} link`);
  const u = new URL(pattern.exec(mail.text)![0]);
  return u.pathname + u.search;
}

/** Runs one flow in its own JavaScript-less 360 px context; returns the pages checked and the problems found. */
async function runFlow(flow: FormFlow): Promise<{ checked: string[]; problems: string[] }> {
  const ctx = await b.context({ javaScriptEnabled: false, viewport: VIEWPORT });
  const page = await ctx.newPage();
  const checked: string[] = [];
  const problems: string[] = [];
  try {
    if (flow.email) await signInPage(page, t.url, flow.email);
    await flow.run(page, async (what, status, want) => {
      const url = new URL(page.url());
      const label = `[${flow.name}] ${what}: ${url.pathname}`;
      checked.push(`${what} (${status})`);
      if (want === 'ok' && status !== 200) problems.push(`${label}: HTTP ${status}, expected 200`);
      if (want === 'error') {
        if (status < 400 || status > 499) problems.push(`${label}: HTTP ${status}, expected a 4xx re-render`);
        if ((await page.locator('.error-summary').count()) !== 1) problems.push(`${label}: no error summary`);
      }
      problems.push(...(await pageProblems(page, label)));
    });
  } catch (err) {
    problems.push(`[${flow.name}] stopped: ${String(err)}`);
  } finally {
    await ctx.close();
  }
  return { checked, problems };
}

/** Opens `path` and checks it as the page an emailed link leads to. */
async function openLink(page: Page, path: string, what: string, check: CheckPosted): Promise<void> {
  const res = await page.goto(t.url + path);
  await check(what, res?.status() ?? 0, 'ok');
}

/**
 * Creates an evaluation period `period` through the form at `/kantor/evaluasi/baru` (one group, PUPR and Dinkes
 * Kaltim; no minimum of reports, so both are ranked and have a certificate), then checks its change form in both
 * languages and posted without a name (422). Leaves the browser on the period's page.
 */
async function createPeriod(page: Page, check: CheckPosted, period: string): Promise<void> {
  await page.goto(`${t.url}/kantor/evaluasi/baru`);
  await check('new period, empty', await submitForm(page), 'error');
  await page.fill('input[name="id"]', period);
  await page.fill('input[name="name"]', 'Perangkat Daerah Provinsi Kalimantan Timur');
  await page.fill('input[name="from"]', new Date(Date.now() - 200 * DAY).toISOString().slice(0, 10));
  await page.fill('input[name="to"]', new Date(Date.now() - DAY).toISOString().slice(0, 10));
  await page.fill('input[name="minVolume"]', '0');
  await page.fill('input[name="g1_id"]', `${period}-pd`);
  await page.fill('input[name="g1_name"]', 'Perangkat Daerah Kaltim');
  await page.fill('textarea[name="g1_participants"]', 'pupr-kaltim\ndinkes-kaltim');
  await check('created: the publish preview', await submitForm(page), 'ok');
  expect(page.url()).toContain(`/kantor/evaluasi/${period}?ok=created`);
  for (const lang of ['id', 'en']) {
    await openLink(page, `/kantor/evaluasi/${period}/ubah?lang=${lang}`, `change form (${lang})`, check);
  }
  await page.fill('input[name="name"]', '');
  await check('change form without a name (en)', await submitForm(page), 'error');
  await page.goto(`${t.url}/kantor/evaluasi/${period}?lang=id`);
}

/** Evaluation periods have no API: created and published through the national admin's forms. */
const EVALUATION_FLOW: FormFlow = {
  name: 'national admin, evaluation period',
  email: DEMO.national,
  async run(page, check) {
    const period = seed.period;
    await createPeriod(page, check, period);
    const publish = `form[action="/kantor/evaluasi/${period}/terbitkan"] button[type="submit"]`;
    await check('published', await submitForm(page, publish), 'ok');
    expect(page.url()).toContain('ok=published');
  },
};

const FORM_FLOWS: FormFlow[] = [
  {
    // A period left unpublished, by the other role that manages them: its change form in both languages.
    name: 'coordinator, evaluation period draft',
    email: DEMO.coordinator,
    run: (page, check) => createPeriod(page, check, 'pd-kaltim-draf'),
  },
  {
    name: 'public, report journey',
    async run(page, check) {
      await page.goto(`${t.url}/lapor/kejadian`);
      await check('a step with errors', await submitForm(page), 'error');
      // The other steps answered over HTTP by the same browser (its cookies), then the check page sent.
      const c = new WebClient(t.url);
      for (const cookie of await page.context().cookies()) c.cookies.set(cookie.name, cookie.value);
      await walkJourney(c);
      await page.context().addCookies([...c.cookies].map(([name, value]) => ({ name, value, url: t.url })));
      await page.goto(`${t.url}/lapor/periksa`);
      await check('sent: the confirmation', await submitForm(page), 'ok');
      expect(new URL(page.url()).pathname).toBe('/lapor/selesai');
    },
  },
  {
    name: 'public, tracking',
    async run(page, check) {
      await page.goto(`${t.url}/lacak`);
      await page.fill('input[name="id"]', seed.tracking);
      await page.fill('input[name="k"]', 'kunci-yang-salah');
      await check('lookup with a wrong key', await submitForm(page), 'error');
      // The reporter's forms on the tracking page, posted empty: accepting an answer, answering a question.
      const answered = reports.find((r) => r.label === 'answered')!;
      await page.goto(`${t.url}/lacak/${answered.trackingId}?k=${answered.accessKey}`);
      await check(
        'accept without a rating',
        await submitForm(page, 'form:has(input[name="rating"]) button[type="submit"]'),
        'error',
      );
      const held = reports.find((r) => r.label === 'on hold')!;
      await page.goto(`${t.url}/lacak/${held.trackingId}?k=${held.accessKey}`);
      await check(
        'supplement without text',
        await submitForm(page, 'form:has(textarea[name="body"]) button[type="submit"]'),
        'error',
      );
    },
  },
  {
    name: 'public, sign-in',
    async run(page, check) {
      await page.goto(`${t.url}/masuk`);
      await page.fill('input[name="email"]', DEMO.citizen);
      await page.fill('input[name="password"]', 'bukan kata sandinya');
      await check('wrong password', await submitForm(page), 'error');
    },
  },
  {
    name: 'public, registration',
    async run(page, check) {
      const email = 'warga.baru@contoh.aduan.id';
      await page.goto(`${t.url}/daftar`);
      await check('empty', await submitForm(page), 'error');
      await page.fill('input[name="name"]', 'Warga Baru');
      await page.fill('input[name="email"]', email);
      await page.fill('input[name="password"]', 'kata sandi warga baru');
      await page.fill('input[name="passwordConfirm"]', 'kata sandi warga baru');
      await check('sent', await submitForm(page), 'ok');
      await openLink(
        page,
        await emailedLink(email, '/daftar/verifikasi'),
        'emailed verification link',
        check,
      );
    },
  },
  {
    name: 'public, password reset',
    async run(page, check) {
      await page.goto(`${t.url}/lupa-sandi`);
      await check('empty', await submitForm(page), 'error');
      await page.fill('input[name="email"]', DEMO.assessor);
      await check('sent', await submitForm(page), 'ok');
      await resolveResetRequests(t.runtime.services);
      await openLink(
        page,
        await emailedLink(DEMO.assessor, '/atur-ulang-sandi'),
        'emailed reset link',
        check,
      );
      await page.fill('input[name="password"]', 'pendek');
      await page.fill('input[name="passwordConfirm"]', 'pendek');
      await check('too short a password', await submitForm(page), 'error');
    },
  },
  {
    name: 'agency admin, invitation',
    email: DEMO.puprAdmin,
    async run(page, check) {
      const email = 'petugas.undangan@contoh.aduan.id';
      const invite = '#h-invite ~ form button[type="submit"]';
      await page.goto(`${t.url}/kantor/admin/pengguna`);
      await check('invite, empty', await submitForm(page, invite), 'error');
      await page.fill('#f-name', 'Petugas Undangan');
      await page.fill('#f-email', email);
      await page.selectOption('#f-role', 'officer');
      await page.selectOption('#f-agencyId', 'pupr-kaltim-unit');
      await check('invited: the link', await submitForm(page, invite), 'ok');
      // The invited person, signed out, opens the emailed link.
      const link = await emailedLink(email, '/undangan');
      await page.context().clearCookies();
      await openLink(page, link, 'emailed invitation link', check);
      await check('accept, empty', await submitForm(page), 'error');
    },
  },
  {
    name: 'coordinator, SLA rules',
    email: DEMO.coordinator,
    async run(page, check) {
      const fill = async (days: string) => {
        await page.goto(`${t.url}/kantor/admin/sla`);
        await page.selectOption('#f-regionCode', '64');
        await page.selectOption('#f-clock', 'verification');
        await page.fill('#f-workingDays', days);
        await page.fill('#f-basis', 'Pergub Kaltim 12/2029 tentang Pengelolaan Pengaduan');
        await page.fill('#f-validFrom', '2030-01-01');
        return submitForm(page, '#h-add-sla ~ form button[type="submit"]');
      };
      await check('looser than the national rule', await fill('5'), 'error');
      await check('saved', await fill('1'), 'ok');
      expect(page.url()).toContain('selesai=1');
    },
  },
  {
    name: 'coordinator, walk-in',
    email: DEMO.coordinator,
    async run(page, check) {
      await page.goto(`${t.url}/kantor/lapor-langsung`);
      await check('empty', await submitForm(page), 'error');
      await page.check('input[name="channel"][value="walk_in"]');
      // The two questions put to the citizen (nothing preselected).
      await page.check('input[name="identity"][value="named"]');
      await page.check('input[name="visibility"][value="public"]');
      await page.fill('#f-title', 'Sampah menumpuk di pasar pagi');
      await page.fill(
        '#f-body',
        'Sampah menumpuk di pasar pagi sejak seminggu dan tidak diangkut petugas kebersihan.',
      );
      await page.selectOption('#f-regionCode', '64.72');
      await page.fill('#f-reporter-name', 'Ibu Pengunjung');
      await page.fill('#f-reporter-email', 'ibu.pengunjung@contoh.aduan.id');
      await check('recorded: the receipt', await submitForm(page), 'ok');
      expect(new URL(page.url()).pathname).toBe('/kantor/lapor-langsung/selesai');
    },
  },
];

/** The public page of every report the public may see, named by status. */
const publicReportPages = (all: SeededReport[]): ReportPage[] =>
  all
    .filter((r) => r.isPublic)
    .map((r) => ({
      url: `/laporan/${r.trackingId}`,
      key: `/laporan/:id [${r.label}]`,
      mustNotShow: r.anonymousName,
    }));

/** The back-office page of every report `viewpoint` handles; `seesAnonim`: a verifier, who may see who reported. */
const staffReportPages =
  (viewpoint: string, seesAnonim: boolean, base = '/kantor/laporan') =>
  (all: SeededReport[]): ReportPage[] =>
    all
      .filter((r) => r.staff.includes(viewpoint))
      .map((r) => ({
        url: `${base}/${r.trackingId}`,
        key: `${base}/:id [${r.label}]`,
        mustNotShow: seesAnonim ? undefined : r.anonymousName,
      }));

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
    // Every status: its tracking page (the reporter's view, with the key) and, when public, its public page.
    reportPages: (all) => [
      ...all.map((r) => ({
        url: `/lacak/${r.trackingId}?k=${r.accessKey}`,
        key: `/lacak/:id?k=* [${r.label}]`,
      })),
      ...publicReportPages(all),
    ],
  },
  {
    name: 'citizen',
    email: DEMO.citizen,
    start: () => ['/akun', '/', ...STEPS.map((s) => `/lapor/${s}`)],
    inScope: (p) => !isStaffPath(p),
    reportPages: publicReportPages,
  },
  {
    name: 'coordinator',
    email: DEMO.coordinator,
    // The statistics drill-down: linked from a dashboard row, started directly (its query is the page).
    start: () => ['/kantor', drillDown('agency', 'pupr-kaltim')],
    inScope: isStaffPath,
    reportPages: staffReportPages('coordinator', true),
    confirmations: () => [
      `/kantor/laporan/${reportOf('dispatched')}?selesai=1`,
      '/kantor/admin/instansi/pupr-kaltim?selesai=ubah',
      `/kantor/admin/pengguna/${seed.officerId}?selesai=1`,
      '/kantor/admin/kalender?selesai=1',
      '/kantor/admin/sla?selesai=1',
      '/kantor/admin/rute-otomatis?selesai=1',
      '/kantor/integrasi?selesai=simpan',
      '/kantor/preferensi?tersimpan=1',
      '/kantor/kata-sandi?selesai=1',
      `/kantor/evaluasi/${seed.period}?ok=published`,
    ],
  },
  {
    name: 'agency admin',
    email: DEMO.puprAdmin,
    // The auto-dispatch pull-back form (linked from the auto-dispatch page's list) and a statistics drill-down.
    start: () => [
      '/kantor',
      `/kantor/admin/rute-otomatis/${seed.autoDispatched}/tarik`,
      drillDown('category', String(seed.categoryId)),
    ],
    inScope: isStaffPath,
    reportPages: staffReportPages('agency admin', false),
    confirmations: () => [
      `/kantor/laporan/${reportOf('dispatched')}?selesai=1`,
      '/kantor?tab=dispatched&selesai=kembali',
      '/kantor/admin/instansi/pupr-kaltim?selesai=tambah',
      `/kantor/admin/pengguna/${seed.officerId}?selesai=1`,
      '/kantor/admin/rute-otomatis?selesai=tarik',
      '/kantor/integrasi?selesai=cabut',
      '/kantor/preferensi?tersimpan=1',
      '/kantor/kata-sandi?selesai=1',
    ],
  },
  {
    name: 'unit officer',
    email: DEMO.puprOfficer,
    start: () => ['/kantor'],
    inScope: isStaffPath,
    reportPages: staffReportPages('unit officer', false),
    confirmations: () => [
      `/kantor/laporan/${reportOf('in progress')}?selesai=1`,
      '/kantor/preferensi?tersimpan=1',
      '/kantor/kata-sandi?selesai=1',
    ],
  },
  {
    name: 'national admin',
    email: DEMO.national,
    start: () => ['/kantor', '/kantor/admin', drillDown('region', '64')],
    inScope: isStaffPath,
    reportPages: staffReportPages('national admin', true),
    confirmations: () => [
      `/kantor/laporan/${reportOf('submitted')}?selesai=1`,
      '/kantor/admin/instansi/pupr-kaltim?selesai=buat',
      `/kantor/admin/pengguna/${seed.officerId}?selesai=1`,
      '/kantor/admin/kategori?selesai=1',
      '/kantor/admin/kalender?selesai=1',
      '/kantor/admin/sla?selesai=1',
      '/kantor/admin/rute-otomatis?selesai=1',
      '/kantor/integrasi?selesai=hapus',
      '/kantor/preferensi?tersimpan=1',
      '/kantor/kata-sandi?selesai=1',
      `/kantor/evaluasi/${seed.period}?ok=published`,
    ],
  },
  {
    name: 'ombudsman',
    email: DEMO.ombudsman,
    start: () => ['/kantor/ombudsman'],
    inScope: isStaffPath,
    reportPages: staffReportPages('ombudsman', false, '/kantor/ombudsman/laporan'),
    confirmations: () => ['/kantor/kata-sandi?selesai=1'],
  },
];

describe.skipIf(!HAS_CHROMIUM)('accessibility crawl without JavaScript, per viewpoint', () => {
  const summary: string[] = [];
  let evaluation: { checked: string[]; problems: string[] } = { checked: [], problems: [] };

  beforeAll(async () => {
    // Reports filed 150 days ago (old enough for the reporter to hand one to the Ombudsman), then the real present
    // (session cookies expire relative to it).
    t = await startTestApp({ now: new Date(Date.now() - 150 * DAY) });
    const categoryId = await categoryIdByName(t);
    seed.categoryId = categoryId;
    seed.from = new Date(Date.now() - 200 * DAY).toISOString().slice(0, 10);
    seed.to = new Date().toISOString().slice(0, 10);
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

    // A webhook of PUPR before the reports move (its delivery log then lists the dispatches), through the
    // integrations form (the local receiver address allowed for that post only).
    const admin = await signInWeb(t.url, DEMO.puprAdmin);
    const integrations = await admin.get('/kantor/integrasi');
    t.runtime.services.outboundAllowHosts = ['127.0.0.1'];
    const hook = await admin.post('/kantor/integrasi/webhook', {
      _csrf: csrfOf(integrations.html),
      url: 'http://127.0.0.1:9/crawl',
      events: ['dispatched'],
      hookAgency: 'pupr-kaltim',
    });
    t.runtime.services.outboundAllowHosts = [];
    expect(hook.status, hook.html.slice(0, 300)).toBe(303);
    const officerRow = (await t.runtime.services.db.execute(
      sql`select id from users where email = ${DEMO.puprOfficer}`,
    )) as unknown as { rows: Array<{ id: string }> };
    seed.officerId = officerRow.rows[0]!.id;

    const VERIFIERS = ['coordinator', 'national admin'];
    const AGENCY = [...VERIFIERS, 'agency admin'];
    const UNIT = [...AGENCY, 'unit officer'];
    const ANONIM = 'Sukma Rahasiawati';
    const add = (
      label: string,
      r: { trackingId: string; accessKey: string },
      isPublic: boolean,
      staff: string[],
      anonymousName?: string,
    ) => {
      reports.push({ label, ...r, isPublic, staff, ...(anonymousName ? { anonymousName } : {}) });
      return r;
    };
    const anonim = { anonymous: true, reporter: { name: ANONIM, email: 'sukma.rahasia@contoh.aduan.id' } };
    const reporter = (r: { accessKey: string }) => ({ accessKey: r.accessKey });

    // Waiting for verification: a plain one, and one anonim + rahasia.
    add('submitted', await file('Sampah menumpuk di pinggir jalan provinsi'), false, VERIFIERS);
    add(
      'submitted anonim rahasia',
      await file('Pungutan liar di loket pelayanan', { ...anonim, confidential: true }),
      false,
      VERIFIERS,
      ANONIM,
    );
    // On hold: the verifier asked the reporter a question.
    const held = add('on hold', await file('Trotoar pasar rusak dan berlubang'), false, VERIFIERS);
    await actOk(
      t,
      held.trackingId,
      'hold',
      { question: 'Di ruas jalan mana tepatnya trotoar itu?' },
      { token: coord },
    );
    // Archived: not a government matter; and a duplicate merged into the dispatched report below.
    const archived = add('archived', await file('Tetangga memutar musik keras'), false, VERIFIERS);
    await actOk(t, archived.trackingId, 'archive', { reason: 'not_government' }, { token: coord });
    // Verified to PUPR, waiting for disposition.
    const dispatched = add('dispatched', await file('Jalan provinsi di Balikpapan amblas'), true, AGENCY);
    await verify(dispatched.trackingId);
    const duplicate = add(
      'archived duplicate',
      await file('Jalan provinsi Balikpapan amblas lagi'),
      false,
      VERIFIERS,
    );
    await actOk(
      t,
      duplicate.trackingId,
      'archive',
      { reason: 'duplicate', duplicateOf: dispatched.trackingId },
      { token: coord },
    );
    // Dispatched anonim (public, without the name) and rahasia (never public).
    await verify(
      add('dispatched anonim', await file('Pungutan liar di jembatan timbang', anonim), true, AGENCY, ANONIM)
        .trackingId,
    );
    await verify(
      add(
        'dispatched rahasia',
        await file('Petugas meminta uang tambahan', { confidential: true }),
        false,
        AGENCY,
      ).trackingId,
    );
    // Returned by PUPR as bukan wewenang, with the right agency suggested.
    const returned = add('returned', await file('Puskesmas kekurangan obat'), true, VERIFIERS);
    await verify(returned.trackingId);
    await actOk(
      t,
      returned.trackingId,
      'return',
      { note: 'Obat puskesmas urusan Dinas Kesehatan, bukan PUPR.', suggestedAgencyId: 'dinkes-kaltim' },
      { token: pupr },
    );
    // In progress: disposed to the unit with an interim follow-up (the citizen's, claimed into the account below).
    const mine = add('in progress', await file('Drainase jalan provinsi Balikpapan tersumbat'), true, UNIT);
    await verify(mine.trackingId);
    await dispose(mine.trackingId);
    await respond(mine.trackingId, false);
    seed.citizenReport = mine.trackingId;
    seed.citizenKey = mine.accessKey;
    // Answered with a final follow-up: public page and tracking page with the agency's answer.
    const answered = add('answered', await file('Lampu jalan provinsi Balikpapan padam'), true, UNIT);
    await verify(answered.trackingId);
    await dispose(answered.trackingId);
    await respond(answered.trackingId, true);
    seed.tracking = answered.trackingId;
    seed.key = answered.accessKey;
    // Closed (the reporter accepted the answer) and disputed (the reporter disagreed: back in progress).
    for (const [label, title, action, json] of [
      [
        'closed',
        'Marka jalan provinsi pudar',
        'accept',
        { rating: 4, comment: 'Terima kasih, sudah diperbaiki.' },
      ],
      [
        'disputed',
        'Gorong-gorong jalan provinsi ambrol',
        'dispute',
        { reason: 'Belum diperbaiki sama sekali.' },
      ],
    ] as const) {
      const r = add(label, await file(title), true, UNIT);
      await verify(r.trackingId);
      await dispose(r.trackingId);
      await respond(r.trackingId, true);
      await actOk(t, r.trackingId, action, json, reporter(r));
    }
    // Handed over to the Ombudsman by its reporter.
    const late = add(
      'transferred to the Ombudsman',
      await file('Jembatan penghubung kampung rusak berat'),
      true,
      [...AGENCY, 'ombudsman'],
    );
    await verify(late.trackingId);
    t.setNow(new Date());
    await actOk(t, late.trackingId, 'escalate', { consent: true }, reporter(late));
    // An auto-dispatch (its pull-back form): routing models trained on verified reports, the instance rule turned on
    // through its form, then a new roads report dispatched to PUPR by the pass.
    const health = await categoryIdByName(t, 'KESEHATAN');
    // A new session: the coordinator's token above was issued 150 days ago.
    const signedIn = await t.api('/api/v1/auth/login', {
      json: { email: DEMO.coordinator, password: DEMO_PASSWORD },
    });
    const verifier = signedIn.body.token as string;
    for (const [titles, agencyId, category] of [
      [ROADS, 'pupr-kaltim', categoryId],
      [HEALTH, 'dinkes-kaltim', health],
    ] as const)
      for (const title of titles)
        await actOk(
          t,
          (await file(title)).trackingId,
          'verify',
          { categoryId: category, agencyId },
          { token: verifier },
        );
    await trainRoutingModels(t.runtime.services, { cvMaxRows: 0, kinds: ['agency', 'category'] });
    const national = await signInWeb(t.url, DEMO.national);
    const rule = await national.post('/kantor/admin/rute-otomatis/instans', {
      _csrf: csrfOf((await national.get('/kantor/admin/rute-otomatis')).html),
      instanceEnabled: 'on',
      instanceThreshold: '50',
    });
    expect(rule.status, rule.html.slice(0, 300)).toBe(303);
    seed.autoDispatched = (
      await file('Jalan rusak berlubang dan aspal mengelupas dekat jembatan')
    ).trackingId;
    const pass = await autoDispatchPending(t.runtime.services);
    expect(pass.dispatched.map((d) => d.trackingId)).toEqual([seed.autoDispatched]);
    b = await launchBrowser();
    smtp = await startSmtp();
    // The evaluation period (its pages, back office and public, are crawled), its forms checked on the way.
    evaluation = await runFlow(EVALUATION_FLOW);
  }, 120_000);

  afterAll(async () => {
    console.log(`Accessibility crawl, pages checked per viewpoint:\n${summary.join('\n')}`);
    await b?.close();
    await t?.close();
    await smtp?.close();
  });

  it('pages reached only by a form post or an emailed link answer as expected with zero axe violations', async () => {
    const problems = [...evaluation.problems];
    const lines = [`${EVALUATION_FLOW.name}: ${evaluation.checked.join(', ')}`];
    for (const flow of FORM_FLOWS) {
      const r = await runFlow(flow);
      lines.push(`${flow.name}: ${r.checked.join(', ')}`);
      problems.push(...r.problems);
    }
    summary.push(`form posts and emailed links (${lines.length} flows):\n  ${lines.join('\n  ')}`);
    expect(problems, problems.join('\n')).toEqual([]);
  }, 300_000);

  for (const vp of VIEWPOINTS) {
    it(`${vp.name}: every reachable page answers 200 with zero axe violations, without JavaScript at 360 px`, async () => {
      const { checked, problems } = await crawl(vp);
      summary.push(`${vp.name} (${checked.length}): ${checked.map((c) => c.key).join(' ')}`);
      expect(checked.length).toBeGreaterThanOrEqual(3);
      expect(problems, problems.join('\n')).toEqual([]);
    }, 300_000);
  }
});
