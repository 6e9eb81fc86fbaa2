/**
 * The production settings an operator gets wrong, checked where they bite: ADUAN_PUBLIC_URL (normalised, refused
 * with a path; Secure cookies when https; a warning when missing), malformed keys refused before the database is
 * touched, ADUAN_SECRET_KEY required with DATABASE_URL, ADUAN_TRUST_PROXY and ADUAN_METRICS_TOKEN. The CLI runs in child processes
 * (`aduan serve` on PGlite in a temporary data directory), as an operator runs it.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.ts';
import { cliArgv, runAduan } from '../test/helpers/cli.ts';

const KEY = 'ef'.repeat(32);
const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'aduan-prod-'));
  dirs.push(d);
  return d;
}

/** The environment of a child process: this one's, without settings that would change what is tested. */
function childEnv(extra: Record<string, string>): Record<string, string> {
  const env: Record<string, string> = { ...(process.env as Record<string, string>) };
  for (const k of Object.keys(env)) if (k.startsWith('ADUAN_') || k === 'NODE_ENV') delete env[k];
  return { ...env, DATABASE_URL: '', LOG_LEVEL: 'silent', ...extra };
}

const aduan = (env: Record<string, string>, ...args: string[]) => runAduan(childEnv(env), ...args);

async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const port = (srv.address() as { port: number }).port;
  await new Promise((r) => srv.close(r));
  return port;
}

