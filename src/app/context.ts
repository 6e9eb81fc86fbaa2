/** What every command receives: services (database, clock, crypto, storage) and the caller. */
import type { AppDb } from '../db/client.ts';
import type { Sealer } from '../integrations/crypto.ts';
import type { FileStorage } from '../integrations/storage.ts';
import type { Actor, RoleGrant } from '../policies/can.ts';
import { DEFAULT_HOME_ZONE, type ZoneName } from '../domain/report/report.ts';

/** Process-wide dependencies, built once by the composition root. */
export interface Services {
  db: AppDb;
  sealer: Sealer;
  storage: FileStorage;
  /** The clock: injectable so tests and `aduan sweep --at` control time. */
  now: () => Date;
  /** Base URL used in links sent to reporters. */
  publicUrl: string;
  /** Hosts exempt from the outbound SSRF guard (ADUAN_OUTBOUND_ALLOW_HOSTS; src/integrations/outbound-guard.ts). */
  outboundAllowHosts?: readonly string[] | undefined;
  /** The address citizens email complaints to (EMAIL_INBOUND_ADDRESS), named in answers to a garbled reply. */
  inboundEmailAddress?: string | undefined;
  /**
   * The instance's home zone (ADUAN_TIME_ZONE): "today" of the public statistics and the date of the daily open-data
   * snapshot. Absent: DEFAULT_HOME_ZONE (WITA). Read it through `homeZone`.
   */
  timeZone?: ZoneName | undefined;
  /** The open data's licence URL and publisher name (ADUAN_OPEN_DATA_LICENSE / _PUBLISHER), for its catalog. */
  openData?: { license?: string | undefined; publisher?: string | undefined } | undefined;
  /** The data directory (ADUAN_DATA_DIR): where publishing an evaluation writes its open-data snapshot file. */
  dataDir?: string | undefined;
  /**
   * Whether an email transport is configured (SMTP_URL): false means emails wait in the outbox, so a staff
   * invitation's link is shown to the inviting admin instead. Absent: assumed configured.
   */
  emailConfigured?: boolean | undefined;
  /**
   * Days a held agency webhook delivery (paused subscription, deactivated agency) waits before it expires unsent
   * (ADUAN_WEBHOOK_HOLD_DAYS). Absent: WEBHOOK_HOLD_DAYS_DEFAULT (14).
   */
  webhookHoldDays?: number | undefined;
}

/** The instance's home zone (ADUAN_TIME_ZONE, else WITA). */
export function homeZone(svc: Pick<Services, 'timeZone'>): ZoneName {
  return svc.timeZone ?? DEFAULT_HOME_ZONE;
}

/** Who is asking: a signed-in user, a reporter holding an access key, a partner, or the public. */
export interface Caller {
  actor: Actor;
  /** The reporter's secret access key (X-Access-Key header or the private link). */
  accessKey?: string | undefined;
  /** The agency API key (integration token) the request was made with, if any. */
  apiKeyId?: string | undefined;
  /** Stable key for "one support per person or device" when not signed in. */
  deviceKey?: string | undefined;
  /** A system actor (worker, channel adapter) acting on behalf of the rules. */
  system?: string | undefined;
  /**
   * The id of the one report whose reporter a channel adapter has matched out of band: the SMS gateway
   * vouches for the sender's number, and it equals the report's sealed reporter phone (receive-sms.ts).
   */
  vouchedReporterOf?: string | undefined;
}

/** The public, signed-out caller. */
export const PUBLIC_CALLER: Caller = { actor: { userId: null, grants: [] } };

/** A caller for background jobs: national-admin rights, recorded as `system:<name>` on events. */
export function systemCaller(name: string): Caller {
  const grant: RoleGrant = { role: 'national_admin', agencyId: null, regionCode: null };
  return { actor: { userId: null, grants: [grant] }, system: name };
}
