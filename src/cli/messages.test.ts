/**
 * The messages of the `aduan` commands (src/cli/messages.ts) follow the command line's language (`ADUAN_LANG`, else
 * `LANG`), as the help does: the commands run in this process with the environment set per case, printing what an
 * operator would read. Refusals that open nothing (`keys rotate` with an environment key, `users create-admin` with
 * an invalid email, `users invite --csv` with other options) run without a database; confirmations (`agencies add`,
 * `users create-admin`, `keys status`) run on a real database. Every `cli.messages` text the code says exists in both
 * languages, and none is left unused. The database one-liners at start-up (src/cli/db-errors.ts) too.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { startTestApp, type TestApp } from '../../test/helpers/app.ts';
import { loadConfig, type Config } from '../config.ts';
import { allKeys, has, LANGS, t as tr, type Lang } from '../locales/index.ts';
import type { Runtime } from '../runtime.ts';
import { agenciesCli } from './agencies.ts';
import { databaseUrlProblem, describeDatabaseError } from './db-errors.ts';
import { keysCli } from './keys.ts';
import { usersCli } from './users.ts';

/** Runs a command in this process in `lang` (through ADUAN_LANG, or LANG when `via` says so), capturing its output. */
async function inLang(lang: Lang, run: () => Promise<number>, via: 'ADUAN_LANG' | 'LANG' = 'ADUAN_LANG') {
  vi.stubEnv('ADUAN_LANG', via === 'ADUAN_LANG' ? lang : undefined);
  vi.stubEnv('LANG', via === 'LANG' ? (lang === 'id' ? 'id_ID.UTF-8' : 'en_US.UTF-8') : 'C.UTF-8');
  const lines: string[] = [];
  const capture = (l: unknown) => void lines.push(String(l));
  const spies = (['log', 'error', 'warn'] as const).map((m) =>
    vi.spyOn(console, m).mockImplementation(capture),
  );
  try {
    const code = await run();
    return { code, out: lines.join('\n') };
  } finally {
    for (const s of spies) s.mockRestore();
    vi.unstubAllEnvs();
  }
}

/** A database opener that must not be called: the refusal comes before anything is opened. */
const neverOpened = (): Promise<Runtime> => {
  throw new Error('the database was opened');
};

const config: Config = loadConfig({
  ...process.env,
  ADUAN_SECRET_KEY: 'ab'.repeat(32),
  ADUAN_DATA_DIR: '/nonexistent/aduan-messages-test',
  DATABASE_URL: '',
});

afterEach(() => vi.unstubAllEnvs());

describe('messages of the commands without a database', () => {
  it('keys rotate with ADUAN_SECRET_KEY: the refusal in Bahasa Indonesia or English, exit 1', async () => {
    const id = await inLang('id', () => keysCli(config, ['rotate'], neverOpened));
    expect(id.code).toBe(1);
    expect(id.out).toBe(tr('id', 'cli.messages.keys.rotate_environment'));
    expect(id.out).toMatch(/^Kunci berasal dari ADUAN_SECRET_KEY: rotasikan di variabel lingkungan\./);
    const en = await inLang('en', () => keysCli(config, ['rotate'], neverOpened));
    expect(en.code).toBe(1);
    expect(en.out).toMatch(/^The key comes from ADUAN_SECRET_KEY: rotate it in the environment\./);
    // LANG alone chooses as well.
    const viaLang = await inLang('id', () => keysCli(config, ['rotate'], neverOpened), 'LANG');
    expect(viaLang.out).toBe(id.out);
  });

  it('users: an invalid email and a misused --csv, in either language, before the database is opened', async () => {
    const args = ['create-admin', '--email', 'admin.contoh.go.id', '--name', 'Admin Pertama'];
    const id = await inLang('id', () => usersCli(config, args, neverOpened));
    expect(id).toEqual({
      code: 1,
      out: `aduan users create-admin: --email "admin.contoh.go.id": ${tr('id', 'errors.field.invalid_email')}`,
    });
    expect(id.out).not.toContain(tr('en', 'errors.field.invalid_email'));
    const en = await inLang('en', () => usersCli(config, args, neverOpened));
    expect(en.out).toBe(
      'aduan users create-admin: --email "admin.contoh.go.id": The email address is not valid.',
    );

    const csv = ['invite', '--csv', 'staf.csv', '--email', 'a@contoh.go.id'];
    const csvId = await inLang('id', () => usersCli(config, csv, neverOpened));
    expect(csvId.code).toBe(2);
    expect(csvId.out.split('\n')[0]).toBe(
      'aduan users invite: --csv hanya dipakai dengan "invite" saja (tanpa --email, --name, --role, --agency)',
    );
    // The usage that follows is the localised one of the group.
    expect(csvId.out).toContain('Pemakaian:');
    expect(csvId.out).toContain(tr('id', 'cli.commands.users_invite.summary'));
    const csvEn = await inLang('en', () => usersCli(config, csv, neverOpened));
    expect(csvEn.out.split('\n')[0]).toBe(
      'aduan users invite: --csv goes with "invite" alone (no --email, --name, --role, --agency)',
    );
    expect(csvEn.out).toContain('Usage:');
  });
});

