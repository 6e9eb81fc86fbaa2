/**
 * `aduan federation …`: first as an operator runs it, in child processes (tsx src/cli.ts) against a migrated
 * database (PGlite in a temporary data directory, or a fresh PostgreSQL database when DATABASE_URL is set):
 * add with the allowlist from the environment, list --json, test against a REAL local Open311-like peer, a
 * usage error, add with the key on stdin (`--api-key-stdin`, only testable with a real stdin). Then every other case through the same entry point in-process (`federationCli`, a test
 * database), because each child process costs seconds: instance id, add refused on private addresses, key
 * from env/stdin never printed, text list, wrong key, guard refusal, unknown peer, remove.
 */
import { spawn } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { loadConfig } from '../config.ts';
import { openRuntime, type Runtime } from '../runtime.ts';
import { cliArgv } from '../../test/helpers/cli.ts';
import { createTestDatabase } from '../../test/helpers/db.ts';
import { TEST_SECRET_KEY } from '../../test/helpers/app.ts';
import { federationCli } from './federation.ts';
import { useThrowawayDatabase } from '../../test/helpers/pg-database.ts';

const dataDir = mkdtempSync(join(tmpdir(), 'aduan-fed-cli-'));
const pgDb = useThrowawayDatabase('fedcli');
const PEER_KEY = 'kunci-dari-provinsi-12345';
const env: Record<string, string> = {
  ...(process.env as Record<string, string>),
  ADUAN_DATA_DIR: dataDir,
  ADUAN_SECRET_KEY: 'cd'.repeat(32),
  DATABASE_URL: pgDb.url,
  LOG_LEVEL: 'silent',
};
delete env.ADUAN_OUTBOUND_ALLOW_HOSTS;

/** Runs the CLI asynchronously (the peer below answers in this process meanwhile). */
function aduan(
  args: string[],
  extraEnv: Record<string, string> = {},
  stdin?: string,
): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, cliArgv(...args), {
      env: { ...env, ...extraEnv },
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, out, err }));
    child.stdin.end(stdin ?? '');
  });
}

let peer: Server;
let peerUrl = '';
const seenKeys: string[] = [];

