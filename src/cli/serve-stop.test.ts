/**
 * Starting and stopping the long-running commands as an operator does, on the embedded database (PGlite in a
 * temporary data directory): one Ctrl-C of `npm start` delivers SIGINT more than once (the terminal signals the
 * whole group, and npm and tsx relay it), and the server and the worker must still close the database and remove
 * `aduan.lock`; a port already in use is one clear line, not a stack trace, and leaves no lock behind. With
 * `ADUAN_PUBLIC_URL` set, `serve` prints both the local address it listens on (which answers) and the public one.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cliArgv, runAduan } from '../../test/helpers/cli.ts';

const dataDir = mkdtempSync(join(tmpdir(), 'aduan-serve-stop-'));
const lock = join(dataDir, 'aduan.lock');
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

function childEnv(extra: Record<string, string> = {}): Record<string, string> {
  const env: Record<string, string> = { ...(process.env as Record<string, string>) };
  for (const k of Object.keys(env)) if (k.startsWith('ADUAN_') || k === 'NODE_ENV') delete env[k];
  return {
    ...env,
    ADUAN_DATA_DIR: dataDir,
    ADUAN_DEMO: '0',
    DATABASE_URL: '',
    HOST: '127.0.0.1',
    PORT: '0',
    LOG_LEVEL: 'info',
    ...extra,
  };
}

/**
 * Runs `aduan <args>`, waits for `ready`, sends SIGINT, and once `stopping` is printed sends it again (the relayed
 * copy of the same Ctrl-C). Resolves with how the process ended and what it printed.
 */
async function startThenCtrlC(
  args: string[],
  ready: string,
  stopping: string,
  env: Record<string, string> = {},
  whenReady: (out: string) => Promise<void> = async () => {},
) {
  const child = spawn(process.execPath, cliArgv(...args), {
    env: childEnv(env),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let sent = 0;
  const ended = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  const onData = (b: Buffer) => {
    out += b.toString();
    if (sent === 0 && out.includes(ready)) {
      sent = 1;
      void whenReady(out).finally(() => child.kill('SIGINT'));
    } else if (sent === 1 && out.includes(stopping)) {
      sent = 2;
      child.kill('SIGINT');
    }
  };
  child.stdout.on('data', onData);
  child.stderr.on('data', onData);
  const end = await ended;
  return { ...end, out, sent };
}

describe('stopping aduan serve and aduan worker', { timeout: 240_000 }, () => {
  it('serve: a repeated SIGINT during the shutdown still closes the database and removes the lock', async () => {
    expect(runAduan(childEnv({ LOG_LEVEL: 'silent' }), 'migrate').code).toBe(0);
    const r = await startThenCtrlC(['serve'], 'aduan is running at', 'aduan: stopping (SIGINT)');
    expect(r.sent, r.out).toBe(2);
    expect({ code: r.code, signal: r.signal }, r.out).toEqual({ code: 0, signal: null });
    expect(existsSync(lock)).toBe(false);
  });

  it('serve with ADUAN_PUBLIC_URL: prints the local address it listens on and the public one', async () => {
    let local = '';
    let ready = 0;
    const r = await startThenCtrlC(
      ['serve'],
      'public address',
      'aduan: stopping (SIGINT)',
      { ADUAN_PUBLIC_URL: 'https://aduan.contoh.go.id/' },
      async (out) => {
        local = /listening on (http:\/\/127\.0\.0\.1:\d+), public address/.exec(out)?.[1] ?? '';
        if (local) ready = (await fetch(`${local}/readyz`)).status;
      },
    );
    expect(r.out).toMatch(
      /aduan is running: listening on http:\/\/127\.0\.0\.1:[1-9]\d*, public address https:\/\/aduan\.contoh\.go\.id {2}\(ready in/,
    );
    expect(ready, r.out).toBe(200);
    expect(r.out).toContain('API docs: https://aduan.contoh.go.id/api/docs');
    expect(r.out).not.toContain('ADUAN_PUBLIC_URL is not set');
    expect({ code: r.code, signal: r.signal }, r.out).toEqual({ code: 0, signal: null });
  });

  it('worker: the same, and it logs that it stopped', async () => {
    const r = await startThenCtrlC(['worker'], 'aduan worker running', 'shutting down');
    expect(r.sent, r.out).toBe(2);
    expect({ code: r.code, signal: r.signal }, r.out).toEqual({ code: 0, signal: null });
    expect(r.out).toContain('worker stopped');
    expect(existsSync(lock)).toBe(false);
  });

  it('serve on a port in use: one line naming HOST:PORT and PORT, exit 1, no stack trace, no lock left', async () => {
    const busy: Server = createServer();
    await new Promise<void>((r) => busy.listen(0, '127.0.0.1', r));
    const port = (busy.address() as { port: number }).port;
    try {
      const r = runAduan(childEnv({ PORT: String(port), LOG_LEVEL: 'silent' }), 'serve');
      expect(r.code, r.out).toBe(1);
      expect(r.out).toContain(
        `aduan: cannot listen on 127.0.0.1:${port}: the port is already in use (another aduan, or another program). Stop it, or set PORT to a free port.`,
      );
      expect(r.out).not.toMatch(/^\s+at /m);
      expect(existsSync(lock)).toBe(false);
    } finally {
      await new Promise((r) => busy.close(r));
    }
  });
});
