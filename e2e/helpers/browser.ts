/**
 * Browser test helpers: Debian chromium driven by playwright-core, axe-core checks against WCAG 2.0/2.1/2.2
 * A and AA, and a clear skip when chromium is not installed (`describe.skipIf(!HAS_CHROMIUM)`).
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, expect } from 'vitest';
import { startTestApp, type TestApp } from '../../test/helpers/app.ts';

/** Where chromium lives (override with CHROMIUM_PATH). */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
/** True when the browser can run; suites use `describe.skipIf(!HAS_CHROMIUM)`. */
export const HAS_CHROMIUM = existsSync(CHROMIUM_PATH);
if (!HAS_CHROMIUM) {
  console.warn(
    `SKIP browser tests: ${CHROMIUM_PATH} not found (apt-get install -y chromium, or set CHROMIUM_PATH).`,
  );
}

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
/** The axe rule tags every page must pass. */
export const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21aa', 'wcag22aa'];

/** A launched browser with its throwaway profile directory. */
export interface TestBrowser {
  browser: Browser;
  /**
   * A fresh context; `javaScriptEnabled: false` for no-JS journeys (check those pages with `checkA11yWithoutJs`),
   * `viewport` for a narrow screen (the crawl uses 360 px).
   */
  context(opts?: {
    javaScriptEnabled?: boolean;
    locale?: string;
    viewport?: { width: number; height: number };
  }): Promise<BrowserContext>;
  close(): Promise<void>;
}

/**
 * Launches headless chromium (flags from stack-notes §7, plus --disable-quic). playwright-core refuses a
 * `--user-data-dir` argument and already gives every `launch()` a fresh temporary profile; nothing persists between runs.
 */
export async function launchBrowser(): Promise<TestBrowser> {
  const browser = await chromium.launch({
    executablePath: CHROMIUM_PATH,
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
  return {
    browser,
    context: (opts = {}) =>
      browser.newContext({
        javaScriptEnabled: opts.javaScriptEnabled ?? true,
        locale: opts.locale ?? 'id-ID',
        ...(opts.viewport ? { viewport: opts.viewport } : {}),
      }),
    async close() {
      await browser.close();
    },
  };
}

/** One axe violation, summarised for an assertion message. */
export interface A11yViolation {
  id: string;
  impact: string | null;
  help: string;
  targets: string[];
}

/**
 * Runs axe-core in the page and returns the violations (an empty array means the page passes).
 * Call it in a context with JavaScript on: with JavaScript off, axe is injected through the privileged
 * channel but the page's timers do not run, and some rules then never finish (use `checkA11yWithoutJs` there).
 */
export async function checkA11y(page: Page): Promise<A11yViolation[]> {
  await page.evaluate(AXE_SOURCE);
  return page.evaluate(async (tags) => {
    const w = globalThis as unknown as {
      axe: {
        run: (
          ctx: unknown,
          o: unknown,
        ) => Promise<{
          violations: Array<{
            id: string;
            impact: string | null;
            help: string;
            nodes: Array<{ target: string[] }>;
          }>;
        }>;
      };
    };
    const r = await w.axe.run((globalThis as unknown as { document: unknown }).document, {
      runOnly: { type: 'tag', values: tags },
    });
    return r.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      targets: v.nodes.map((n) => n.target.join(' ')),
    }));
  }, AXE_TAGS);
}

/**
 * `checkA11y` for a page in a context with JavaScript DISABLED, so axe judges the page exactly as a browser without
 * JavaScript renders it. Chromium then runs no timers, and axe waits on `setTimeout`/`requestAnimationFrame`
 * between its checks; those are replaced (in this page only, which runs no scripts of its own) by microtask
 * callbacks, which Chromium still runs for code evaluated through the DevTools channel.
 */
export async function checkA11yWithoutJs(page: Page): Promise<A11yViolation[]> {
  await page.evaluate(() => {
    type Callback = (...args: unknown[]) => void;
    const g = globalThis as unknown as Record<string, unknown>;
    g.setTimeout = (fn: Callback, _ms?: number, ...args: unknown[]) => {
      void Promise.resolve().then(() => fn(...args));
      return 0;
    };
    g.clearTimeout = () => undefined;
    g.requestAnimationFrame = (fn: Callback) => {
      void Promise.resolve().then(() => fn(0));
      return 0;
    };
    g.cancelAnimationFrame = () => undefined;
  });
  return checkA11y(page);
}

/** Asserts the page has no axe violations; `label` names the page in the failure message. */
export async function expectA11y(page: Page, label: string): Promise<void> {
  const v = await checkA11y(page);
  expect(v, `${label}: ${JSON.stringify(v, null, 1)}`).toEqual([]);
}

/** Saves a full-page screenshot under the git-ignored tmp/screenshots/<group>/. */
export async function screenshot(page: Page, group: string, name: string): Promise<void> {
  const dir = new URL(`../../tmp/screenshots/${group}/`, import.meta.url).pathname;
  mkdirSync(dir, { recursive: true });
  await page.screenshot({ path: `${dir}${name}.png`, fullPage: true });
}

/**
 * The usual suite setup: before all tests start the app (default options) and Chromium and hand both to `set`;
 * after all close them. For suites that need nothing else before their tests.
 */
export function withAppAndBrowser(set: (t: TestApp, b: TestBrowser) => void): void {
  let t: TestApp | undefined;
  let b: TestBrowser | undefined;
  beforeAll(async () => {
    t = await startTestApp();
    b = await launchBrowser();
    set(t, b);
  });
  afterAll(async () => {
    await b?.close();
    await t?.close();
  });
}
