/**
 * `aduan users` as an operator runs it on a real install (no demo): an empty users table, the first national admin
 * with a one-time password (changed at the first sign-in), an invitation whose accept link is printed and whose
 * email is queued, the listing, and refusals (invalid email, unknown agency or role, usage). The main steps run the
 * CLI in child processes against a temporary data directory (or a fresh PostgreSQL database with DATABASE_URL); then
 * this process opens the same database for the refusals and the listing (`usersCli` in process) and serves the web
 * app to sign in with the printed password and accept the printed link over real HTTP.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { useThrowawayDatabase } from '../../test/helpers/pg-database.ts';
import { WebClient } from '../../test/helpers/web-client.ts';
import { loadConfig, type Config } from '../config.ts';
import { openRuntime, type Runtime } from '../runtime.ts';
import { buildApp } from '../http/app.ts';
import { usersCli } from './users.ts';
import { runAduan } from '../../test/helpers/cli.ts';

const dataDir = mkdtempSync(join(tmpdir(), 'aduan-cli-users-'));
const pgDb = useThrowawayDatabase('cli_users');
const PUBLIC_URL = 'https://aduan.contoh.go.id';
const env = {
  ...process.env,
  ADUAN_DATA_DIR: dataDir,
  ADUAN_SECRET_KEY: 'cd'.repeat(32),
  ADUAN_PUBLIC_URL: PUBLIC_URL,
  ADUAN_DEMO: '',
  LOG_LEVEL: 'silent',
  DATABASE_URL: pgDb.url,
};

const aduan = (...args: string[]) => runAduan(env, ...args);

afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

/** Runs `aduan users …` in this process on an open runtime (kept open), capturing what it prints. */
async function inProcess(runtime: Runtime, config: Config, ...args: string[]) {
  const lines: string[] = [];
  const log = vi.spyOn(console, 'log').mockImplementation((l: unknown) => void lines.push(String(l)));
  const err = vi.spyOn(console, 'error').mockImplementation((l: unknown) => void lines.push(String(l)));
  try {
    const code = await usersCli(config, args, async () => ({ ...runtime, close: async () => undefined }));
    return { code, out: lines.join('\n') };
  } finally {
    log.mockRestore();
    err.mockRestore();
  }
}

