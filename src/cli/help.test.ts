/**
 * `aduan` argument handling as an operator meets it, in child processes: `--help`/`-h` on every command and group
 * prints its usage and exits 0 without opening anything; unknown options, missing values and stray arguments are
 * refused with one line and the usage (exit 2) before anything is opened; bare groups list their subcommands;
 * an unreachable database or a non-PostgreSQL DATABASE_URL gives one line, never the password (exit 1); the
 * standalone worker logs pino JSON lines and its shutdown. "Nothing opened" is checked by pointing DATABASE_URL at a
 * closed port (opening it would exit 1) and ADUAN_DATA_DIR at a directory that must never be created. The texts are
 * in Bahasa Indonesia or English (`ADUAN_LANG`, else `LANG`; English by default), every command's and option's in both.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { commandUsage, notesKey, optionKey, type Spec } from './args.ts';
import { COMMANDS } from './commands.ts';
import { allKeys, has, LANGS } from '../locales/index.ts';
import { cliArgv } from '../../test/helpers/cli.ts';
import { useThrowawayDatabase } from '../../test/helpers/pg-database.ts';

const tmp = mkdtempSync(join(tmpdir(), 'aduan-cli-help-'));
const neverCreated = join(tmp, 'never-created');
const workerDb = useThrowawayDatabase('cli_help');
const PASSWORD = 'geheim-s3cret';
const closedDb = `postgres://aduan:${PASSWORD}@127.0.0.1:1/aduan`;
// English unless a test asks otherwise, whatever the language of the shell running the tests.
const { ADUAN_LANG: _lang, ...inherited } = process.env;
const baseEnv = {
  ...inherited,
  LANG: 'C.UTF-8',
  ADUAN_DATA_DIR: neverCreated,
  ADUAN_SECRET_KEY: 'ef'.repeat(32),
  DATABASE_URL: closedDb,
  LOG_LEVEL: 'info',
};

interface Run {
  code: number | null;
  out: string;
  err: string;
}

function aduan(args: string[], env: Record<string, string | undefined> = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, cliArgv(...args), {
      env: { ...baseEnv, ...env },
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, out, err });
    });
  });
}

/** Runs every argument list, a few processes at a time. */
async function all(argLists: string[][]): Promise<Run[]> {
  const results: Run[] = new Array<Run>(argLists.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: 3 }, async () => {
      while (next < argLists.length) {
        const i = next++;
        results[i] = await aduan(argLists[i]!);
      }
    }),
  );
  return results;
}

/** Every command and group of the tree, depth first. */
function nodes(spec: Spec): Spec[] {
  return spec.kind === 'command' ? [spec] : [spec, ...Object.values(spec.subcommands).flatMap(nodes)];
}

afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('aduan --help and option errors', { timeout: 300_000 }, () => {
  it('--help on every command and group prints its usage and exits 0 without opening anything', async () => {
    const specs = Object.values(COMMANDS).flatMap(nodes);
    const runs = await all(specs.map((s) => [...s.name.split(' '), '--help']));
    specs.forEach((spec, i) => {
      const r = runs[i]!;
      expect(r.code, `${spec.name} --help: ${r.out}${r.err}`).toBe(0);
      expect(r.err, spec.name).toBe('');
      if (spec.kind === 'command') {
        expect(r.out, spec.name).toMatch(new RegExp(`^Usage: aduan ${spec.name}\\b`));
        expect(r.out, spec.name).toContain('-h, --help');
        for (const option of Object.keys(spec.options)) expect(r.out, spec.name).toContain(`--${option}`);
      } else {
        for (const sub of Object.keys(spec.subcommands))
          expect(r.out, spec.name).toContain(`aduan ${spec.name} ${sub}`);
      }
    });
    expect(existsSync(neverCreated)).toBe(false);
  });

  it('-h anywhere, help TOPIC, the command list; refusals before anything is opened', async () => {
    const [
      sweepH,
      helpSweep,
      help,
      dashHelp,
      bare,
      sweepTypo,
      atMissing,
      extra,
      missing,
      boolValue,
      unknownCmd,
      serveH,
      workerH,
      migrateH,
    ] = await all([
      ['sweep', '--at', '2026-03-02T09:00:00+08:00', '-h'],
      ['help', 'sweep'],
      ['help'],
      ['--help'],
      [],
      ['sweep', '--dryrun'],
      ['sweep', '--at'],
      ['migrate', 'now'],
      ['users', 'invite', '--email', 'petugas@contoh.go.id'],
      ['sweep', '--dry-run=yes'],
      ['frobnicate'],
      ['serve', '--help'],
      ['worker', '--help'],
      ['migrate', '--help'],
    ]);
    expect(sweepH!.code).toBe(0);
    expect(sweepH!.out).toContain('Usage: aduan sweep [--at ISO] [--dry-run]');
    expect(sweepH!.out).toContain('--dry-run   print the actions without performing them');
    expect(serveH!.code).toBe(0);
    for (const name of [
      'PORT, HOST',
      'ADUAN_PUBLIC_URL',
      'ADUAN_TRUST_PROXY',
      'ADUAN_SECRET_KEY',
      'DATABASE_URL',
    ])
      expect(serveH!.out).toContain(name);
    expect(workerH!.out).toContain('ADUAN_WORKER_POLL_MS');
    expect(migrateH!.out).toContain('docs/operations.md, "Upgrade"');
    expect(helpSweep!.code).toBe(0);
    expect(helpSweep!.out).toBe(sweepH!.out);
    for (const r of [help!, dashHelp!]) {
      expect(r.code).toBe(0);
      for (const cmd of ['aduan serve', 'aduan audit verify', 'aduan outbox status', 'aduan sla set'])
        expect(r.out).toContain(cmd);
    }
    expect(bare!.code).toBe(2);
    expect(bare!.err).toContain('aduan serve');

    const refusal = (r: Run, line: string, usage: string) => {
      expect(r.code, r.out + r.err).toBe(2);
      expect(r.out).toBe('');
      expect(r.err.split('\n')[0]).toBe(line);
      expect(r.err).toContain(usage);
    };
    refusal(sweepTypo!, 'aduan sweep: unknown option --dryrun', 'Usage: aduan sweep');
    refusal(atMissing!, 'aduan sweep: option --at needs a value', 'Usage: aduan sweep');
    refusal(extra!, 'aduan migrate: unexpected argument "now"', 'Usage: aduan migrate');
    refusal(missing!, 'aduan users invite: missing --name, --role', 'Usage: aduan users invite');
    refusal(boolValue!, 'aduan sweep: option --dry-run takes no value', 'Usage: aduan sweep');
    refusal(unknownCmd!, 'aduan: unknown command "frobnicate"', 'aduan serve');
    expect(existsSync(neverCreated)).toBe(false);
  });

  it('a bare group lists its subcommands (exit 2), --help on it exits 0, an unknown subcommand is refused', async () => {
    const groups = [
      'audit',
      'outbox',
      'users',
      'routing',
      'keys',
      'sla',
      'sms',
      'open311',
      'federation',
      'stats',
    ];
    const runs = await all([
      ...groups.map((g) => [g]),
      ['outbox', '--help'],
      ['keys', 'bogus'],
      ['audit', '--x'],
    ]);
    groups.forEach((g, i) => {
      const r = runs[i]!;
      expect(r.code, g).toBe(2);
      expect(r.err.split('\n')[0], g).toBe(`aduan ${g}: missing subcommand`);
      expect(r.err, g).toContain('Usage:');
      const spec = COMMANDS[g]!;
      if (spec.kind === 'group')
        for (const sub of Object.keys(spec.subcommands)) expect(r.err, g).toContain(`aduan ${g} ${sub}`);
    });
    const [outboxHelp, keysBogus, auditOption] = runs.slice(groups.length);
    expect(outboxHelp!.code).toBe(0);
    expect(outboxHelp!.out).toContain('aduan outbox status');
    expect(keysBogus!.code).toBe(2);
    expect(keysBogus!.err.split('\n')[0]).toBe('aduan keys: unknown subcommand "bogus"');
    expect(auditOption!.code).toBe(2);
    expect(auditOption!.err.split('\n')[0]).toBe('aduan audit: unknown option --x');
    expect(existsSync(neverCreated)).toBe(false);
  });
});

