/**
 * `aduan federation …` (docs/integrations.md §3): configure federation without SQL.
 *
 *   aduan federation instance [ID]                       show or set this instance's id
 *   aduan federation add ID --url URL --api-key-env VAR  add or replace a peer (or --api-key KEY / --api-key-stdin)
 *   aduan federation list [--json]                       the peers (never their keys)
 *   aduan federation remove ID                           remove a peer
 *   aduan federation test ID                             reach the peer: discovery, then our key on GET requests
 *
 * Exit codes: 0 done, 1 refused or failed (the message says why), 2 usage. The peer's key is read from an
 * environment variable or stdin rather than the command line when possible (shell history), is stored
 * sealed, and is never printed. URLs go through the SSRF guard (ADUAN_OUTBOUND_ALLOW_HOSTS).
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { Runtime } from '../runtime.ts';
import { AppError } from '../app/errors.ts';
import { t } from '../locales/index.ts';
import { cliLanguage } from '../config.ts';
import { usageProblem } from './args.ts';
import { say, usageOf } from './messages.ts';
import {
  addFederationPeer,
  INSTANCE_ID,
  instanceIdOf,
  peerApiKey,
  removeFederationPeer,
  setInstanceId,
} from '../commands/configure-federation.ts';
import { listFederationPeers } from '../queries/integration-admin.ts';
import { guardedRequest, OutboundBlockedError } from '../integrations/outbound-guard.ts';

/** The usage of `aduan federation` (its subcommands), in the command line's language. */
export const federationUsage = (): string => usageOf('federation');

function usage(message: string): number {
  console.error(`aduan federation: ${message}\n${federationUsage()}`);
  return 2;
}

/** Prints a validation error field by field in the command line's language, else rethrows. */
function refused(err: unknown): number {
  if (err instanceof AppError && err.code === 'VALIDATION_FAILED') {
    for (const [field, issue] of Object.entries(err.fields))
      console.error(
        `aduan federation: ${field}: ${t(cliLanguage(), `errors.field.${issue.key}`, issue.params)}`,
      );
    return 1;
  }
  throw err;
}

/** Parses the arguments, or returns the parser's complaint. */
function parse(args: string[]) {
  try {
    return parseArgs({
      args,
      options: {
        url: { type: 'string' },
        'api-key': { type: 'string' },
        'api-key-env': { type: 'string' },
        'api-key-stdin': { type: 'boolean', default: false },
        json: { type: 'boolean', default: false },
      },
      allowPositionals: true,
      strict: true,
    });
  } catch (e) {
    return (e as Error).message;
  }
}

/** Checks the arguments of a subcommand before the database is opened (exit 2 on misuse). */
export function federationArgsProblem(args: string[]): string | null {
  const parsed = parse(args);
  if (typeof parsed === 'string') return parsed;
  const [sub, id, ...extra] = parsed.positionals;
  const v = parsed.values;
  if (!sub) return usageProblem('missing_subcommand');
  if (!['instance', 'add', 'list', 'remove', 'test'].includes(sub))
    return usageProblem('unknown_subcommand', { subcommand: sub });
  if (extra.length) return usageProblem('unexpected_argument', { argument: extra[0]! });
  if (sub === 'list' && id) return usageProblem('unexpected_argument', { argument: id });
  if (['add', 'remove', 'test'].includes(sub) && !id) return say('federation.needs_id', { sub });
  if (sub === 'add') {
    if (!v.url) return usageProblem('missing', { options: '--url' });
    const sources = [v['api-key'], v['api-key-env'], v['api-key-stdin'] ? '1' : undefined].filter(Boolean);
    if (sources.length !== 1) return say('federation.one_key_source');
  }
  return null;
}