describe('messages of the commands on a database', () => {
  let app: TestApp;
  let open: () => Promise<Runtime>;
  beforeAll(async () => {
    app = await startTestApp({ now: new Date('2026-03-12T02:00:00Z') });
    // The test app's runtime, left open when a command closes it.
    open = async () => ({ ...app.runtime, close: async () => undefined });
  });
  afterAll(() => app?.close());

  it('agencies add confirms in the command line language; a refusal stays in both languages', async () => {
    const add = (name: string, id: string) => () =>
      agenciesCli(
        'add',
        { values: { name, kind: 'unit', parent: 'pupr-kaltim', region: '64', id }, positionals: [] },
        open,
      );
    const id = await inLang('id', add('UPTD Jalan Wilayah I', 'uptd-jalan-1'));
    expect(id).toEqual({ code: 0, out: 'agencies: ditambahkan uptd-jalan-1 (unit, wilayah 64, WITA)' });
    const en = await inLang('en', add('UPTD Jalan Wilayah II', 'uptd-jalan-2'));
    expect(en).toEqual({ code: 0, out: 'agencies: added uptd-jalan-2 (unit, region 64, WITA)' });
    // A field refusal names the option and says why in both languages, whatever the command line's language.
    const again = await inLang('en', add('UPTD Jalan Wilayah I', 'uptd-jalan-1'));
    expect(again.code).toBe(1);
    expect(again.out).toMatch(/^aduan agencies add: --id: .+ \/ .+$/m);
  });

  it('users create-admin and keys status report in the command line language', async () => {
    const create = () =>
      usersCli(config, ['create-admin', '--email', 'Admin.Baru@Contoh.go.id', '--name', 'Admin Baru'], open);
    const made = await inLang('id', create);
    expect(made.code).toBe(0);
    expect(made.out).toContain('users: admin nasional dibuat: admin.baru@contoh.go.id');
    expect(made.out).toMatch(
      /kata sandi sementara \(ditampilkan sekali, wajib diganti saat pertama kali masuk\): \S{16}/,
    );
    expect(made.out).not.toContain('temporary password');
    const again = await inLang('en', create);
    expect(again).toEqual({
      code: 0,
      out: 'users: admin.baru@contoh.go.id is already a national admin; nothing changed.',
    });
    const againId = await inLang('id', create);
    expect(againId.out).toBe(
      'users: admin.baru@contoh.go.id sudah menjadi admin nasional; tidak ada yang berubah.',
    );

    const statusId = await inLang('id', () => keysCli(config, ['status'], open));
    expect(statusId.code).toBe(0);
    expect(statusId.out.split('\n')[0]).toMatch(/^keys: sekarang \S+$/);
    expect(statusId.out).toMatch(/^keys: reports\.reporter_enc: (tidak ada|.*\(sekarang\).*)$/m);
    const statusEn = await inLang('en', () => keysCli(config, ['status'], open));
    expect(statusEn.out.split('\n')[0]).toMatch(/^keys: current \S+$/);
    expect(statusEn.out).toMatch(/^keys: reports\.reporter_enc: (none|.*\(current\).*)$/m);
  });
});