describe('aduan users', { timeout: 300_000 }, () => {
  let password = '';
  let link = '';

  it('creates the first national admin on an empty install, refusing an invalid email', () => {
    const empty = aduan('users', 'list'); // the first open migrates and loads the reference data
    expect(empty.code, empty.out).toBe(0);
    expect(empty.out).toContain('no staff account yet');

    const bad = aduan('users', 'create-admin', '--email', 'admin.contoh.go.id', '--name', 'Admin Pertama');
    expect(bad.code).toBe(1);
    expect(bad.out).toContain('--email "admin.contoh.go.id": The email address is not valid.');

    const made = aduan(
      'users',
      'create-admin',
      '--email',
      'Admin.Pertama@Contoh.go.id',
      '--name',
      'Admin Pertama',
    );
    expect(made.code, made.out).toBe(0);
    expect(made.out).toContain('national admin created: admin.pertama@contoh.go.id');
    expect(made.out).toContain(`sign in at ${PUBLIC_URL}/masuk`);
    password = /temporary password \(shown once, to be changed at the first sign-in\): (\S+)/.exec(
      made.out,
    )![1]!;
    expect(password).toMatch(/^[A-Za-z0-9_-]{16}$/);
  });

  it('invites as the operator: prints the accept link and queues the email', () => {
    const r = aduan(
      'users',
      'invite',
      '--email',
      'admin.kedua@contoh.go.id',
      '--name',
      'Admin Kedua',
      '--role',
      'national_admin',
      '--lang',
      'en',
    );
    expect(r.code, r.out).toBe(0);
    expect(r.out).toContain('email queued');
    link = new RegExp(`${PUBLIC_URL}/undangan\\?token=[A-Za-z0-9_-]{40,}`).exec(r.out)![0];
  });

  it('the printed password must be changed at the first sign-in; the printed link makes a second admin', async () => {
    const config = loadConfig(env);
    const runtime = await openRuntime(config);
    const app = await buildApp({ services: runtime.services, logLevel: 'silent' });
    const users = (...args: string[]) => inProcess(runtime, config, ...args);
    try {
      // Refusals and the listing (in this process: every spawn costs seconds).
      const again = await users(
        'create-admin',
        '--email',
        'admin.pertama@contoh.go.id',
        '--name',
        'Admin Pertama',
      );
      expect(again.code).toBe(0);
      expect(again.out).toContain('already a national admin; nothing changed');
      expect(again.out).not.toContain('temporary password');
      expect((await users('create-admin', '--email', 'a@b.id')).code).toBe(2); // --name missing
      expect((await users('frobnicate')).code).toBe(2);
      const noAgency = await users(
        'invite',
        '--email',
        'p@contoh.go.id',
        '--name',
        'Petugas',
        '--role',
        'officer',
      );
      expect(noAgency.code).toBe(1);
      expect(noAgency.out).toContain('--agency: This field is required.');
      const unknown = await users(
        'invite',
        '--email',
        'p@contoh.go.id',
        '--name',
        'Petugas',
        '--role',
        'officer',
        '--agency',
        'tidak-ada',
      );
      expect(unknown.code).toBe(1);
      expect(unknown.out).toContain('--agency: Unknown agency.');
      const role = await users('invite', '--email', 'p@contoh.go.id', '--name', 'Petugas', '--role', 'raja');
      expect(role.code).toBe(1);
      expect(role.out).toContain('--role: Must be one of:');
      expect(role.out).not.toContain('--agency'); // whether an agency is needed depends on the role
      const list = await users('list');
      expect(list.out).toMatch(/admin\.pertama@contoh\.go\.id\tAdmin Pertama\tnational_admin/);
      expect(list.out).toMatch(/invited\tadmin\.kedua@contoh\.go\.id\tAdmin Kedua\tnational_admin\tuntil /);
      const json = JSON.parse((await users('list', '--json')).out) as {
        users: Array<{ email: string; grants: Array<{ role: string; agencyId: string | null }> }>;
        invitations: Array<{ email: string; role: string; expired: boolean }>;
      };
      expect(json.users).toEqual([
        expect.objectContaining({
          email: 'admin.pertama@contoh.go.id',
          grants: [{ role: 'national_admin', agencyId: null }],
        }),
      ]);
      expect(json.invitations).toEqual([
        expect.objectContaining({
          email: 'admin.kedua@contoh.go.id',
          role: 'national_admin',
          expired: false,
        }),
      ]);

      await app.listen({ port: 0, host: '127.0.0.1' });
      const address = app.server.address();
      const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;

      const first = new WebClient(url);
      const signIn = await first.post('/masuk', {
        email: 'admin.pertama@contoh.go.id',
        password,
        next: '/kantor/admin',
      });
      expect(signIn.status).toBe(303);
      expect(signIn.location).toBe('/kantor/kata-sandi?next=%2Fkantor%2Fadmin');
      expect((await first.get('/kantor/admin')).location).toMatch(/^\/kantor\/kata-sandi/);

      // The queued email: sealed address and text (the link is a credential), the same link.
      const { rows } = (await runtime.services.db.execute(
        sql`select recipient, payload from outbox where kind = 'staff.invite'`,
      )) as unknown as { rows: Array<{ recipient: string; payload: Record<string, string> }> };
      expect(rows).toHaveLength(1);
      expect(rows[0]!.recipient).not.toContain('@');
      expect(runtime.services.sealer.open<string>(rows[0]!.payload.recipientEnc!)).toBe(
        'admin.kedua@contoh.go.id',
      );
      expect(rows[0]!.payload.text).toBeUndefined();
      expect(runtime.services.sealer.open<string>(rows[0]!.payload.textEnc!)).toContain(link);
      expect(rows[0]!.payload.subject).toBe('Invitation to join aduan as staff');

      const second = new WebClient(url);
      const path = link.slice(PUBLIC_URL.length);
      const form = await second.get(path);
      expect(form.status).toBe(200);
      expect(form.html).toContain('admin.kedua@contoh.go.id');
      const accepted = await second.post('/undangan', {
        token: new URL(link).searchParams.get('token')!,
        name: 'Admin Kedua',
        password: 'sandi admin kedua yang panjang',
        passwordConfirm: 'sandi admin kedua yang panjang',
      });
      expect(accepted.status).toBe(303);
      expect(accepted.location).toBe('/kantor');
      expect((await second.get('/kantor/admin')).status).toBe(200);
      expect((await second.get(path)).status).toBe(404);

      // The accepted invitation is a user now, no longer pending.
      const after = await users('list');
      expect(after.out).toMatch(/admin\.kedua@contoh\.go\.id\tAdmin Kedua\tnational_admin/);
      expect(after.out).not.toContain('invited\t');
    } finally {
      await app.close();
      await runtime.close();
    }
  });
});