/** `aduan federation …` with an open runtime; returns the exit code. */
export async function federationCli(rt: Runtime, args: string[]): Promise<number> {
  const problem = federationArgsProblem(args);
  const parsed = parse(args);
  if (problem || typeof parsed === 'string') return usage(problem ?? String(parsed));
  const svc = rt.services;
  const [sub, id] = parsed.positionals as [string, string | undefined];
  const v = parsed.values;

  if (sub === 'instance') {
    if (!id) {
      const current = await instanceIdOf(svc.db);
      console.log(current ?? say('federation.instance_not_set'));
      return current ? 0 : 1;
    }
    try {
      await setInstanceId(svc, id);
    } catch (e) {
      return refused(e);
    }
    console.log(say('federation.instance_set', { id }));
    return 0;
  }

  if (sub === 'list') {
    const [self, peers] = await Promise.all([instanceIdOf(svc.db), listFederationPeers(svc.db)]);
    if (v.json) {
      console.log(
        JSON.stringify({
          instanceId: self,
          peers: peers.map((p) => ({ ...p, createdAt: p.createdAt.toISOString() })),
        }),
      );
      return 0;
    }
    console.log(say('federation.this_instance', { id: self ?? say('federation.not_set') }));
    if (peers.length === 0) console.log(say('federation.no_peers'));
    for (const p of peers)
      console.log(
        `${p.instanceId.padEnd(24)} ${p.baseUrl}  ${say('federation.added_at', { at: p.createdAt.toISOString() })}`,
      );
    return 0;
  }

  if (sub === 'add') {
    let apiKey = v['api-key'] ?? '';
    if (v['api-key-env']) {
      apiKey = process.env[v['api-key-env']] ?? '';
      if (!apiKey) {
        console.error(`aduan federation: ${say('federation.env_empty', { name: v['api-key-env'] })}`);
        return 1;
      }
    }
    if (v['api-key-stdin']) apiKey = readFileSync(0, 'utf8').trim();
    try {
      await addFederationPeer(svc, { instanceId: id!, baseUrl: v.url!, apiKey });
    } catch (e) {
      return refused(e);
    }
    console.log(say('federation.saved', { id: id!, url: v.url!.replace(/\/+$/, '') }));
    return 0;
  }

  if (sub === 'remove') {
    if (!INSTANCE_ID.test(id!) || !(await removeFederationPeer(svc, id!))) {
      console.error(`aduan federation: ${say('federation.no_peer', { id: id! })}`);
      return 1;
    }
    console.log(say('federation.removed', { id: id! }));
    return 0;
  }

  // test
  const peer = (await listFederationPeers(svc.db)).find((p) => p.instanceId === id);
  if (!peer) {
    console.error(`aduan federation: ${say('federation.no_peer', { id: id! })}`);
    return 1;
  }
  const key = await peerApiKey(svc, peer.instanceId);
  const guard = { allowHosts: svc.outboundAllowHosts ?? [] };
  // The steps' names (`discovery`, `api key`) are what was tried, the same in every language.
  const steps: Array<[string, string, (status: number) => boolean]> = [
    ['discovery', `${peer.baseUrl}/open311/discovery.json`, (s) => s === 200],
    [
      'api key',
      `${peer.baseUrl}/open311/v2/requests.json?page_size=1&api_key=${encodeURIComponent(key)}`,
      (s) => s === 200,
    ],
  ];
  for (const [name, url, ok] of steps) {
    const shown = url.replace(/api_key=[^&]*/, 'api_key=…');
    try {
      const res = await guardedRequest(url, { method: 'GET', timeoutMs: 10_000 }, guard);
      if (!ok(res.status)) {
        console.error(
          `aduan federation: ${name}: ${say('federation.answered', { url: shown, status: res.status })}`,
        );
        return 1;
      }
      console.log(`${name}: GET ${shown} → HTTP ${res.status}`);
    } catch (e) {
      const why =
        e instanceof OutboundBlockedError
          ? t(cliLanguage(), `errors.field.${e.problem}`)
          : (e as Error).message;
      console.error(`aduan federation: ${name}: ${say('federation.failed', { url: shown, why })}`);
      return 1;
    }
  }
  console.log(say('federation.reachable', { id: peer.instanceId }));
  return 0;
}
