/** The administration audit log's action codes (docs/security.md "Administration audit log"): stable, never renamed. */

/** The stable action codes (grouped by their prefix on the log page). */
export const ADMIN_ACTIONS = [
  'role.grant',
  'role.revoke',
  'account.disable',
  'account.enable',
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
] as const;
/** One filter group. */
export type AdminActionGroup = (typeof ADMIN_ACTION_GROUPS)[number];
