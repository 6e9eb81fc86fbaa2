/**
 * Vitest global setup: builds a migrated database template once per run (reference data and the demo
 * organisation, no reports). PGlite: a dumped data directory cached in .test-cache by content hash.
 * PostgreSQL (DATABASE_URL): a template database that every test file clones.
 */
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { openDatabase } from '../src/db/client.ts';
import { migrateDatabase } from '../src/db/migrate.ts';
import { seedReference } from '../src/db/seed/reference.ts';
import { seedDemoOrganisation } from '../src/seed/demo.ts';

export const DEMO_PASSWORD = 'demo-aduan-2026';
export const DEMO_OPEN311_KEY = 'demo-open311-key';

const ROOT = new URL('..', import.meta.url).pathname;

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? walk(p) : [p];
  });
}

/** A hash of everything that shapes the template, so a stale cache is never used. */
function templateHash(): string {
  const h = createHash('sha256');
  const files = [
    ...walk(join(ROOT, 'src/db')),
    ...walk(join(ROOT, 'src/seed')),
    ...walk(join(ROOT, 'src/assets')),
    join(ROOT, 'src/domain/deadline/sla.ts'),
    join(ROOT, 'src/domain/deadline/calendar.ts'),
  ].sort();
  for (const f of files) h.update(f.slice(ROOT.length)).update(readFileSync(f));
  return h.digest('hex').slice(0, 16);
}

async function prepare(database: Awaited<ReturnType<typeof openDatabase>>): Promise<void> {
  await migrateDatabase(database);
  await seedReference(database.db);
  await seedDemoOrganisation(database.db, { password: DEMO_PASSWORD, open311Key: DEMO_OPEN311_KEY });
}

/** Test databases cloned from a template share its suffix, so a run drops only its own clones. */
export function clonePrefix(template: string): string {
  return `aduan_t_${template.replace(/^aduan_tpl_/, '')}_`;
}

export function adminUrl(url: string, db = 'postgres'): string {
  const u = new URL(url);
  u.pathname = `/${db}`;
  return u.toString();
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const url = process.env.DATABASE_URL;
  if (url) {
    const name = `aduan_tpl_${randomBytes(4).toString('hex')}`;
    const admin = new pg.Client({ connectionString: adminUrl(url) });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    const database = await openDatabase({ databaseUrl: adminUrl(url, name), poolSize: 2 });
    await prepare(database);
    await database.close();
    project.provide('dbTemplate', { kind: 'postgres', url, template: name });
    console.log(
      `[test] PostgreSQL template database ${name} ready (DATABASE_URL set: PGlite suites use PostgreSQL)`,
    );
    return async () => {
      const { rows } = await admin.query<{ datname: string }>(
        `select datname from pg_database where datname like $2 or datname = $1`,
        [name, `${clonePrefix(name)}%`],
      );
      for (const r of rows) await admin.query(`DROP DATABASE IF EXISTS ${r.datname} WITH (FORCE)`);
      await admin.end();
    };
  }
  const dir = join(ROOT, '.test-cache');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `template-${templateHash()}.tar`);
  if (!existsSync(file)) {
    const t = Date.now();
    const database = await openDatabase({ memory: true });
    await prepare(database);
    const blob = await database.dump!();
    writeFileSync(file, Buffer.from(await blob.arrayBuffer()));
    await database.close();
    console.log(`[test] PGlite template built in ${((Date.now() - t) / 1000).toFixed(1)} s: ${file}`);
  }
  project.provide('dbTemplate', { kind: 'pglite', file });
  return async () => {};
}

declare module 'vitest' {
  export interface ProvidedContext {
    dbTemplate: { kind: 'pglite'; file: string } | { kind: 'postgres'; url: string; template: string };
  }
}