/** Starts `aduan serve` and waits until `ready` is printed; returns its base URL, its output and a stop. */
async function serve(env: Record<string, string>, args: string[], ready: string) {
  const port = await freePort();
  const child = spawn(process.execPath, cliArgv('serve', ...args), {
    env: childEnv({ ...env, PORT: String(port), HOST: '127.0.0.1' }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output = { text: '' };
  const stop = async () => {
    if (child.exitCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    await exited;
  };
  try {
    await new Promise<void>((resolve, reject) => {
      const onData = (b: Buffer) => {
        output.text += b.toString();
        if (output.text.includes(ready)) resolve();
      };
      child.stdout.on('data', onData);
      child.stderr.on('data', onData);
      child.once('exit', (code) => reject(new Error(`serve exited with ${code}: ${output.text}`)));
    });
  } catch (e) {
    await stop();
    throw e;
  }
  return { url: `http://127.0.0.1:${port}`, output, stop };
}

function configError(env: Record<string, string>): string {
  try {
    loadConfig(env);
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return (e as Error).message;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig: production settings', () => {
  it('ADUAN_PUBLIC_URL loses its trailing slashes; a path, query or fragment is refused', () => {
    expect(loadConfig({ ADUAN_PUBLIC_URL: 'https://aduan.contoh.go.id/' }).publicUrl).toBe(
      'https://aduan.contoh.go.id',
    );
    expect(loadConfig({ ADUAN_PUBLIC_URL: 'https://aduan.contoh.go.id//' }).publicUrl).toBe(
      'https://aduan.contoh.go.id',
    );
    expect(loadConfig({ ADUAN_PUBLIC_URL: 'http://10.0.0.5:8080' }).publicUrl).toBe('http://10.0.0.5:8080');
    for (const bad of [
      'https://contoh.go.id/aduan',
      'https://aduan.contoh.go.id/?x=1',
      'https://aduan.contoh.go.id/#top',
    ]) {
      const msg = configError({ ADUAN_PUBLIC_URL: bad });
      expect(msg).toContain('ADUAN_PUBLIC_URL');
      expect(msg).toContain('without a path, query or fragment');
    }
    expect(configError({ ADUAN_PUBLIC_URL: 'ftp://aduan.contoh.go.id' })).toContain('https://');
    expect(configError({ ADUAN_PUBLIC_URL: 'aduan.contoh.go.id' })).toContain('absolute URL');
  });

  it('cookies are Secure when the public URL is https or NODE_ENV=production, not otherwise', () => {
    expect(loadConfig({ ADUAN_PUBLIC_URL: 'https://aduan.contoh.go.id' }).secureCookies).toBe(true);
    expect(loadConfig({ NODE_ENV: 'production' }).secureCookies).toBe(true);
    expect(loadConfig({ ADUAN_PUBLIC_URL: 'http://10.0.0.5:8080' }).secureCookies).toBe(false);
    expect(loadConfig({}).secureCookies).toBe(false);
  });

  it('malformed keys are invalid variables, and the message never repeats the value', () => {
    const bad = 'not-a-real-key-1234';
    const msg = configError({ ADUAN_SECRET_KEY: bad });
    expect(msg).toMatch(/^Invalid environment:\n {2}ADUAN_SECRET_KEY: must be 32 bytes/);
    expect(msg).toContain('aduan keys generate');
    expect(msg).not.toContain(bad);
    const prev = configError({
      ADUAN_SECRET_KEY: KEY,
      ADUAN_PREVIOUS_SECRET_KEYS: `${'12'.repeat(32)}, ${bad}`,
    });
    expect(prev).toContain('ADUAN_PREVIOUS_SECRET_KEYS');
    expect(prev).not.toContain(bad);
    expect(loadConfig({ ADUAN_SECRET_KEY: Buffer.alloc(32, 7).toString('base64') }).secretKey).toBeDefined();
  });

  it('ADUAN_TRUST_PROXY: off by default; true, or addresses and CIDRs; anything else refused', () => {
    expect(loadConfig({}).trustProxy).toBe(false);
    expect(loadConfig({ ADUAN_TRUST_PROXY: 'false' }).trustProxy).toBe(false);
    expect(loadConfig({ ADUAN_TRUST_PROXY: 'true' }).trustProxy).toBe(true);
    expect(loadConfig({ ADUAN_TRUST_PROXY: '127.0.0.1, 10.0.0.0/8,::1' }).trustProxy).toEqual([
      '127.0.0.1',
      '10.0.0.0/8',
      '::1',
    ]);
    for (const bad of ['2', 'nginx', '10.0.0.0/33', '127.0.0.1/8/1'])
      expect(configError({ ADUAN_TRUST_PROXY: bad })).toContain('ADUAN_TRUST_PROXY');
  });
});

describe('loadConfig: worker settings', () => {
  it('ADUAN_ROUTING_TRAIN_HOURS, ADUAN_WORKER_* and ADUAN_WEBHOOK_HOLD_DAYS: whole numbers; units, decimals and NaN are refused by name', () => {
    expect(loadConfig({}).routingTrainEveryHours).toBe(24);
    expect(loadConfig({ ADUAN_ROUTING_TRAIN_HOURS: '0' }).routingTrainEveryHours).toBe(0);
    expect(loadConfig({ ADUAN_ROUTING_TRAIN_HOURS: '' }).routingTrainEveryHours).toBe(24);
    // The newest 500,000 verified reports per training unless set; 0 = the whole history.
    expect(loadConfig({}).routingTrainMaxRows).toBe(500_000);
    expect(loadConfig({ ADUAN_ROUTING_TRAIN_MAX_ROWS: '0' }).routingTrainMaxRows).toBe(0);
    expect(loadConfig({ ADUAN_ROUTING_TRAIN_MAX_ROWS: '200000' }).routingTrainMaxRows).toBe(200_000);
    expect(loadConfig({}).worker).toEqual({});
    // The age limit of held webhook deliveries: 14 days unless set.
    expect(loadConfig({}).webhookHoldDays).toBe(14);
    expect(loadConfig({ ADUAN_WEBHOOK_HOLD_DAYS: '30' }).webhookHoldDays).toBe(30);
    expect(
      loadConfig({ ADUAN_WORKER_POLL_MS: '2000', ADUAN_WORKER_BATCH: '50', ADUAN_WORKER_LEASE_MS: '120000' })
        .worker,
    ).toEqual({ pollMs: 2000, batchSize: 50, leaseMs: 120_000 });
    for (const [name, bad] of [
      ['ADUAN_ROUTING_TRAIN_HOURS', '24h'],
      ['ADUAN_ROUTING_TRAIN_HOURS', '-1'],
      ['ADUAN_ROUTING_TRAIN_MAX_ROWS', '500k'],
      ['ADUAN_ROUTING_TRAIN_MAX_ROWS', '1.5'],
      ['ADUAN_WORKER_POLL_MS', '5s'],
      ['ADUAN_WORKER_POLL_MS', '0'],
      ['ADUAN_WORKER_BATCH', 'abc'],
      ['ADUAN_WORKER_LEASE_MS', '1.5'],
      ['ADUAN_WEBHOOK_HOLD_DAYS', '0'],
      ['ADUAN_WEBHOOK_HOLD_DAYS', '14d'],
    ] as const)
      expect(configError({ [name]: bad })).toMatch(
        new RegExp(`^Invalid environment:\n {2}${name}: must be a whole number`),
      );
  });

  it("every problem in the command line's language, one line per variable, none in zod's own words", () => {
    const bad = {
      PORT: 'x',
      DATABASE_URL: 'nope',
      ADUAN_DEMO_PASSWORD: 'short',
      ADUAN_DEMO_OPEN311_KEY: 'short',
      ADUAN_SECRET_KEY: 'abc',
      ADUAN_PREVIOUS_SECRET_KEYS: 'abc',
      ADUAN_PUBLIC_URL: 'https://aduan.contoh.go.id/lapor',
      ADUAN_TRUST_PROXY: '2',
      ADUAN_ROUTING_TRAIN_HOURS: '24h',
      ADUAN_WORKER_POLL_MS: '5s',
      ADUAN_WORKER_BATCH: '0',
      ADUAN_WORKER_LEASE_MS: '1.5',
      ADUAN_WEBHOOK_HOLD_DAYS: '14d',
      ADUAN_RATE_LIMIT_SUBMIT: '0',
      ADUAN_RATE_LIMIT_LOGIN: 'many',
      LOG_LEVEL: 'loud',
      EMAIL_INBOUND_ADDRESS: 'aduan',
      ADUAN_TIME_ZONE: 'UTC',
      ADUAN_OPEN_DATA_LICENSE: 'CC BY 4.0',
      ADUAN_OPEN_DATA_PUBLISHER: ' ',
      ADUAN_INTAKE_REGION: 'kaltim',
      SMS_GATEWAY_URL: 'sms',
      OMBUDSMAN_ENDPOINT: 'ombudsman',
    };
    const id = configError({ ...bad, ADUAN_LANG: 'id' }).split('\n');
    const en = configError({ ...bad, ADUAN_LANG: 'en' }).split('\n');
    expect(id[0]).toBe('Pengaturan lingkungan (environment) tidak valid:');
    expect(en[0]).toBe('Invalid environment:');
    for (const [lines, rule] of [
      [id, / {2}\w+: (harus|setiap kunci harus) /],
      [en, / {2}\w+: (must|every key must) /],
    ] as const) {
      expect(lines.slice(1).map((l) => l.split(':')[0]!.trim())).toEqual(Object.keys(bad));
      for (const line of lines.slice(1)) expect(line).toMatch(rule);
    }
    expect(id.join('\n')).toContain('ADUAN_PUBLIC_URL: harus alamat asal situs saja');
    expect(id.join('\n')).toContain('(mis. https://aduan.contoh.go.id)');
    // LANG as a server shell sets it chooses too; ADUAN_LANG wins.
    expect(configError({ PORT: 'x', LANG: 'id_ID.UTF-8' })).toMatch(/^Pengaturan lingkungan/);
    expect(configError({ PORT: 'x', LANG: 'id_ID.UTF-8', ADUAN_LANG: 'en' })).toMatch(/^Invalid environment/);
  });
});

describe(
  'the CLI refuses a bad key configuration before the database is touched',
  { timeout: 120_000 },
  () => {
    it('a malformed ADUAN_SECRET_KEY: one message, exit 1, no stack trace, no database created', () => {
      const dir = tempDir();
      const r = aduan({ ADUAN_DATA_DIR: dir, ADUAN_SECRET_KEY: 'abc123' }, 'migrate');
      expect(r.code, r.out).toBe(1);
      expect(r.out).toContain('ADUAN_SECRET_KEY: must be 32 bytes');
      expect(r.out).not.toMatch(/\n\s+at /);
      expect(readdirSync(dir)).toEqual([]);
    });

    it('a worker setting with a unit (ADUAN_WORKER_POLL_MS=5s): one message, exit 1, no database created', () => {
      const dir = tempDir();
      const r = aduan({ ADUAN_DATA_DIR: dir, ADUAN_WORKER_POLL_MS: '5s' }, 'migrate');
      expect(r.code, r.out).toBe(1);
      expect(r.out).toContain('ADUAN_WORKER_POLL_MS: must be a whole number of milliseconds');
      expect(readdirSync(dir)).toEqual([]);
    });

    it('DATABASE_URL without ADUAN_SECRET_KEY: refused, naming the variable and `aduan keys generate`', () => {
      const dir = tempDir();
      // Nothing listens on port 1: reaching the database would fail differently.
      const r = aduan({ ADUAN_DATA_DIR: dir, DATABASE_URL: 'postgres://aduan@127.0.0.1:1/aduan' }, 'worker');
      expect(r.code, r.out).toBe(1);
      expect(r.out).toContain('ADUAN_SECRET_KEY is required with DATABASE_URL');
      expect(r.out).toContain('aduan keys generate');
      expect(r.out).not.toMatch(/\n\s+at /);
      expect(existsSync(join(dir, 'secret.key'))).toBe(false);
    });

    it('the same refusal in Bahasa Indonesia with ADUAN_LANG=id', () => {
      const dir = tempDir();
      const r = aduan(
        { ADUAN_DATA_DIR: dir, DATABASE_URL: 'postgres://aduan@127.0.0.1:1/aduan', ADUAN_LANG: 'id' },
        'worker',
      );
      expect(r.code, r.out).toBe(1);
      expect(r.out).toContain('ADUAN_SECRET_KEY wajib diisi bersama DATABASE_URL');
      expect(r.out).toContain('aduan keys generate');
      expect(r.out).not.toContain('is required');
    });
  },
);

describe('the demo on a real install', { timeout: 240_000 }, () => {
  it('--demo on a database with accounts of its own is refused: no demo account gets the published password', () => {
    const dir = tempDir();
    const env = { ADUAN_DATA_DIR: dir, ADUAN_SECRET_KEY: KEY };
    const admin = aduan(env, 'users', 'create-admin', '--email', 'admin@kominfo.go.id', '--name', 'Admin');
    expect(admin.code, admin.out).toBe(0);
    for (const args of [
      ['seed', '--demo'],
      ['serve', '--demo'],
    ]) {
      const r = aduan({ ...env, PORT: '0', HOST: '127.0.0.1' }, ...args);
      expect(r.code, r.out).toBe(1);
      expect(r.out).toContain(
        'the demo (--demo, ADUAN_DEMO=1, npm start) is only seeded on an empty database',
      );
      expect(r.out).not.toMatch(/\n\s+at /);
    }
    const list = aduan(env, 'users', 'list');
    expect(list.code, list.out).toBe(0);
    expect(list.out).toContain('admin@kominfo.go.id');
    expect(list.out).not.toContain('demo.aduan.id');
  });
});

describe('aduan serve and ADUAN_PUBLIC_URL', { timeout: 240_000 }, () => {
  const dir = tempDir();

  it('https public URL (with a trailing slash): Secure session cookie, links without a double slash', async () => {
    const s = await serve(
      { ADUAN_DATA_DIR: dir, ADUAN_SECRET_KEY: KEY, ADUAN_PUBLIC_URL: 'https://aduan.contoh.go.id/' },
      ['--demo'],
      'warga@demo.aduan.id',
    );
    try {
      expect(s.output.text).toContain(
        `aduan is running: listening on ${s.url}, public address https://aduan.contoh.go.id `,
      );
      expect(s.output.text).not.toContain('ADUAN_PUBLIC_URL is not set');
      const login = await fetch(`${s.url}/api/v1/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: 'nasional@demo.aduan.id', password: 'demo-aduan-2026' }),
      });
      expect(login.status).toBe(200);
      const cookie = login.headers.getSetCookie().find((c) => c.startsWith('aduan_session='));
      expect(cookie).toMatch(/;\s*Secure(;|$)/i);
      const discovery = await (await fetch(`${s.url}/open311/discovery.json`)).text();
      expect(discovery).toContain('https://aduan.contoh.go.id/open311/v2');
      expect(discovery).not.toContain('go.id//');
    } finally {
      await s.stop();
    }
  });

  it('plain http public URL: no Secure flag (a browser would drop the cookie); ADUAN_METRICS_TOKEN guards /metrics', async () => {
    const s = await serve(
      {
        ADUAN_DATA_DIR: dir,
        ADUAN_SECRET_KEY: KEY,
        ADUAN_PUBLIC_URL: 'http://127.0.0.1:9',
        ADUAN_METRICS_TOKEN: ' serve-metrics-token-7d2e ',
      },
      [],
      'API docs',
    );
    try {
      // The token reaches /metrics through the config (trimmed): without it even this machine gets 401.
      expect((await fetch(`${s.url}/metrics`)).status).toBe(401);
      const metrics = await fetch(`${s.url}/metrics`, {
        headers: { authorization: 'Bearer serve-metrics-token-7d2e' },
      });
      expect(metrics.status).toBe(200);
      expect(await metrics.text()).toContain('aduan_outbox_queue_depth');
      const login = await fetch(`${s.url}/api/v1/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: 'nasional@demo.aduan.id', password: 'demo-aduan-2026' }),
      });
      expect(login.status).toBe(200);
      const cookie = login.headers.getSetCookie().find((c) => c.startsWith('aduan_session='));
      expect(cookie).toBeDefined();
      expect(cookie).not.toMatch(/;\s*Secure(;|$)/i);
    } finally {
      await s.stop();
    }
  });

  it('without --demo and without ADUAN_PUBLIC_URL, a warning names the address links will use', async () => {
    // A data directory of its own: no national admin yet (the tests above sign one in).
    const s = await serve(
      { ADUAN_DATA_DIR: tempDir(), ADUAN_SECRET_KEY: KEY },
      [],
      'warning: ADUAN_PUBLIC_URL is not set',
    );
    try {
      await new Promise((r) => setTimeout(r, 200));
      expect(s.output.text).toMatch(
        /links in emails and SMS to reporters will use http:\/\/127\.0\.0\.1:\d+/,
      );
      // On the embedded database the first-admin hint says the server must be stopped first (it holds the lock).
      for (let i = 0; i < 50 && !s.output.text.includes('no national admin yet'); i++)
        await new Promise((r) => setTimeout(r, 100));
      expect(s.output.text).toContain('no national admin yet');
      expect(s.output.text).toContain('stop this server first');
    } finally {
      await s.stop();
    }
  });
});
