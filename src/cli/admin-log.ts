/**
 * `aduan audit admin [--since DATE] [--json]`: the administration log from the operator's shell (docs/security.md
 * "Administration audit log"), oldest first: one line per entry (time in UTC, who, action, target, agency, details),
 * or a JSON array with `--json`. `--since` is a day (YYYY-MM-DD) read in WIB; a malformed date is a usage error (2).
 * The human lines end with the current names of the agencies, categories and regions an entry mentions by id
 * (`names: agency dinkes-kaltim "Dinas Kesehatan …"`; one that no longer resolves: `(not found)`); `--json` keeps
 * the ids only, as stored.
 */
import type { Runtime } from '../runtime.ts';
import { isIsoDate } from '../domain/deadline/calendar.ts';
import { auditEntryRefs } from '../domain/admin/audit-actions.ts';
import {
  adminAuditEntries,
  auditLogNames,
  type AuditLogEntry,
  type AuditNames,
} from '../queries/admin-audit-log.ts';
import { usageError, type ParsedArgs } from './args.ts';
import { COMMANDS } from './commands.ts';
import { say } from './messages.ts';

function who(e: AuditLogEntry): string {
  if (e.actorUserId) return `${e.actorName ?? say('audit.deleted_account')} <${e.actorUserId}>`;
  return e.actorLabel ?? say('audit.system');
}

/** The kinds of names an entry mentions, in the order they are listed (`cli.messages.audit.kind.*`). */
const KINDS = ['agencies', 'categories', 'regions'] as const;

/** The names an entry mentions by id, as `names: agency ID "Name"; region CODE (not found)`, or null. */
function namesText(e: AuditLogEntry, names: AuditNames): string | null {
  const refs = auditEntryRefs(e);
  const parts = KINDS.flatMap((kind: keyof AuditNames) =>
    refs[kind].map((id) => {
      const name = names[kind][id];
      return `${say(`audit.kind.${kind}`)} ${id} ${name === undefined ? say('audit.not_found') : JSON.stringify(name)}`;
    }),
  );
  return parts.length ? say('audit.names', { names: parts.join('; ') }) : null;
}

/** Runs `aduan audit admin`. */
export async function adminLogCli(parsed: ParsedArgs, open: () => Promise<Runtime>): Promise<number> {
  const since = parsed.values.since as string | undefined;
  if (since !== undefined && !isIsoDate(since)) {
    const spec = COMMANDS.audit!;
    return usageError(
      spec.kind === 'group' ? spec.subcommands.admin! : spec,
      say('audit.bad_since', { since }),
    );
  }
  const rt = await open();
  try {
    const entries = await adminAuditEntries(rt.services, {
      since: since ? new Date(`${since}T00:00:00+07:00`) : undefined,
    });
    if (parsed.values.json) {
      console.log(JSON.stringify(entries, null, 2));
      return 0;
    }
    if (entries.length === 0) console.log(say('audit.no_entry'));
    const names = await auditLogNames(rt.services.db, entries);
    for (const e of entries)
      console.log(
        [
          e.at.toISOString(),
          who(e),
          e.action,
          `${e.targetType}:${e.targetId}`,
          e.agencyId ? `agency=${e.agencyId}` : 'national',
          JSON.stringify(e.details),
          namesText(e, names),
        ]
          .filter((part) => part !== null)
          .join('  '),
      );
    return 0;
  } finally {
    await rt.close();
  }
}