beforeAll(async () => {
  // A stand-in for the province's instance: discovery, and GET requests that checks the key.
  peer = createServer((req, res) => {
    const u = new URL(req.url ?? '/', 'http://x');
    if (u.pathname === '/open311/discovery.json') return void res.writeHead(200).end('{"endpoints":[]}');
    if (u.pathname === '/open311/v2/requests.json') {
      seenKeys.push(u.searchParams.get('api_key') ?? '');
      const ok = u.searchParams.get('api_key') === PEER_KEY;
      return void res.writeHead(ok ? 200 : 403).end(ok ? '[]' : '[{"code":403}]');
    }
    res.writeHead(404).end();
  });
  await new Promise<void>((r) => peer.listen(0, '127.0.0.1', r));
  peerUrl = `http://127.0.0.1:${(peer.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise<void>((r) => peer.close(() => r()));
  rmSync(dataDir, { recursive: true, force: true });
});

describe('aduan federation in a child process', { timeout: 900_000 }, () => {
  it('migrate, add (allowlist from the environment), list --json, test against the peer; usage → 2', async () => {
    const usage = await aduan(['federation', 'frobnicate']);
    expect(usage.code).toBe(2);
    expect(usage.err).toContain('Usage:');
    const m = await aduan(['migrate']);
    expect(m.code, m.out + m.err).toBe(0);
    const allow = { ADUAN_OUTBOUND_ALLOW_HOSTS: '127.0.0.1', PEER_KEY };
    const added = await aduan(
      ['federation', 'add', 'prov-kaltim', '--url', `${peerUrl}/`, '--api-key-env', 'PEER_KEY'],
      allow,
    );
    expect(added.code, added.err).toBe(0);
    expect(added.out + added.err).not.toContain(PEER_KEY);
    const json = await aduan(['federation', 'list', '--json']);
    expect(json.code, json.err).toBe(0);
    expect(JSON.parse(json.out)).toEqual({
      instanceId: null,
      peers: [{ instanceId: 'prov-kaltim', baseUrl: peerUrl, createdAt: expect.stringMatching(/^\d{4}-/) }],
    });
    const tested = await aduan(['federation', 'test', 'prov-kaltim'], allow);
    expect(tested.code, tested.err).toBe(0);
    expect(tested.out).toContain('our key is accepted');
    expect(tested.out + tested.err).not.toContain(PEER_KEY);
    expect(seenKeys.at(-1)).toBe(PEER_KEY); // the sealed key was opened and sent to the peer
  });

  it('add --api-key-stdin reads the key from stdin (trimmed, never printed); empty stdin is refused', async () => {
    const allow = { ADUAN_OUTBOUND_ALLOW_HOSTS: '127.0.0.1' };
    const empty = await aduan(
      ['federation', 'add', 'prov-stdin', '--url', peerUrl, '--api-key-stdin'],
      allow,
      ' \n',
    );
    expect(empty.code).toBe(1);
    expect(empty.err).toContain('apiKey:');
    const added = await aduan(
      ['federation', 'add', 'prov-stdin', '--url', peerUrl, '--api-key-stdin'],
      allow,
      `${PEER_KEY}\n`,
    );
    expect(added.code, added.err).toBe(0);
    expect(added.out + added.err).not.toContain(PEER_KEY);
    const before = seenKeys.length;
    const tested = await aduan(['federation', 'test', 'prov-stdin'], allow);
    expect(tested.code, tested.err).toBe(0);
    expect(tested.out + tested.err).not.toContain(PEER_KEY);
    expect(seenKeys.slice(before)).toEqual([PEER_KEY]); // the key from stdin, without its newline
  });
});

describe('aduan federation (same entry point, in-process)', () => {
  let rt: Runtime;

  /** Runs `aduan federation <args>` on the test runtime, capturing its output. */
  async function run(args: string[], opts: { allow?: boolean; stdin?: string } = {}) {
    const out: string[] = [];
    const err: string[] = [];
    const log = vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void out.push(a.join(' ')));
    const error = vi
      .spyOn(console, 'error')
      .mockImplementation((...a: unknown[]) => void err.push(a.join(' ')));
    rt.services.outboundAllowHosts = opts.allow ? ['127.0.0.1'] : [];
    try {
      const code = await federationCli(rt, args);
      return { code, out: out.join('\n'), err: err.join('\n') };
    } finally {
      log.mockRestore();
      error.mockRestore();
    }
  }

  beforeAll(async () => {
    const config = loadConfig({
      ADUAN_DATA_DIR: dataDir,
      ADUAN_SECRET_KEY: TEST_SECRET_KEY,
      LOG_LEVEL: 'silent',
    });
    rt = await openRuntime(config, { database: await createTestDatabase(), skipSetup: true });
  });
  afterAll(async () => {
    await rt?.close();
  });

  it('usage errors exit 2', async () => {
    for (const args of [
      [],
      ['frobnicate'],
      ['add', 'prov-kaltim'],
      ['add', 'prov-kaltim', '--url', 'https://x.example'],
      ['add', 'prov-kaltim', '--url', 'https://x', '--api-key', 'a', '--api-key-env', 'B'],
      ['remove'],
      ['list', '--bogus'],
      ['list', 'extra'],
    ]) {
      const r = await run(args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.err).toContain('Usage:');
    }
  });

  it('sets the instance id, refuses bad ids and private peer addresses, adds with the allowlist', async () => {
    expect((await run(['instance'])).code).toBe(1); // not set yet
    const bad = await run(['instance', 'Bukan Valid']);
    expect(bad.code).toBe(1);
    expect(bad.err).toContain('instanceId: The format is not valid.');
    expect((await run(['instance', 'kab-balikpapan'])).code).toBe(0);
    expect((await run(['instance'])).out.trim()).toBe('kab-balikpapan');

    process.env.ADUAN_TEST_PEER_KEY = PEER_KEY;
    const blocked = await run([
      'add',
      'prov-kaltim',
      '--url',
      peerUrl,
      '--api-key-env',
      'ADUAN_TEST_PEER_KEY',
    ]);
    expect(blocked.code).toBe(1);
    expect(blocked.err).toContain('baseUrl: This address points to a local, private or reserved network');
    const metadata = await run(['add', 'meta', '--url', 'http://169.254.169.254', '--api-key', 'x'], {
      allow: true,
    });
    expect(metadata.code).toBe(1);
    const scheme = await run(['add', 'x1', '--url', 'ftp://files.example', '--api-key', 'x']);
    expect(scheme.code).toBe(1);
    expect(scheme.err).toContain('baseUrl:');
    const noEnv = await run(['add', 'prov-kaltim', '--url', peerUrl, '--api-key-env', 'ADUAN_TEST_NOPE']);
    expect(noEnv.code).toBe(1);
    expect(noEnv.err).toContain('ADUAN_TEST_NOPE is empty or not set');

    const added = await run(
      ['add', 'prov-kaltim', '--url', `${peerUrl}/`, '--api-key-env', 'ADUAN_TEST_PEER_KEY'],
      {
        allow: true,
      },
    );
    expect(added.code, added.err).toBe(0);
    expect(added.out + added.err).not.toContain(PEER_KEY);
    const other = await run(['add', 'kota-samarinda', '--url', peerUrl, '--api-key', 'kunci-samarinda'], {
      allow: true,
    });
    expect(other.code, other.err).toBe(0);
    delete process.env.ADUAN_TEST_PEER_KEY;
  });

  it('lists peers as text and JSON, never with their keys', async () => {
    const text = await run(['list']);
    expect(text.code).toBe(0);
    expect(text.out).toContain('this instance: kab-balikpapan');
    expect(text.out).toMatch(new RegExp(`prov-kaltim\\s+${peerUrl}`));
    const json = await run(['list', '--json']);
    const parsed = JSON.parse(json.out) as { instanceId: string; peers: Array<Record<string, string>> };
    expect(parsed.instanceId).toBe('kab-balikpapan');
    expect(parsed.peers.map((p) => p.instanceId)).toEqual(['kota-samarinda', 'prov-kaltim']);
    expect(json.out + text.out).not.toContain(PEER_KEY);
    expect(json.out).not.toContain('kunci-samarinda');
  });

  it('tests a peer: a wrong key, a guarded address and an unknown peer fail', async () => {
    const ok = await run(['test', 'prov-kaltim'], { allow: true });
    expect(ok.code, ok.err).toBe(0);
    expect(ok.out).toContain('api_key=…');
    expect(ok.out + ok.err).not.toContain(PEER_KEY);

    const wrongKey = await run(['test', 'kota-samarinda'], { allow: true });
    expect(wrongKey.code).toBe(1);
    expect(wrongKey.err).toContain('api key: GET');
    expect(wrongKey.err).toContain('HTTP 403');
    expect(wrongKey.err).not.toContain('kunci-samarinda');

    // Without the allowlist the guard refuses to connect at all.
    const before = seenKeys.length;
    const guarded = await run(['test', 'prov-kaltim']);
    expect(guarded.code).toBe(1);
    expect(guarded.err).toContain('local, private or reserved network');
    expect(seenKeys.length).toBe(before);

    const unknown = await run(['test', 'tidak-ada']);
    expect(unknown.code).toBe(1);
    expect(unknown.err).toContain('no peer "tidak-ada"');
  });

  it('removes a peer (and says so when there is none)', async () => {
    expect((await run(['remove', 'kota-samarinda'])).code).toBe(0);
    const again = await run(['remove', 'kota-samarinda']);
    expect(again.code).toBe(1);
    expect(again.err).toContain('no peer "kota-samarinda"');
    const list = JSON.parse((await run(['list', '--json'])).out) as { peers: unknown[] };
    expect(list.peers).toHaveLength(1);
  });
});