describe('aduan help in Bahasa Indonesia or English', { timeout: 300_000 }, () => {
  it('every command, group and option has its text in both languages, and no text is left without one', () => {
    const used = new Set<string>();
    for (const lang of LANGS)
      for (const spec of Object.values(COMMANDS).flatMap(nodes)) {
        const commands = spec.kind === 'command' ? [spec] : spec.fallback ? [spec.fallback] : [];
        const key = spec.kind === 'group' ? `cli.groups.${spec.name.replace(/ /g, '_')}` : '';
        if (key) expect(has(lang, key), `${lang} ${key}`).toBe(true);
        for (const c of commands) {
          const summary = `cli.commands.${c.name.replace(/ /g, '_')}.summary`;
          expect(has(lang, summary), `${lang} ${summary}`).toBe(true);
          used.add(summary);
          if (has(lang, notesKey(c))) used.add(notesKey(c));
          for (const name of Object.keys(c.options)) {
            const k = optionKey(c, name, lang);
            expect(has(lang, k), `${lang} ${c.name} --${name}`).toBe(true);
            used.add(k);
          }
          // Every placeholder is filled: the lists of roles, kinds, clocks… come from the code (`params`).
          expect(commandUsage(c, lang), `${lang} ${c.name}`).not.toMatch(/\{\w+\}/);
        }
        if (key) used.add(key);
      }
    const orphans = allKeys('en').filter((k) => /^cli\.(commands|groups|options)\./.test(k) && !used.has(k));
    expect(orphans).toEqual([]);
  });

  it('ADUAN_LANG, else LANG, chooses the language of the help and of the refusals', async () => {
    const runs = await Promise.all([
      aduan(['sweep', '--help'], { ADUAN_LANG: 'id' }),
      aduan(['help'], { LANG: 'id_ID.UTF-8' }),
      aduan(['sweep', '--help'], { LANG: 'id_ID.UTF-8', ADUAN_LANG: 'en' }),
      aduan(['users', 'invite', '--email', 'petugas@contoh.go.id', '--bogus'], { LANG: 'id_ID.UTF-8' }),
      aduan(['users', 'invite', '--help'], { ADUAN_LANG: 'id' }),
      aduan(['keys'], { ADUAN_LANG: 'id' }),
      aduan(['frobnicate'], { LANG: 'id_ID.UTF-8' }),
      // A command's own message (src/cli/messages.ts), chosen the same way: refused before anything is opened.
      aduan(['keys', 'rotate'], { LANG: 'id_ID.UTF-8' }),
    ]);
    const [sweepId, helpId, sweepEn, refusal, inviteId, keysId, unknownId, rotateId] = runs;
    expect(sweepId!.code).toBe(0);
    expect(sweepId!.out).toBe(
      [
        'Pemakaian: aduan sweep [--at ISO] [--dry-run]',
        '  pratinjau atau jalankan penyapuan tenggat pada suatu saat',
        '',
        'Opsi:',
        '  --at ISO    saatnya, mis. 2026-03-02T09:00:00+08:00 (bawaan sekarang)',
        '  --dry-run   cetak tindakannya tanpa menjalankannya',
        '  -h, --help  tampilkan bantuan ini',
        '',
      ].join('\n'),
    );
    expect(helpId!.out).toContain('aduan: penanganan pengaduan pelayanan publik Indonesia');
    expect(helpId!.out).toContain('aduan users invite [opsi]');
    expect(helpId!.out).toContain('Bahasa teks ini: ADUAN_LANG=id|en');
    expect(sweepEn!.out).toContain('preview or run the deadline sweep at a moment');
    expect(refusal!.code).toBe(2);
    expect(refusal!.err.split('\n')[0]).toBe('aduan users invite: opsi tidak dikenal --bogus');
    expect(refusal!.err).toContain('Pemakaian: aduan users invite');
    // The lists in a description come from the code, in either language.
    expect(inviteId!.out).toMatch(/--role R +peran: national_admin, coordinator, .* \(wajib tanpa --csv\)/);
    expect(keysId!.err.split('\n')[0]).toBe('aduan keys: subperintah belum diberikan');
    expect(keysId!.err).toContain('Jalankan "aduan keys <subperintah> --help" untuk opsi masing-masing.');
    expect(unknownId!.err.split('\n')[0]).toBe('aduan: perintah tidak dikenal "frobnicate"');
    expect(rotateId!.code).toBe(1);
    expect(rotateId!.err).toMatch(/^Kunci berasal dari ADUAN_SECRET_KEY: rotasikan di variabel lingkungan\./);
    for (const r of runs) expect(r.out + r.err).not.toMatch(/\{\w+\}/);
    expect(existsSync(neverCreated)).toBe(false);
  });
});

