/** The administration audit log's action codes (docs/security.md "Administration audit log"): stable, never renamed. */

/** The stable action codes (grouped by their prefix on the log page). */
export const ADMIN_ACTIONS = [
  'role.grant',
  'role.revoke',
  'account.disable',
  'account.enable',
  'account.password_reset',
  'invitation.send',
  'invitation.resend',
  'invitation.cancel',
  'agency.create',
  'agency.rename',
  'agency.region',
  'agency.status',
  'agency.update',
  'agency.coordinator',
  'category.add',
  'category.rename',
  'category.status',
  'sla.add',
  'holiday.add',
  'holiday.remove',
  'holiday.load',
  'holiday.confirm',
  'auto_dispatch.set',
  'api_key.issue',
  'api_key.revoke',
  'token.mint',
  'token.revoke',
  'webhook.add',
  'webhook.remove',
  'webhook.pause',
  'webhook.resume',
  'sms_keyword.set',
  'sms_keyword.clear',
  'open311.service_type',
  'evaluation.period',
  'evaluation.publish',
  'evaluation.score',
  'federation.instance',
  'federation.peer_add',
  'federation.peer_remove',
  'keys.reseal',
  'export.queue',
  'export.stats',
] as const;
/** One action code. */
export type AdminAction = (typeof ADMIN_ACTIONS)[number];

/** The groups of the log page's filter: an action's prefix. */
export const ADMIN_ACTION_GROUPS = [
  'role',
  'account',
  'invitation',
  'agency',
  'category',
  'sla',
  'holiday',
  'auto_dispatch',
  'api_key',
  'token',
  'webhook',
  'sms_keyword',
  'open311',
  'evaluation',
  'federation',
  'keys',
  'export',
] as const;
/** One filter group. */
export type AdminActionGroup = (typeof ADMIN_ACTION_GROUPS)[number];

/** The ids of agencies, categories and regions an entry mentions: shown by name, resolved when the log is read. */
export interface AuditRefs {
  agencies: string[];
  categories: string[];
  regions: string[];
}

/** The fields of an entry that `auditEntryRefs` reads. */
export interface AuditRefSource {
  action: string;
  targetType: string;
  targetId: string;
  agencyId: string | null;
  details: Readonly<Record<string, unknown>>;
}

const text = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);
const idText = (v: unknown): string | null =>
  typeof v === 'number' && Number.isInteger(v) ? String(v) : text(v);
const field = (v: unknown, key: string): unknown =>
  v !== null && typeof v === 'object' ? (v as Record<string, unknown>)[key] : undefined;

/**
 * The agencies, categories and regions an entry's details refer to by id or code, for every action that holds one
 * (the entry's own agency, a new agency's parent and region, a category's parent, an agency's regions before and
 * after, a regional SLA rule's or holiday's region, the filters of a queue download and the grants' agencies it spans, a
 * statistics download's region). Names are not stored in the log
 * for these: they are looked up when it is read, in the reader's language, so a renamed one reads as it is now.
 */
export function auditEntryRefs(e: AuditRefSource): AuditRefs {
  const refs: AuditRefs = { agencies: [], categories: [], regions: [] };
  const add = (kind: keyof AuditRefs, v: string | null) => {
    if (v && !refs[kind].includes(v)) refs[kind].push(v);
  };
  const d = e.details;
  add('agencies', e.agencyId);
  add('agencies', text(d.agencyId));
  if (e.targetType === 'agency') add('agencies', e.targetId);
  if (e.targetType === 'category') add('categories', e.targetId);
  switch (e.action) {
    case 'agency.create':
      add('agencies', text(d.parentId));
      add('regions', text(d.regionCode));
      break;
    case 'agency.region':
      add('regions', text(field(d.from, 'regionCode')));
      add('regions', text(field(d.to, 'regionCode')));
      break;
    case 'category.add':
      add('categories', idText(d.parentId));
      break;
    case 'open311.service_type':
      add('categories', idText(d.categoryId));
      break;
    case 'sla.add':
    case 'holiday.add':
    case 'holiday.remove':
    case 'export.stats':
      add('regions', text(d.regionCode));
      break;
    case 'export.queue':
      if (Array.isArray(d.grantAgencies)) for (const a of d.grantAgencies) add('agencies', text(a));
      add('categories', text(field(d.filters, 'kategori')));
      add('regions', text(field(d.filters, 'wilayah')));
      add('agencies', text(field(d.filters, 'instansi')));
      break;
    default:
      break;
  }
  return refs;
}
