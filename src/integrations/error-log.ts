/**
 * Errors as they may be written to a log (docs/security.md "Logs"): a failed query's error carries its bound
 * parameters and PostgreSQL quotes values in its messages, so database errors are reduced to class, SQLSTATE, SQL
 * text with placeholders and names. Used by the HTTP error handler and request loggers, the worker and the CLI.
 */
import { redactContacts } from '../domain/shared/text.ts';

/** An error as it may be written to the log: no bound parameter, no quoted value (see `loggableError`). */
export interface LoggedError {
  type: string;
  /** SQLSTATE of a database error, or the error's own code (`ECONNREFUSED`, `FST_…`). */
  code?: string;
  /** The SQL text of a failed query, with `$1…` placeholders (never the values). */
  query?: string;
  message?: string;
  constraint?: string;
  table?: string;
  column?: string;
  stack?: string;
  cause?: LoggedError;
}

const SQLSTATE = /^[0-9A-Z]{5}$/;

/** A failed query (DrizzleQueryError, or a pg / PGlite error): its message and fields may carry bound values. */
function isDatabaseError(e: Record<string, unknown>): boolean {
  return (
    'params' in e ||
    typeof e.query === 'string' ||
    (typeof e.code === 'string' && SQLSTATE.test(e.code) && ('severity' in e || 'routine' in e))
  );
}

/**
 * An error reduced to what may be logged (docs/security.md "Logs"). Why: a failed query's error carries the bound
 * parameters (`DrizzleQueryError`'s message ends with `params: …` — the NIK typed in a search, a report's body, a
 * rate-limit key with an IP), and PostgreSQL's own message and `detail` quote values too (`invalid input syntax for
 * type integer: "…"`, `Failing row contains (…)`). A database error is logged as its class, SQLSTATE, the SQL text
 * with placeholders, the constraint/table/column names and its message with every quoted literal replaced by `…`;
 * never `params` nor `detail`. Other errors keep their message (emails and long numbers masked) and stack. The same
 * for the cause chain.
 */
export function loggableError(err: unknown, depth = 0): LoggedError {
  if (!(err instanceof Error) && (typeof err !== 'object' || err === null))
    return { type: typeof err, message: redactContacts(String(err)) };
  const e = err as unknown as Record<string, unknown>;
  const type =
    (err instanceof Error ? err.constructor?.name || err.name : undefined) ??
    (typeof e.name === 'string' ? e.name : 'Object');
  const out: LoggedError = { type };
  if (typeof e.code === 'string' || typeof e.code === 'number') out.code = String(e.code);
  // Only the frames: the stack's first lines repeat the message, which holds the parameters.
  const frames =
    typeof e.stack === 'string'
      ? e.stack
          .split('\n')
          .filter((l) => /^\s+at /.test(l))
          .join('\n')
      : '';
  if (isDatabaseError(e)) {
    if (typeof e.query === 'string') out.query = e.query;
    const message = typeof e.message === 'string' ? e.message : '';
    // DrizzleQueryError's message is "Failed query: <sql>\nparams: <values>": the SQL is in `query` already.
    if (message && !message.startsWith('Failed query:'))
      out.message = redactContacts(message.replace(/"[^"]*"/g, '"…"').replace(/'[^']*'/g, "'…'"));
    for (const k of ['constraint', 'table', 'column'] as const)
      if (typeof e[k] === 'string' && e[k]) out[k] = e[k] as string;
  } else {
    if (typeof e.message === 'string') out.message = redactContacts(e.message);
  }
  if (frames) out.stack = frames;
  if (e.cause !== undefined && e.cause !== null && depth < 5) out.cause = loggableError(e.cause, depth + 1);
  return out;
}

/** True when the error or one of its causes is a failed query (whose message may quote bound values). */
export function isQueryError(err: unknown, depth = 0): boolean {
  if (typeof err !== 'object' || err === null || depth > 5) return false;
  const e = err as Record<string, unknown>;
  return isDatabaseError(e) || isQueryError(e.cause, depth + 1);
}

/** `loggableError` on one line, for plain-text logs (the worker): `Type [code]: message (query: …) ← cause`. */
export function loggableErrorText(err: unknown): string {
  const one = (l: LoggedError): string =>
    [
      l.type,
      l.code ? ` [${l.code}]` : '',
      l.message ? `: ${l.message}` : '',
      l.query ? ` (query: ${l.query.replace(/\s+/g, ' ').trim()})` : '',
      l.cause ? ` ← ${one(l.cause)}` : '',
    ].join('');
  return one(loggableError(err));
}