describe('aduan with an unusable database', { timeout: 300_000 }, () => {
  it('one line naming host and port, never the password, exit 1', async () => {
    const [migrate, serve, mysql, noHost] = await Promise.all([
      aduan(['migrate']),
      aduan(['serve']),
      aduan(['audit', 'verify'], { DATABASE_URL: `mysql://aduan:${PASSWORD}@db.example/aduan` }),
      aduan(['migrate'], { DATABASE_URL: `postgres://aduan:${PASSWORD}@no-such-host.invalid:5433/aduan` }),
    ]);
    for (const r of [migrate, serve])
      expect(r.out + r.err, r.out + r.err).toContain(
        'aduan: cannot connect to PostgreSQL at 127.0.0.1:1 (DATABASE_URL): connection refused\n',
      );
    expect(mysql.err).toBe(
      'aduan: DATABASE_URL must be a PostgreSQL URL (postgres://user:password@host:5432/database), not mysql://…\n',
    );
    expect(noHost.err).toMatch(
      /^aduan: cannot connect to PostgreSQL at no-such-host\.invalid:5433 \(DATABASE_URL\): host (not found|name lookup failed)/,
    );
    for (const r of [migrate, serve, mysql, noHost]) {
      expect(r.code, r.out + r.err).toBe(1);
      expect(r.err.trim().split('\n'), r.err).toHaveLength(1);
      expect(r.out + r.err).not.toContain(PASSWORD);
      expect(r.err).not.toMatch(/\n\s+at /); // no stack trace
    }
  });
});

describe('aduan worker', { timeout: 300_000 }, () => {
  it('logs pino JSON lines like serve, and its shutdown on SIGTERM', async () => {
    const dataDir = join(tmp, 'worker');
    const child = spawn(process.execPath, cliArgv('worker'), {
      env: { ...baseEnv, ADUAN_DATA_DIR: dataDir, DATABASE_URL: workerDb.url },
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    const code = await new Promise<number | null>((resolve) => {
      const started = setInterval(() => {
        if (out.includes('aduan worker running')) {
          clearInterval(started);
          child.kill('SIGTERM');
        }
      }, 100);
      child.on('close', (c) => {
        clearInterval(started);
        resolve(c);
      });
      setTimeout(() => child.kill('SIGKILL'), 120_000);
    });
    expect(code, out).toBe(0);
    const lines = out
      .trim()
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as { level: number; msg: string; signal?: string });
    expect(lines.map((l) => l.msg)).toEqual(
      expect.arrayContaining(['aduan worker running', 'shutting down', 'worker stopped']),
    );
    expect(lines.find((l) => l.msg === 'shutting down')?.signal).toBe('SIGTERM');
    expect(lines.at(-1)?.msg).toBe('worker stopped');
  });
});
