/**
 * One-line explanations of database start-up failures for the CLI (instead of a driver stack trace):
 * an unreachable PostgreSQL server, a missing database, refused credentials, or a DATABASE_URL that is no
 * PostgreSQL URL. The password of DATABASE_URL is never printed. In the command line's language
 * (`cli.messages.db.*`); a server's own reason (missing database, refused credentials) is PostgreSQL's text.
 */
import { say } from './messages.ts';

/** An error whose message is meant for the operator as it is (printed without a stack trace). */
export class CliError extends Error {}

/** Network error codes, with the key of their reason (`cli.messages.db.network.<key>`). */
const NETWORK: Record<string, string> = {
  ECONNREFUSED: 'refused',
  ENOTFOUND: 'not_found',
  EAI_AGAIN: 'dns_failed',
  ETIMEDOUT: 'timed_out',
  EHOSTUNREACH: 'host_unreachable',
  ENETUNREACH: 'network_unreachable',
  ECONNRESET: 'reset',
};

/** PostgreSQL error codes of a database that cannot be used at all (missing database, credentials). */
const SERVER = new Set(['3D000', '28P01', '28000']);

/** `host:port` of a DATABASE_URL, without user or password. */
function whereOf(url: URL): string {
  const host = url.hostname || new URLSearchParams(url.search).get('host') || 'localhost';
  return `${host}:${url.port || '5432'}`;
}

/** A problem with the scheme of DATABASE_URL, or null when it is a PostgreSQL URL (or unset or unparsable). */
export function databaseUrlProblem(databaseUrl: string | undefined): string | null {
  if (!databaseUrl) return null;
  let url: URL;
  try {
    url = new URL(databaseUrl);
  } catch {
    return null; // config validation reports unparsable URLs
  }
  if (url.protocol === 'postgres:' || url.protocol === 'postgresql:') return null;
  return `aduan: ${say('db.not_postgres', { scheme: url.protocol })}`;
}

/** The errors in a chain of causes (and the members of an AggregateError), outermost first. */
function* chain(err: unknown, depth = 0): Generator<unknown> {
  if (!err || typeof err !== 'object' || depth > 10) return;
  yield err;
  if (err instanceof AggregateError) for (const e of err.errors) yield* chain(e, depth + 1);
  yield* chain((err as { cause?: unknown }).cause, depth + 1);
}

/**
 * One line explaining why the database could not be reached, or null when the error is something else.
 * `databaseUrl` is the configured DATABASE_URL (only PostgreSQL connections are recognised).
 */
export function describeDatabaseError(err: unknown, databaseUrl: string | undefined): string | null {
  if (!databaseUrl) return null;
  const scheme = databaseUrlProblem(databaseUrl);
  if (scheme) return scheme;
  let url: URL;
  try {
    url = new URL(databaseUrl);
  } catch {
    return null;
  }
  for (const e of chain(err)) {
    const code = (e as { code?: unknown }).code;
    if (typeof code !== 'string') continue;
    let why: string | undefined;
    if (NETWORK[code]) why = say(`db.network.${NETWORK[code]}`);
    else if (SERVER.has(code)) why = (e as Error).message;
    if (why) return `aduan: ${say('db.cannot_connect', { where: whereOf(url), why })}`;
  }
  return null;
}
