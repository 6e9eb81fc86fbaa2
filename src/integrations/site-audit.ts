/**
 * Website / social-media audit for the evaluation awards: opens the URL in headless Chromium
 * (playwright-core, Debian `/usr/bin/chromium` or CHROMIUM_PATH), runs axe-core (WCAG 2.0/2.1/2.2 A+AA),
 * checks that the page loads, that same-origin links answer (HEAD, then GET when HEAD is refused;
 * bounded count and time) and that a complaint channel or LAPOR! link is present.
 * Works in production (the same launcher flags as the e2e helper) and in tests against local pages.
 * Why: the website and social-media awards are judged on functionality and accessibility (issue 6).
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { chromium, type Browser } from 'playwright-core';

/** Chromium binary used by the audit. */
export const AUDIT_CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
/** Whether the audit can run on this machine. */
export const AUDIT_AVAILABLE = existsSync(AUDIT_CHROMIUM_PATH);

const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21aa', 'wcag22aa'];
let axeSource: string | null = null;

/** Words and hosts that count as a complaint channel (LAPOR!, pengaduan, aduan, SP4N, WhatsApp hotline …). */
export const COMPLAINT_PATTERNS = [
  /lapor\.go\.id/i,
  /\blapor!?\b/i,
  /pengaduan/i,
  /\baduan\b/i,
  /sp4n/i,
  /complaint/i,
  /kontak|hubungi/i,
];

/** One check of the audit. */
export interface AuditCheck {
  id: 'loads' | 'accessibility' | 'links' | 'complaint_channel';
  passed: boolean;
  detail: string;
}

/** The audit of one URL. */
export interface SiteAuditResult {
  url: string;
  finalUrl: string | null;
  status: number | null;
  loadMs: number | null;
  title: string | null;
  checks: AuditCheck[];
  violations: { id: string; impact: string | null; help: string; nodes: number }[];
  links: { checked: number; broken: { url: string; status: number | null }[] };
  complaintLinks: string[];
  /** Suggested score 0–100: loads 25, accessibility 40 (minus 8 per violated rule), links 20, channel 15. */
  score: number;
  error?: string;
}

/** Options: link-check bounds and timeouts. */
export interface AuditOptions {
  maxLinks?: number;
  timeoutMs?: number;
}

/** Launches chromium with the same flags as the e2e helper (no sandbox for containers, no QUIC). */
export async function launchAuditBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: AUDIT_CHROMIUM_PATH,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
    ],
  });
}

async function checkLink(url: string, timeoutMs: number): Promise<number | null> {
  for (const method of ['HEAD', 'GET'] as const) {
    try {
      const res = await fetch(url, { method, redirect: 'follow', signal: AbortSignal.timeout(timeoutMs) });
      await res.body?.cancel();
      if (method === 'HEAD' && (res.status === 405 || res.status === 501)) continue;
      return res.status;
    } catch {
      if (method === 'GET') return null;
    }
  }
  return null;
}

/** Scores the checks (see `SiteAuditResult.score`). */
export function auditScore(r: Pick<SiteAuditResult, 'checks' | 'violations' | 'links'>): number {
  const passed = (id: AuditCheck['id']) => r.checks.find((c) => c.id === id)?.passed ?? false;
  if (!passed('loads')) return 0;
  const a11y = Math.max(0, 40 - 8 * r.violations.length);
  const links = r.links.checked ? Math.round(20 * (1 - r.links.broken.length / r.links.checked)) : 20;
  return 25 + a11y + links + (passed('complaint_channel') ? 15 : 0);
}

/** Audits one URL with an already launched browser (one fresh context per URL). */
export async function auditSite(
  browser: Browser,
  url: string,
  opts: AuditOptions = {},
): Promise<SiteAuditResult> {
  const maxLinks = opts.maxLinks ?? 25;
  const timeoutMs = opts.timeoutMs ?? 15_000;
  const out: SiteAuditResult = {
    url,
    finalUrl: null,
    status: null,
    loadMs: null,
    title: null,
    checks: [],
    violations: [],
    links: { checked: 0, broken: [] },
    complaintLinks: [],
    score: 0,
  };
  const context = await browser.newContext({ locale: 'id-ID' });
  try {
    const page = await context.newPage();
    const started = Date.now();
    let res;
    try {
      res = await page.goto(url, { waitUntil: 'load', timeout: timeoutMs });
    } catch (e) {
      out.error = (e as Error).message.split('\n')[0];
    }
    out.loadMs = Date.now() - started;
    out.status = res?.status() ?? null;
    out.finalUrl = res ? page.url() : null;
    const loads = !!res && res.status() < 400;
    out.checks.push({
      id: 'loads',
      passed: loads,
      detail: res ? `HTTP ${res.status()}` : (out.error ?? 'no response'),
    });
    if (!loads) return { ...out, score: 0 };
    out.title = await page.title();
    axeSource ??= readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
    await page.evaluate(axeSource);
    out.violations = await page.evaluate(async (tags) => {
      const w = globalThis as unknown as {
        axe: {
          run: (
            c: unknown,
            o: unknown,
          ) => Promise<{
            violations: { id: string; impact: string | null; help: string; nodes: unknown[] }[];
          }>;
        };
      };
      const r = await w.axe.run((globalThis as unknown as { document: unknown }).document, {
        runOnly: { type: 'tag', values: tags },
      });
      return r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.length }));
    }, AXE_TAGS);
    out.checks.push({
      id: 'accessibility',
      passed: out.violations.length === 0,
      detail: out.violations.length ? out.violations.map((v) => v.id).join(', ') : 'axe: 0 violations',
    });
    const anchors = await page.$$eval('a[href]', (as) =>
      as.map((a) => ({ href: (a as unknown as { href: string }).href, text: (a.textContent ?? '').trim() })),
    );
    const origin = new URL(out.finalUrl ?? url).origin;
    const sameOrigin = [
      ...new Set(
        anchors
          .map((a) => a.href.split('#')[0]!)
          .filter((h) => {
            try {
              return new URL(h).origin === origin;
            } catch {
              return false;
            }
          }),
      ),
    ].slice(0, maxLinks);
    for (const link of sameOrigin) {
      const status = await checkLink(link, Math.min(timeoutMs, 5000));
      out.links.checked++;
      if (status === null || status >= 400) out.links.broken.push({ url: link, status });
    }
    out.checks.push({
      id: 'links',
      passed: out.links.broken.length === 0,
      detail: `${out.links.checked - out.links.broken.length}/${out.links.checked} same-origin links answer`,
    });
    out.complaintLinks = anchors
      .filter((a) => COMPLAINT_PATTERNS.some((re) => re.test(a.href) || re.test(a.text)))
      .map((a) => a.href)
      .slice(0, 10);
    out.checks.push({
      id: 'complaint_channel',
      passed: out.complaintLinks.length > 0,
      detail: out.complaintLinks.length
        ? out.complaintLinks.join(' ')
        : 'no complaint channel or LAPOR! link',
    });
    out.score = auditScore(out);
    return out;
  } finally {
    await context.close();
  }
}
