/**
 * SSRF guard for outbound HTTP to URLs that people configure (agency webhooks, federation peers, the
 * evaluation's participant websites audited by src/integrations/site-audit.ts):
 * only http(s), and never to an address in a loopback, private (RFC 1918), link-local (incl. the cloud
 * metadata address 169.254.169.254), CGNAT, unique-local, multicast, unspecified or other reserved range,
 * unless the URL's host is in the operator's allowlist (ADUAN_OUTBOUND_ALLOW_HOSTS).
 *
 * Two checks: `checkOutboundUrl` when the URL is saved (a clear field error), and `guardedPost` when it is
 * delivered. The delivery resolves the name once, checks EVERY address, and connects to exactly the
 * addresses it checked (the `lookup` hook of the socket), so a DNS answer that changes between the check
 * and the connection (DNS rebinding) cannot reach an internal address.
 */
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { BlockList, isIP, type LookupFunction } from 'node:net';

/** Why a URL may not be used (a locale key under `errors.field.*` at the callers). */
export type OutboundProblem = 'invalid_format' | 'url_scheme' | 'url_blocked_address' | 'host_unresolvable';

/** Blocked IPv4 ranges: [network, prefix, what]. */
export const BLOCKED_V4: ReadonlyArray<readonly [string, number, string]> = [
  ['0.0.0.0', 8, 'this network / unspecified'],
  ['10.0.0.0', 8, 'private (RFC 1918)'],
  ['100.64.0.0', 10, 'carrier-grade NAT (RFC 6598)'],
  ['127.0.0.0', 8, 'loopback'],
  ['169.254.0.0', 16, 'link-local, cloud metadata'],
  ['172.16.0.0', 12, 'private (RFC 1918)'],
  ['192.0.0.0', 24, 'IETF protocol assignments'],
  ['192.0.2.0', 24, 'documentation (TEST-NET-1)'],
  ['192.168.0.0', 16, 'private (RFC 1918)'],
  ['198.18.0.0', 15, 'benchmarking'],
  ['198.51.100.0', 24, 'documentation (TEST-NET-2)'],
  ['203.0.113.0', 24, 'documentation (TEST-NET-3)'],
  ['224.0.0.0', 4, 'multicast'],
  ['240.0.0.0', 4, 'reserved, broadcast'],
];

/** Blocked IPv6 ranges (IPv4-mapped and NAT64 addresses are checked as the IPv4 address inside). */
export const BLOCKED_V6: ReadonlyArray<readonly [string, number, string]> = [
  ['::', 128, 'unspecified'],
  ['::1', 128, 'loopback'],
  ['100::', 64, 'discard'],
  ['2001:db8::', 32, 'documentation'],
  ['fc00::', 7, 'unique local'],
  ['fe80::', 10, 'link-local'],
  ['fec0::', 10, 'site-local (deprecated)'],
  ['ff00::', 8, 'multicast'],
];

const blocked = new BlockList();
for (const [net, prefix] of BLOCKED_V4) blocked.addSubnet(net, prefix, 'ipv4');
for (const [net, prefix] of BLOCKED_V6) blocked.addSubnet(net, prefix, 'ipv6');

