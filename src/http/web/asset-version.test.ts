/**
 * The static assets' `?v=` follows their contents: a changed file (a CSS fix) gives every page new links, so no
 * browser keeps the old file for the week the assets may be cached.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../../test/helpers/app.ts';
import { ASSET_VERSION, assetVersionOf } from './render.ts';

describe('static asset version', () => {
  const dir = mkdtempSync(join(tmpdir(), 'aduan-assets-'));
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  }, 60_000);
  afterAll(async () => {
    await t?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('changes when a file changes, is added or is renamed, and not otherwise', () => {
    writeFileSync(join(dir, 'app.css'), 'body { color: #000; }');
    writeFileSync(join(dir, 'app.js'), 'void 0;');
    const first = assetVersionOf(dir);
    expect(first).toMatch(/^[0-9a-f]{10}$/);
    expect(assetVersionOf(dir)).toBe(first);
    writeFileSync(join(dir, 'app.css'), 'body { color: #111; }');
    const edited = assetVersionOf(dir);
    expect(edited).not.toBe(first);
    writeFileSync(join(dir, 'stats.css'), '');
    const added = assetVersionOf(dir);
    expect(added).not.toBe(edited);
    rmSync(join(dir, 'stats.css'));
    writeFileSync(join(dir, 'staff.css'), '');
    expect(assetVersionOf(dir)).not.toBe(added);
  });

  it('every page links its stylesheets and scripts with the current version, and the files are served', async () => {
    const html = await (await fetch(`${t.url}/lapor/kejadian`)).text();
    const links = [...html.matchAll(/(?:href|src)="(\/static\/[^"?]+)\?v=([^"]+)"/g)];
    expect(links.length).toBeGreaterThan(0);
    for (const [, path, v] of links) {
      expect(v, path).toBe(ASSET_VERSION);
      const r = await fetch(`${t.url}${path}?v=${v}`);
      expect(r.status, path).toBe(200);
      expect(r.headers.get('cache-control'), path).toContain('max-age=604800');
    }
  });
});
