/**
 * The administration audit log (`admin_audit_log`, docs/security.md "Administration audit log"): one append-only row
 * per administrative change, written by `recordAdminAction` inside the change's own transaction (a refused or rolled
 * back change leaves no row). There is deliberately no update or delete here.
 *
 * `details` holds before/after values only: ids, names of agencies and categories, role names, dates. Never a secret
 * (token, password, key material, link) nor a reporter's identity: `recordAdminAction` refuses a details key that
 * names one, so a careless call site fails loudly in its tests instead of leaking into the log.
 */
import type { AppDb, Tx } from '../client.ts';
import { adminAuditLog } from '../schema.ts';
import type { AdminAction } from '../../domain/admin/audit-actions.ts';

export {
  ADMIN_ACTIONS,
  ADMIN_ACTION_GROUPS,
  type AdminAction,
  type AdminActionGroup,
} from '../../domain/admin/audit-actions.ts';

/** Who made the change: a signed-in user, or the operator's CLI / a system process (no user). */
export interface AuditActor {
  actor: { userId: string | null };
  system?: string | undefined;
}

/** One change to record. */
export interface AdminAuditEntry {
  action: AdminAction;
  targetType:
    | 'user'
    | 'grant'
    | 'invitation'
    | 'agency'
    | 'category'
    | 'sla_rule'
    | 'holiday'
    | 'setting'
    | 'api_key'
    | 'webhook'
    | 'evaluation_period'
    | 'federation_peer'
    | 'key'
    | 'queue'
    | 'stats';
  targetId: string;
  /** The agency concerned (a coordinator sees the entries of agencies in its region); null: national. */
  agencyId?: string | null | undefined;
  details?: Record<string, unknown> | undefined;
  /** When (the service clock); defaults to the database's now(). */
  at?: Date | undefined;
}

/** Detail keys that would carry a secret or a person's contact details: refused outright. */
const FORBIDDEN_KEY =
  /token|password|secret|hash|key_?material|plaintext|link|url|email|phone|reporter|^nik$/i;

function checkDetails(value: unknown, path: string): void {
  if (value === null || typeof value !== 'object') return;
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    if (FORBIDDEN_KEY.test(k)) throw new Error(`admin audit details may not hold "${path}${k}"`);
    checkDetails(v, `${path}${k}.`);
  }
}

/**
 * Appends one entry. Call it with the transaction of the change itself. `caller` null: the operator's CLI
 * (`actor_label` 'cli'); a caller without a user: its system name (`actor_label`, e.g. 'system').
 */
export async function recordAdminAction(
  db: AppDb | Tx,
  caller: AuditActor | null,
  entry: AdminAuditEntry,
): Promise<void> {
  const details = entry.details ?? {};
  checkDetails(details, '');
  const userId = caller?.actor.userId ?? null;
  await db.insert(adminAuditLog).values({
    ...(entry.at ? { createdAt: entry.at } : {}),
    actorUserId: userId,
    actorLabel: userId ? null : caller ? (caller.system ?? 'system') : 'cli',
    action: entry.action,
    targetType: entry.targetType,
    targetId: entry.targetId,
    agencyId: entry.agencyId ?? null,
    details,
  });
}