/** The IPv4 address embedded in an IPv4-mapped (::ffff:a.b.c.d), IPv4-compatible or NAT64 IPv6 address. */
function embeddedV4(ip: string): string | null {
  const lower = ip.toLowerCase();
  const m = /^(?:::ffff:(?:0:)?|::|64:ff9b::)(\d+\.\d+\.\d+\.\d+)$/.exec(lower);
  if (m) return m[1]!;
  const hex = /^(?:::ffff:(?:0:)?|64:ff9b::)([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(lower);
  if (hex) {
    const a = parseInt(hex[1]!, 16);
    const b = parseInt(hex[2]!, 16);
    return `${a >> 8}.${a & 255}.${b >> 8}.${b & 255}`;
  }
  return null;
}

/** True when `ip` (an IPv4 or IPv6 literal) lies in a range outbound requests may not reach. */
export function isBlockedAddress(ip: string): boolean {
  const family = isIP(ip);
  if (family === 4) return blocked.check(ip, 'ipv4');
  if (family === 6) {
    const v4 = embeddedV4(ip);
    if (v4) return blocked.check(v4, 'ipv4');
    return blocked.check(ip, 'ipv6');
  }
  return true; // not an address at all: never connect
}

/** The host of a URL as the allowlist and the resolver see it (lowercase, IPv6 without brackets). */
export function hostOf(url: URL): string {
  return url.hostname.toLowerCase().replace(/^\[(.*)\]$/, '$1');
}

/** Parses the allowlist setting: comma/space separated host names or addresses, lowercased. */
export function parseAllowHosts(raw: string | undefined): string[] {
  return (raw ?? '')
    .split(/[\s,]+/)
    .map((h) =>
      h
        .trim()
        .toLowerCase()
        .replace(/^\[(.*)\]$/, '$1'),
    )
    .filter(Boolean);
}

/** Resolves a host name to every address (A and AAAA). */
export type Resolver = (host: string) => Promise<LookupAddress[]>;

/** The system resolver (getaddrinfo, as the connection itself would use). */
export const systemResolver: Resolver = (host) =>
  new Promise((resolve, reject) =>
    dnsLookup(host, { all: true, verbatim: true }, (err, addresses) =>
      err ? reject(err) : resolve(addresses),
    ),
  );

/** Options of the guard. */
export interface OutboundOptions {
  /** Hosts exempt from the address check (ADUAN_OUTBOUND_ALLOW_HOSTS). */
  allowHosts?: readonly string[] | undefined;
  /** Name resolution (tests inject one to simulate DNS answers). */
  resolver?: Resolver | undefined;
}

/** Syntax and scheme only: an absolute http(s) URL without credentials. */
export function outboundUrlSyntax(raw: string): { url: URL } | { problem: OutboundProblem } {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { problem: 'invalid_format' };
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return { problem: 'url_scheme' };
  if (url.username || url.password || !url.hostname) return { problem: 'invalid_format' };
  return { url };
}

/**
 * Checks a URL before it is saved: scheme, then every address its host resolves to. Returns null when
 * the URL may be used. An unresolvable name is refused too (a typo would otherwise fail silently later).
 */
export async function checkOutboundUrl(
  raw: string,
  opts: OutboundOptions = {},
): Promise<OutboundProblem | null> {
  const syntax = outboundUrlSyntax(raw);
  if ('problem' in syntax) return syntax.problem;
  return checkOutboundHost(hostOf(syntax.url), opts);
}

/**
 * The address rule alone, for one host as `hostOf` gives it: null when it is allowlisted or when it and every
 * address it resolves to may be reached; `url_blocked_address` when a literal or ANY resolved address is blocked;
 * `host_unresolvable` when the name does not resolve (or not within `timeoutMs`, when given).
 */
export async function checkOutboundHost(
  host: string,
  opts: OutboundOptions & { timeoutMs?: number | undefined } = {},
): Promise<OutboundProblem | null> {
  if ((opts.allowHosts ?? []).includes(host)) return null;
  if (isIP(host)) return isBlockedAddress(host) ? 'url_blocked_address' : null;
  let addresses: LookupAddress[];
  let timer: NodeJS.Timeout | undefined;
  try {
    const resolving = (opts.resolver ?? systemResolver)(host);
    addresses = opts.timeoutMs
      ? await Promise.race([
          resolving,
          new Promise<never>((_, reject) => {
            timer = setTimeout(() => reject(new Error('dns timeout')), opts.timeoutMs);
          }),
        ])
      : await resolving;
  } catch {
    return 'host_unresolvable';
  } finally {
    clearTimeout(timer);
  }
  if (addresses.length === 0) return 'host_unresolvable';
  return addresses.some((a) => isBlockedAddress(a.address)) ? 'url_blocked_address' : null;
}

/** Raised when a delivery is refused by the guard (never retried: the URL itself is the problem). */
export class OutboundBlockedError extends Error {
  constructor(
    readonly host: string,
    readonly problem: OutboundProblem,
  ) {
    super(`outbound request to ${host} refused: ${problem}`);
    this.name = 'OutboundBlockedError';
  }
}

/**
 * A socket `lookup` that resolves once, refuses if ANY address is blocked, and hands the connection the
 * very addresses it checked (pinning them: no second resolution can rebind the name).
 */
export function guardedLookup(opts: OutboundOptions = {}): LookupFunction {
  const resolve = opts.resolver ?? systemResolver;
  return ((hostname: string, options: { all?: boolean; family?: number | string }, callback: unknown) => {
    const cb = callback as (
      err: NodeJS.ErrnoException | null,
      address: string | LookupAddress[],
      family?: number,
    ) => void;
    resolve(hostname).then(
      (addresses) => {
        const host = hostname.toLowerCase();
        const family = options?.family === 'IPv4' ? 4 : options?.family === 'IPv6' ? 6 : options?.family;
        const usable = family ? addresses.filter((a) => a.family === family) : addresses;
        if (usable.length === 0) {
          cb(new OutboundBlockedError(host, 'host_unresolvable') as NodeJS.ErrnoException, '', 4);
          return;
        }
        if (!(opts.allowHosts ?? []).includes(host) && addresses.some((a) => isBlockedAddress(a.address))) {
          cb(new OutboundBlockedError(host, 'url_blocked_address') as NodeJS.ErrnoException, '', 4);
          return;
        }
        if (options?.all) cb(null, usable);
        else cb(null, usable[0]!.address, usable[0]!.family);
      },
      (err: NodeJS.ErrnoException) => cb(err, '', 4),
    );
  }) as LookupFunction;
}

/** The answer of a guarded request. */
export interface OutboundResponse {
  status: number;
  /** The first 2 KB of the body (for error messages). */
  text: string;
}

/**
 * POSTs `body` to `rawUrl` through the guard: no redirects are followed, the connection goes only to
 * checked addresses, and the answer body is read up to 2 KB. Rejects with OutboundBlockedError when the
 * URL is refused, with the network error otherwise.
 */
export function guardedPost(
  rawUrl: string,
  init: { headers: Record<string, string>; body: string; timeoutMs?: number | undefined },
  opts: OutboundOptions = {},
): Promise<OutboundResponse> {
  return guardedRequest(rawUrl, { ...init, method: 'POST' }, opts);
}

/** Any method through the guard (GET for `aduan federation test`); see guardedPost. */
export function guardedRequest(
  rawUrl: string,
  init: {
    method: 'GET' | 'POST';
    headers?: Record<string, string>;
    body?: string | undefined;
    timeoutMs?: number | undefined;
  },
  opts: OutboundOptions = {},
): Promise<OutboundResponse> {
  const syntax = outboundUrlSyntax(rawUrl);
  if ('problem' in syntax) return Promise.reject(new OutboundBlockedError(rawUrl, syntax.problem));
  const url = syntax.url;
  const host = hostOf(url);
  const allowed = (opts.allowHosts ?? []).includes(host);
  if (isIP(host) && !allowed && isBlockedAddress(host))
    return Promise.reject(new OutboundBlockedError(host, 'url_blocked_address'));
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  const timeoutMs = init.timeoutMs ?? 15_000;
  const headers: Record<string, string> = { ...init.headers };
  if (init.body !== undefined) headers['content-length'] = String(Buffer.byteLength(init.body));
  return new Promise<OutboundResponse>((resolve, reject) => {
    const req = send(
      url,
      {
        method: init.method,
        headers,
        lookup: guardedLookup(opts),
        // A fresh connection per delivery: a pooled socket was checked for another request.
        agent: false,
        timeout: timeoutMs,
      },
      (res: IncomingMessage) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (c: Buffer) => {
          if (size < 2048) chunks.push(c);
          size += c.length;
        });
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            text: Buffer.concat(chunks).toString('utf8').slice(0, 2048),
          }),
        );
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`timeout after ${timeoutMs} ms`)));
    req.on('error', reject);
    req.end(init.body);
  });
}