describe('database problems at start-up', () => {
  it('the one line for an unreachable server or a URL that is not PostgreSQL, in either language, no password', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' });
    const url = 'postgres://aduan:rahasia-sekali@127.0.0.1:1/aduan';
    const lines = (lang: Lang) => {
      vi.stubEnv('ADUAN_LANG', lang);
      return [
        describeDatabaseError(new Error('pool', { cause: refused }), url),
        databaseUrlProblem('mysql://aduan:rahasia-sekali@db.example/aduan'),
      ];
    };
    expect(lines('id')).toEqual([
      'aduan: tidak dapat terhubung ke PostgreSQL di 127.0.0.1:1 (DATABASE_URL): koneksi ditolak',
      'aduan: DATABASE_URL harus URL PostgreSQL (postgres://pengguna:kata-sandi@host:5432/basis-data), bukan mysql://…',
    ]);
    expect(lines('en')).toEqual([
      'aduan: cannot connect to PostgreSQL at 127.0.0.1:1 (DATABASE_URL): connection refused',
      'aduan: DATABASE_URL must be a PostgreSQL URL (postgres://user:password@host:5432/database), not mysql://…',
    ]);
  });
});

describe('the texts', () => {
  it('every message the commands say is in both languages, and none is left unused', () => {
    const root = new URL('../', import.meta.url);
    const files = [
      new URL('cli.ts', root),
      ...readdirSync(new URL('cli/', root))
        .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))
        .map((f) => new URL(`cli/${f}`, root)),
    ];
    const code = files.map((f) => readFileSync(f, 'utf8')).join('\n');
    const said = new Set([...code.matchAll(/\bsay\(\s*'([\w.]+)'/g)].map((m) => m[1]!));
    // Conditional keys: `say(cond ? 'a' : 'b', …)`.
    for (const m of code.matchAll(/\bsay\(\s*[^'`()]+\?\s*'([\w.]+)'\s*:\s*'([\w.]+)'/g)) {
      said.add(m[1]!);
      said.add(m[2]!);
    }
    // Keys built from a prefix: every key under it counts as said.
    const prefixes = [...code.matchAll(/\bsay\(\s*`([\w.]+)\.\$\{/g)].map((m) => `cli.messages.${m[1]}.`);
    // The environment's problems and the start-up refusals (src/config.ts, src/runtime.ts): `config.<key>`, named as
    // configError('key') / configText('key') / whole('key', …) or `${KEY}key`; `${KEY}field.${…}` and
    // `${KEY}public_url.${…}` are prefixes.
    const config = ['config.ts', 'runtime.ts'].map((f) => readFileSync(new URL(f, root), 'utf8')).join('\n');
    for (const m of config.matchAll(/\b(?:configError|configText|whole)\(\s*'(\w+)'|\$\{KEY\}(\w+)`/g))
      said.add(`config.${m[1] ?? m[2]!}`);
    for (const m of config.matchAll(/\$\{KEY\}([\w.]+)\.\$\{/g))
      prefixes.push(`cli.messages.config.${m[1]}.`);
    expect(said.size).toBeGreaterThan(50);
    for (const lang of LANGS)
      for (const key of said) expect(has(lang, `cli.messages.${key}`), `${lang} ${key}`).toBe(true);
    const unused = allKeys('en').filter(
      (k) =>
        k.startsWith('cli.messages.') &&
        !said.has(k.slice('cli.messages.'.length)) &&
        !prefixes.some((p) => k.startsWith(p)),
    );
    expect(unused).toEqual([]);
  });
});
