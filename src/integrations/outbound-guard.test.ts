/**
 * The SSRF guard: every blocked range, URL forms that hide a local address, the allowlist, checking every
 * resolved address, and delivery-time refusal with a REAL local receiver (nothing reaches it unless its
 * host is allowlisted; the connection goes to the address the guard checked, not to a second lookup).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { LookupAddress } from 'node:dns';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  BLOCKED_V4,
  BLOCKED_V6,
  checkOutboundUrl,
  guardedPost,
  isBlockedAddress,
  OutboundBlockedError,
  parseAllowHosts,
  type Resolver,
} from './outbound-guard.ts';

const answers =
  (table: Record<string, string[]>): Resolver =>
  async (host) => {
    const list = table[host];
    if (!list) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: 'ENOTFOUND' });
    return list.map((address): LookupAddress => ({ address, family: address.includes(':') ? 6 : 4 }));
  };

describe('isBlockedAddress', () => {
  it.each([
    ['127.0.0.1', 'loopback'],
    ['127.255.255.254', 'loopback'],
    ['10.0.0.1', 'RFC 1918 10/8'],
    ['10.255.255.255', 'RFC 1918 10/8'],
    ['172.16.0.1', 'RFC 1918 172.16/12'],
    ['172.31.255.255', 'RFC 1918 172.16/12'],
    ['192.168.0.1', 'RFC 1918 192.168/16'],
    ['169.254.169.254', 'cloud metadata (link-local)'],
    ['169.254.0.1', 'link-local'],
    ['100.64.0.1', 'CGNAT'],
    ['100.127.255.255', 'CGNAT'],
    ['0.0.0.0', 'unspecified'],
    ['0.1.2.3', 'this network'],
    ['224.0.0.1', 'multicast'],
    ['239.255.255.250', 'multicast'],
    ['255.255.255.255', 'broadcast'],
    ['::1', 'IPv6 loopback'],
    ['::', 'IPv6 unspecified'],
    ['fc00::1', 'unique local'],
    ['fd12:3456:789a::1', 'unique local'],
    ['fe80::1', 'IPv6 link-local'],
    ['ff02::1', 'IPv6 multicast'],
    ['::ffff:127.0.0.1', 'IPv4-mapped loopback'],
    ['::ffff:7f00:1', 'IPv4-mapped loopback (hex)'],
    ['::ffff:10.1.2.3', 'IPv4-mapped private'],
    ['::ffff:a9fe:a9fe', 'IPv4-mapped metadata'],
    ['64:ff9b::a9fe:a9fe', 'NAT64 metadata'],
    ['not-an-ip', 'not an address'],
  ])('%s is blocked (%s)', (ip) => {
    expect(isBlockedAddress(ip)).toBe(true);
  });

  it.each([
    '8.8.8.8',
    '1.1.1.1',
    '36.86.63.182',
    '100.63.255.255',
    '100.128.0.0',
    '172.15.255.255',
    '172.32.0.0',
    '169.253.255.255',
    '192.169.0.1',
    '223.255.255.255',
    '2001:4860:4860::8888',
    '2404:6800:4003:c00::64',
    '::ffff:8.8.8.8',
  ])('%s is allowed', (ip) => {
    expect(isBlockedAddress(ip)).toBe(false);
  });

  it('the range tables cover the ranges the guard promises', () => {
    const v4 = BLOCKED_V4.map(([n, p]) => `${n}/${p}`);
    for (const r of ['127.0.0.0/8', '10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '169.254.0.0/16'])
      expect(v4).toContain(r);
    expect(v4).toContain('100.64.0.0/10');
    expect(v4).toContain('224.0.0.0/4');
    expect(BLOCKED_V6.map(([n, p]) => `${n}/${p}`)).toEqual(
      expect.arrayContaining(['::1/128', 'fc00::/7', 'fe80::/10', 'ff00::/8']),
    );
  });
});

describe('checkOutboundUrl (configuration time)', () => {
  const resolver = answers({
    'public.example': ['36.86.63.182'],
    'mixed.example': ['36.86.63.182', '10.0.0.5'],
    'v6local.example': ['2001:4860:4860::8888', 'fd00::1'],
    'metadata.example': ['169.254.169.254'],
  });

  it.each([
    ['ftp://public.example/x', 'url_scheme'],
    ['file:///etc/passwd', 'url_scheme'],
    ['gopher://public.example/', 'url_scheme'],
    ['not a url', 'invalid_format'],
    ['https://user:pw@public.example/', 'invalid_format'],
    ['http://127.0.0.1:8080/hook', 'url_blocked_address'],
    ['http://[::1]/hook', 'url_blocked_address'],
    ['http://[::ffff:169.254.169.254]/latest/meta-data', 'url_blocked_address'],
    ['http://169.254.169.254/latest/meta-data', 'url_blocked_address'],
    ['http://0x7f000001/', 'url_blocked_address'],
    ['http://2130706433/', 'url_blocked_address'],
    ['http://0177.0.0.1/', 'url_blocked_address'],
    ['http://0.0.0.0:3000/', 'url_blocked_address'],
    ['https://100.100.100.100/', 'url_blocked_address'],
    ['https://192.168.1.10/', 'url_blocked_address'],
    ['https://mixed.example/', 'url_blocked_address'],
    ['https://v6local.example/', 'url_blocked_address'],
    ['https://metadata.example/', 'url_blocked_address'],
    ['https://nowhere.example/', 'host_unresolvable'],
  ])('%s → %s', async (url, problem) => {
    expect(await checkOutboundUrl(url, { resolver })).toBe(problem);
  });

  it('accepts public http(s) URLs', async () => {
    expect(await checkOutboundUrl('https://public.example/aduan', { resolver })).toBeNull();
    expect(await checkOutboundUrl('http://36.86.63.182:8080/x', { resolver })).toBeNull();
  });

  it('the allowlist exempts exactly its hosts (names and addresses, IPv6 without brackets)', async () => {
    const allowHosts = parseAllowHosts(' 127.0.0.1, Mixed.Example [::1] ');
    expect(allowHosts).toEqual(['127.0.0.1', 'mixed.example', '::1']);
    expect(await checkOutboundUrl('http://127.0.0.1:9/x', { resolver, allowHosts })).toBeNull();
    expect(await checkOutboundUrl('http://[::1]:9/x', { resolver, allowHosts })).toBeNull();
    expect(await checkOutboundUrl('https://MIXED.example/', { resolver, allowHosts })).toBeNull();
    expect(await checkOutboundUrl('http://127.0.0.2/x', { resolver, allowHosts })).toBe(
      'url_blocked_address',
    );
    expect(await checkOutboundUrl('http://10.0.0.1/x', { resolver, allowHosts })).toBe('url_blocked_address');
    // The scheme rule has no exemption.
    expect(await checkOutboundUrl('ftp://127.0.0.1/x', { resolver, allowHosts })).toBe('url_scheme');
  });
});

describe('guardedPost (delivery time) against a real local receiver', () => {
  let server: Server;
  let port: number;
  const received: string[] = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        received.push(`${req.headers.host} ${body}`);
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  const post = (url: string, opts: Parameters<typeof guardedPost>[2]) =>
    guardedPost(url, { headers: { 'content-type': 'text/plain' }, body: 'hello' }, opts);

  it('refuses a local address literal and sends nothing', async () => {
    const before = received.length;
    await expect(post(`http://127.0.0.1:${port}/x`, {})).rejects.toBeInstanceOf(OutboundBlockedError);
    await expect(post(`http://[::ffff:127.0.0.1]:${port}/x`, {})).rejects.toBeInstanceOf(
      OutboundBlockedError,
    );
    expect(received.length).toBe(before);
  });

  it('refuses a name that resolves to a local address (checked at connect, every address)', async () => {
    const before = received.length;
    const resolver = answers({ 'rebind.example': ['36.86.63.182', '127.0.0.1'] });
    const err = await post(`http://rebind.example:${port}/x`, { resolver }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OutboundBlockedError);
    expect((err as OutboundBlockedError).problem).toBe('url_blocked_address');
    expect(received.length).toBe(before);
  });

  it('DNS rebinding: a name that passed at configuration time is refused when it now resolves locally', async () => {
    let calls = 0;
    const resolver: Resolver = async () => {
      calls += 1;
      return [{ address: calls === 1 ? '36.86.63.182' : '127.0.0.1', family: 4 }];
    };
    expect(await checkOutboundUrl(`http://flip.example:${port}/x`, { resolver })).toBeNull();
    const before = received.length;
    await expect(post(`http://flip.example:${port}/x`, { resolver })).rejects.toBeInstanceOf(
      OutboundBlockedError,
    );
    expect(received.length).toBe(before);
  });

  it('the connection goes to the address the guard resolved (pinned), for an allowlisted name', async () => {
    // `pinned.example` does not exist in system DNS: reaching the receiver proves the socket used our answer.
    const resolver = answers({ 'pinned.example': ['127.0.0.1'] });
    const res = await post(`http://pinned.example:${port}/x`, { resolver, allowHosts: ['pinned.example'] });
    expect(res.status).toBe(204);
    expect(received.at(-1)).toBe(`pinned.example:${port} hello`);
  });

  it('an allowlisted address literal is delivered', async () => {
    const res = await post(`http://127.0.0.1:${port}/x`, { allowHosts: ['127.0.0.1'] });
    expect(res.status).toBe(204);
  });

  it('an unresolvable name is a network failure, not a crash', async () => {
    const err = await post(`http://nowhere.example:${port}/x`, { resolver: answers({}) }).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(Error);
    expect(String((err as Error).message)).toMatch(/ENOTFOUND/);
  });
});
