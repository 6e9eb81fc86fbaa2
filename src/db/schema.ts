/**
 * Drizzle schema (PostgreSQL dialect) shared by PGlite and PostgreSQL 15+.
 * Generated columns are always STORED (PG15 has no virtual columns); see docs/adr/0002.
 */
import { sql } from 'drizzle-orm';
import {
  bigserial,
  boolean,
  customType,
  date,
  doublePrecision,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  serial,
  smallint,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';

const tsvector = customType<{ data: string }>({ dataType: () => 'tsvector' });
const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

/** Kemendagri administrative regions (provinsi, kab/kota, kecamatan, desa/kelurahan). */
export const regions = pgTable(
  'regions',
  {
    code: text('code').primaryKey(),
    name: text('name').notNull(),
    level: smallint('level').notNull(),
    parentCode: text('parent_code'),
  },
  (t) => [index('regions_parent_idx').on(t.parentCode)],
);

/** Region statistics used for normalising volumes (population per kab/kota). */
export const regionStats = pgTable('region_stats', {
  code: text('code').primaryKey(),
  population: integer('population'),
  areaKm2: doublePrecision('area_km2'),
});

/** The agency tree: kementerian, lembaga, pemda, perangkat daerah and their units. */
export const agencies = pgTable(
  'agencies',
  {
    id: text('id').primaryKey(),
    name: text('name').notNull(),
    shortName: text('short_name'),
    kind: text('kind').notNull(),
    parentId: text('parent_id'),
    /** Materialised path of ids from the root, '/'-separated with leading and trailing '/'. */
    path: text('path').notNull(),
    regionCode: text('region_code'),
    zone: text('zone').notNull().default('WIB'),
    /** Diskominfo acting as the complaint coordinator for its region. */
    isCoordinator: boolean('is_coordinator').notNull().default(false),
    smsKeyword: text('sms_keyword'),
    active: boolean('active').notNull().default(true),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [
    index('agencies_parent_idx').on(t.parentId),
    index('agencies_path_idx').on(t.path),
    uniqueIndex('agencies_sms_keyword_idx').on(t.smsKeyword),
  ],
);

/** LAPOR! categories (kategori) and subcategories. */
export const categories = pgTable(
  'categories',
  {
    id: serial('id').primaryKey(),
    name: text('name').notNull(),
    parentId: integer('parent_id'),
    active: boolean('active').notNull().default(true),
  },
  (t) => [uniqueIndex('categories_name_parent_idx').on(t.name, t.parentId)],
);

/** Staff and citizen accounts. Contact data beyond the email is encrypted. */
export const users = pgTable('users', {
  id: uuid('id').primaryKey().defaultRandom(),
  email: text('email').notNull().unique(),
  name: text('name').notNull(),
  passwordHash: text('password_hash').notNull(),
  /** AES-256-GCM envelope of { phone, nik }. */
  contactEnc: text('contact_enc'),
  failedLogins: integer('failed_logins').notNull().default(0),
  lockedUntil: ts('locked_until'),
  lastActiveAt: ts('last_active_at'),
  /** Set when an admin created the account with a temporary password; cleared by the first password change. */
  mustChangePassword: boolean('must_change_password').notNull().default(false),
  createdAt: ts('created_at').notNull().defaultNow(),
  /**
   * Set when an admin deactivated the account (`setAccountDisabled`): no sign-in, and its sessions and API tokens
   * stop working. Null: active. `disabledBy` is the admin who did it (null: the operator's CLI).
   */
  disabledAt: ts('disabled_at'),
  disabledBy: uuid('disabled_by'),
});

/** A role granted to a user for an agency (and its subtree). */
export const roleGrants = pgTable(
  'role_grants',
  {
    id: serial('id').primaryKey(),
    userId: uuid('user_id').notNull(),
    role: text('role').notNull(),
    agencyId: text('agency_id'),
  },
  (t) => [index('role_grants_user_idx').on(t.userId)],
);

/** Server-side sessions (cookie) and API bearer tokens; only a hash of the secret is stored. */
export const sessions = pgTable(
  'sessions',
  {
    id: text('id').primaryKey(),
    userId: uuid('user_id').notNull(),
    kind: text('kind').notNull(),
    csrfToken: text('csrf_token').notNull(),
    expiresAt: ts('expires_at').notNull(),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [index('sessions_user_idx').on(t.userId)],
);

/** The report (laporan): the citizen-facing state of one complaint, aspiration or information request. */
export const reports = pgTable(
  'reports',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    trackingId: text('tracking_id').notNull().unique(),
    accessKeyHash: text('access_key_hash').notNull(),
    classification: text('classification').notNull(),
    title: text('title').notNull(),
    body: text('body').notNull(),
    occurredOn: date('occurred_on', { mode: 'string' }),
    regionCode: text('region_code'),
    lat: doublePrecision('lat'),
    lon: doublePrecision('lon'),
    address: text('address'),
    categoryId: integer('category_id'),
    targetAgencyId: text('target_agency_id'),
    /** The agency (or unit) currently handling the report. */
    agencyId: text('agency_id'),
    /** The top-level agency the verifier dispatched to (dispositions stay inside its tree). */
    dispatchedAgencyId: text('dispatched_agency_id'),
    status: text('status').notNull(),
    archiveReason: text('archive_reason'),
    duplicateOfId: uuid('duplicate_of_id'),
    anonymous: boolean('anonymous').notNull().default(false),
    confidential: boolean('confidential').notNull().default(false),
    /** Pengaduan berkadar pengawasan: needs examination, 60 working days. */
    supervisory: boolean('supervisory').notNull().default(false),
    channel: text('channel').notNull(),
    reporterUserId: uuid('reporter_user_id'),
    /** The officer (or agency admin) the handling agency assigned the report to; no status change. */
    assigneeUserId: uuid('assignee_user_id'),
    /** AES-256-GCM envelope of { name, email, phone, nik }. */
    reporterEnc: text('reporter_enc'),
    /** The reporter's language at submission ('id' | 'en'): messages to the reporter use it. */
    reporterLang: text('reporter_lang').notNull().default('id'),
    /** Set when the reporter consents to the Ombudsman hand-off. */
    escalationConsent: boolean('escalation_consent').notNull().default(false),
    /** The reporter agreed, when escalating, that the Ombudsman may see who they are (`escalate` data.shareIdentity). */
    escalationSharesIdentity: boolean('escalation_shares_identity').notNull().default(false),
    supportCount: integer('support_count').notNull().default(0),
    rating: smallint('rating'),
    misroutedWorkingDays: integer('misrouted_working_days').notNull().default(0),
    returnCount: integer('return_count').notNull().default(0),
    reopenCount: integer('reopen_count').notNull().default(0),
    /** The running deadline (clock, dueAt, rule version, explanation), or null when no clock runs. */
    deadline: jsonb('deadline'),
    dueAt: ts('due_at'),
    eventCount: integer('event_count').notNull().default(0),
    lastEventHash: text('last_event_hash'),
    createdAt: ts('created_at').notNull().defaultNow(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
    verifiedAt: ts('verified_at'),
    firstResponseAt: ts('first_response_at'),
    respondedAt: ts('responded_at'),
    closedAt: ts('closed_at'),
    search: tsvector('search').generatedAlwaysAs(
      sql`to_tsvector('indonesian'::regconfig, coalesce(title, '') || ' ' || coalesce(body, ''))`,
    ),
  },
  (t) => [
    index('reports_status_idx').on(t.status),
    index('reports_agency_idx').on(t.agencyId, t.status),
    index('reports_target_idx').on(t.targetAgencyId),
    index('reports_region_idx').on(t.regionCode),
    /** Region-prefix lookups (`region_code like '64.72%'`) for similar reports and filters, by recency. */
    index('reports_region_prefix_idx').using('btree', sql`${t.regionCode} text_pattern_ops`, t.createdAt),
    /**
     * The citizen-side similar lookup (queries/similar-reports.ts): OPEN public reports by kab/kota prefix and
     * recency, so only those rows are read (keep the status list equal to the open PUBLIC_STATUSES).
     */
    index('reports_open_public_region_idx')
      .using('btree', sql`${t.regionCode} text_pattern_ops`, t.createdAt)
      .where(sql`status in ('dispatched', 'returned', 'in_progress', 'responded') and not confidential`),
    index('reports_created_idx').on(t.createdAt),
    index('reports_updated_idx').on(t.updatedAt),
    index('reports_due_idx').on(t.dueAt),
    /** Open311 geographic filters (bbox, lat/long/radius): a plain range on latitude, then longitude. */
    index('reports_lat_lon_idx').on(t.lat, t.lon),
    /**
     * Open311 geographic filters on small areas: 0.01° grid cells (GEO_CELLS_PER_DEGREE), in list order
     * (newest first) in each cell, so a radius or bbox list reads only the rows of the few cells it covers,
     * and only until the page is full (queries/open311.ts).
     */
    index('reports_geo_cell_idx')
      .on(sql`floor(${t.lat} * 100)`, sql`floor(${t.lon} * 100)`, t.createdAt, t.trackingId)
      .where(sql`lat is not null`),
    /**
     * Open311 `updated_after`: the public read model (PUBLIC_REPORT in queries/scope.ts, keep the status list
     * equal to PUBLIC_STATUSES or the planner stops using it) by update time, with the paging columns, so
     * the page is picked by an index-only scan.
     */
    index('reports_public_updated_idx')
      .on(t.updatedAt, t.createdAt, t.trackingId, t.id, t.status)
      .where(
        sql`status in ('dispatched', 'returned', 'in_progress', 'responded', 'completed', 'transferred') and not confidential`,
      ),
    // fastupdate off (migration 0040): no pending list for every lookup to scan, no merge on a citizen's insert.
    index('reports_search_idx').using('gin', t.search).with({ fastupdate: false }),
  ],
);

/**
 * The append-only, hash-chained timeline of a report: every state change, follow-up, note and comment.
 * A trigger forbids UPDATE and DELETE; `aduan audit verify` walks the chain.
 */
export const reportEvents = pgTable(
  'report_events',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    reportId: uuid('report_id').notNull(),
    seq: integer('seq').notNull(),
    type: text('type').notNull(),
    /** public: anyone who may see the report; reporter: reporter and staff; internal: staff in scope. */
    visibility: text('visibility').notNull(),
    actorUserId: uuid('actor_user_id'),
    actorRole: text('actor_role'),
    actorAgencyId: text('actor_agency_id'),
    fromStatus: text('from_status'),
    toStatus: text('to_status'),
    body: text('body'),
    data: jsonb('data').notNull().default({}),
    createdAt: ts('created_at').notNull(),
    prevHash: text('prev_hash'),
    hash: text('hash').notNull(),
  },
  (t) => [
    uniqueIndex('report_events_report_seq_idx').on(t.reportId, t.seq),
    // The routing accuracy page counts verifications and bukan-wewenang returns by month (a small share of events).
    index('report_events_verify_return_idx')
      .on(t.createdAt)
      .where(sql`type in ('verify', 'return')`),
  ],
);

/** Every deadline a report has had: which clock, which rule version, when due, and whether it was met. */
export const reportDeadlines = pgTable(
  'report_deadlines',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    reportId: uuid('report_id').notNull(),
    clock: text('clock').notNull(),
    agencyId: text('agency_id'),
    ruleId: text('rule_id').notNull(),
    ruleVersion: integer('rule_version').notNull(),
    startedAt: ts('started_at').notNull(),
    dueAt: ts('due_at').notNull(),
    explanation: jsonb('explanation').notNull(),
    stoppedAt: ts('stopped_at'),
    met: boolean('met'),
  },
  (t) => [
    index('report_deadlines_report_idx').on(t.reportId),
    index('report_deadlines_open_idx').on(t.dueAt),
    /** Running clocks by due time: the sweeper's range scans (issue 4 benchmark). */
    index('report_deadlines_running_idx')
      .on(t.dueAt, t.id)
      .where(sql`stopped_at is null`),
    /** Running clocks by start: clocks started since the sweeper's watermark (incremental sweeps). */
    index('report_deadlines_running_started_idx')
      .on(t.startedAt)
      .where(sql`stopped_at is null`),
  ],
);

/** Files attached to a report or to one of its events. */
export const attachments = pgTable(
  'attachments',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    reportId: uuid('report_id').notNull(),
    eventId: integer('event_id'),
    /**
     * The neutral name `lampiran-<first 8 of the id>.<ext>`. Rows written before migration 0025 may still hold
     * the uploader's own name here, with `filename_enc` null, until they are sealed (docs/security.md).
     */
    filename: text('filename').notNull(),
    /** The uploader's own file name, sealed: it often carries a NIK or a name ("KTP-6472….jpg"). */
    filenameEnc: text('filename_enc'),
    mime: text('mime').notNull(),
    size: integer('size').notNull(),
    sha256: text('sha256').notNull(),
    storageKey: text('storage_key').notNull(),
    uploadedBy: text('uploaded_by').notNull(),
    createdAt: ts('created_at').notNull().defaultNow(),
    /**
     * An image from the body of an emailed complaint (a Content-ID part the HTML shows: a signature logo, the
     * sender's photo; `isInlinePart`), not a file the sender attached. On an anonim report it is
     * withheld from everyone who may not see the reporter until a verifier releases it (docs/security.md).
     */
    emailInline: boolean('email_inline').notNull().default(false),
    /** When a verifier released a withheld inline image to the agency (the `attachment_release` event says who). */
    releasedAt: ts('released_at'),
  },
  (t) => [index('attachments_report_idx').on(t.reportId)],
);

/** One support (dukungan) per person or device per report. */
export const supports = pgTable(
  'supports',
  {
    reportId: uuid('report_id').notNull(),
    supporterKey: text('supporter_key').notNull(),
    createdAt: ts('created_at').notNull().defaultNow(),
    /**
     * A signed-in supporter who asked to be told by email of the agency's follow-ups and the report's completion:
     * the language of those emails (`id`/`en`); null for everyone else (devices cannot be told anything).
     */
    notifyLang: text('notify_lang'),
  },
  (t) => [primaryKey({ columns: [t.reportId, t.supporterKey] })],
);

/** National holidays, cuti bersama and regional holidays (region_code set), per date. */
export const holidays = pgTable(
  'holidays',
  {
    id: serial('id').primaryKey(),
    date: date('date', { mode: 'string' }).notNull(),
    name: text('name').notNull(),
    kind: text('kind').notNull(),
    regionCode: text('region_code'),
    /** A prediction ("perkiraan") not yet set by the SKB 3 Menteri: counts like any holiday, shown as such. */
    tentative: boolean('tentative').notNull().default(false),
  },
  (t) => [uniqueIndex('holidays_date_region_idx').on(t.date, t.regionCode)],
);

/** SLA rules as versioned data (domain.md §5.4). */
export const slaRules = pgTable(
  'sla_rules',
  {
    id: text('id').notNull(),
    version: integer('version').notNull(),
    clock: text('clock').notNull(),
    classification: text('classification'),
    supervisory: boolean('supervisory'),
    /** Length of the limit, in `day_unit` days (the column predates calendar-day rules). */
    workingDays: integer('working_days').notNull(),
    /** `working` (hari kerja) or `calendar` days (DAY_UNITS in src/domain/deadline/sla.ts). */
    dayUnit: text('day_unit').notNull().default('working'),
    basis: text('basis').notNull(),
    validFrom: date('valid_from', { mode: 'string' }).notNull(),
    /**
     * The region whose Pergub/Perwali sets the rule (Kemendagri code, `64`, `64.71`); null = national. Regional ids
     * carry the region as a prefix (`64:verification`), so (id, version) stays unique.
     */
    regionCode: text('region_code'),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.id, t.version] })],
);

/** Transactional outbox: messages written with the state change, delivered by the worker. */
export const outbox = pgTable(
  'outbox',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    kind: text('kind').notNull(),
    channel: text('channel').notNull(),
    recipient: text('recipient'),
    reportId: uuid('report_id'),
    payload: jsonb('payload').notNull(),
    idempotencyKey: text('idempotency_key').notNull().unique(),
    status: text('status').notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: ts('next_attempt_at').notNull().defaultNow(),
    lockedUntil: ts('locked_until'),
    lastError: text('last_error'),
    createdAt: ts('created_at').notNull().defaultNow(),
    sentAt: ts('sent_at'),
  },
  (t) => [index('outbox_due_idx').on(t.status, t.nextAttemptAt)],
);

/** Every view of decrypted personal data (reporter identity, NIK, phone) is logged here. */
export const piiAccessLog = pgTable(
  'pii_access_log',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    userId: uuid('user_id'),
    reportId: uuid('report_id'),
    subjectUserId: uuid('subject_user_id'),
    purpose: text('purpose').notNull(),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [index('pii_access_log_report_idx').on(t.reportId)],
);

/** Fixed-window counters for rate limits and login throttling, shared by every web process. */
export const rateLimits = pgTable(
  'rate_limits',
  {
    key: text('key').notNull(),
    windowStart: ts('window_start').notNull(),
    count: integer('count').notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.key, t.windowStart] })],
);

/** API keys for partners (Open311 clients, agency systems); only a hash is stored. */
export const apiKeys = pgTable('api_keys', {
  id: uuid('id').primaryKey().defaultRandom(),
  name: text('name').notNull(),
  keyHash: text('key_hash').notNull().unique(),
  agencyId: text('agency_id'),
  scopes: jsonb('scopes').notNull().default([]),
  createdAt: ts('created_at').notNull().defaultNow(),
  revokedAt: ts('revoked_at'),
  /** Last request made with the key (updated at most once a minute; shown on /kantor/integrasi). */
  lastUsedAt: ts('last_used_at'),
});

/** Key/value settings of this instance (demo flag, schema seed versions). */
export const settings = pgTable('settings', {
  key: text('key').primaryKey(),
  value: jsonb('value').notNull(),
});

/**
 * Open311 submissions: which partner key filed which report, the batch token, and what the partner sent
 * (service attributes, media_url). The access key is sealed so the partner can act as the reporter
 * (POST servicerequestupdates) without aduan ever storing it in clear.
 */
export const open311Requests = pgTable(
  'open311_requests',
  {
    reportId: uuid('report_id').primaryKey(),
    apiKeyId: uuid('api_key_id').notNull(),
    token: text('token').notNull().unique(),
    serviceType: text('service_type').notNull(),
    attributes: jsonb('attributes').notNull().default({}),
    mediaUrl: text('media_url'),
    accessKeyEnc: text('access_key_enc').notNull(),
    /** Federation: instances this request has passed through (loop prevention). */
    hops: jsonb('hops').notNull().default([]),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [index('open311_requests_key_idx').on(t.apiKeyId, t.createdAt)],
);

/**
 * Idempotency keys of report intake (docs/adr/0014-idempotent-report-intake.md): one row per (caller scope, key),
 * written by the same statement as the report it names, so a retried submission finds it instead of filing again.
 * Holds no personal data: the scope and key only as a sha256 (`key_hash`), the normalised request only as a sha256,
 * the reporter's access key only sealed. Rows older than IDEMPOTENCY_TTL_MS are ignored and purged by the sweeper.
 */
export const reportIdempotencyKeys = pgTable(
  'report_idempotency_keys',
  {
    keyHash: text('key_hash').primaryKey(),
    requestHash: text('request_hash').notNull(),
    reportId: uuid('report_id').notNull(),
    accessKeyEnc: text('access_key_enc').notNull(),
    createdAt: ts('created_at').notNull(),
  },
  (t) => [index('report_idempotency_keys_created_idx').on(t.createdAt)],
);

/** Submissions to the Open311 test endpoint: validated like production, stored apart, never dispatched. */
export const open311Sandbox = pgTable('open311_sandbox', {
  id: text('id').primaryKey(),
  token: text('token').notNull().unique(),
  apiKeyId: uuid('api_key_id').notNull(),
  serviceCode: text('service_code').notNull(),
  serviceType: text('service_type').notNull(),
  request: jsonb('request').notNull(),
  createdAt: ts('created_at').notNull().defaultNow(),
});

/** POST servicerequestupdates received from partners; (api key, update_id) is unique so replays are refused. */
export const open311Updates = pgTable(
  'open311_updates',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    apiKeyId: uuid('api_key_id').notNull(),
    updateId: text('update_id').notNull(),
    reportId: uuid('report_id').notNull(),
    eventId: integer('event_id'),
    status: text('status').notNull(),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [uniqueIndex('open311_updates_key_update_idx').on(t.apiKeyId, t.updateId)],
);

/** Inbound channel messages (SMS, email) by the gateway's id, so that gateway retries are ignored. */
export const inboundMessages = pgTable(
  'inbound_messages',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    channel: text('channel').notNull(),
    externalId: text('external_id').notNull(),
    senderHash: text('sender_hash'),
    reportId: uuid('report_id'),
    outcome: text('outcome'),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [uniqueIndex('inbound_messages_channel_external_idx').on(t.channel, t.externalId)],
);

/** Agency webhook subscriptions (per event type); the signing secret is sealed. */
export const agencyWebhooks = pgTable(
  'agency_webhooks',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    agencyId: text('agency_id').notNull(),
    url: text('url').notNull(),
    events: jsonb('events').notNull().default([]),
    secretEnc: text('secret_enc').notNull(),
    active: boolean('active').notNull().default(true),
    /** Paused by an admin: kept and listed, but no deliveries are queued until resumed. */
    pausedAt: ts('paused_at'),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [index('agency_webhooks_agency_idx').on(t.agencyId)],
);

/**
 * What the deadline sweeper has done, one row per (action, deadline/report, step): the unique key makes
 * every sweep action idempotent (never remind twice for the same deadline). See docs/worker.md.
 */
export const sweepLog = pgTable(
  'sweep_log',
  {
    key: text('key').primaryKey(),
    reportId: uuid('report_id').notNull(),
    deadlineId: integer('deadline_id'),
    action: text('action').notNull(),
    agencyId: text('agency_id'),
    ruleVersion: integer('rule_version'),
    data: jsonb('data').notNull().default({}),
    createdAt: ts('created_at').notNull(),
  },
  (t) => [
    index('sweep_log_report_idx').on(t.reportId),
    index('sweep_log_action_agency_idx').on(t.action, t.agencyId),
  ],
);

/**
 * Routing models as versioned data (issue 7): one row per training run and kind; the `active` row of
 * each kind serves suggestions. `model` is the serialised classifier (docs/routing.md).
 */
export const routingModels = pgTable(
  'routing_models',
  {
    id: serial('id').primaryKey(),
    version: integer('version').notNull(),
    /** 'agency' | 'category' | 'classification' */
    kind: text('kind').notNull(),
    trainedAt: ts('trained_at').notNull(),
    trainingRows: integer('training_rows').notNull(),
    metrics: jsonb('metrics').notNull().default({}),
    model: jsonb('model').notNull(),
    active: boolean('active').notNull().default(false),
  },
  (t) => [
    uniqueIndex('routing_models_kind_version_idx').on(t.kind, t.version),
    index('routing_models_active_idx').on(t.kind, t.active),
  ],
);

/** Every routing suggestion shown to a verifier, and whether the verifier's decision followed it. */
export const routingSuggestions = pgTable(
  'routing_suggestions',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    reportId: uuid('report_id').notNull(),
    modelId: integer('model_id'),
    /** 'agency' | 'category' */
    kind: text('kind').notNull(),
    /** Ranked [{ label, confidence }] as shown. */
    suggestions: jsonb('suggestions').notNull(),
    topLabel: text('top_label'),
    topConfidence: doublePrecision('top_confidence'),
    shownTo: uuid('shown_to'),
    shownAt: ts('shown_at').notNull(),
    /** What the verifier chose at the next verify (null until then). */
    chosenLabel: text('chosen_label'),
    accepted: boolean('accepted'),
    inTop3: boolean('in_top3'),
    decidedAt: ts('decided_at'),
  },
  (t) => [
    index('routing_suggestions_report_idx').on(t.reportId, t.kind),
    index('routing_suggestions_shown_idx').on(t.shownAt),
    // The routing accuracy page reads the open month's decisions (closed months are cached): a few per cent of rows.
    index('routing_suggestions_decided_idx')
      .on(t.decidedAt)
      .where(sql`decided_at is not null`),
    // The auto-dispatch admin page lists recent auto-dispatches (a few per cent of the rows).
    index('routing_suggestions_auto_dispatch_idx')
      .on(t.shownAt)
      .where(sql`kind = 'auto_dispatch' and accepted`),
  ],
);

/** Statistics (issue 6): the indicator facts of one report, recomputed by `refreshStats` when it changes. */
export const statsReportFacts = pgTable(
  'stats_report_facts',
  {
    reportId: uuid('report_id').primaryKey(),
    /** The report's tracking number (never changes): the open-data rows' order after the date, by index. */
    trackingId: text('tracking_id').notNull(),
    createdDate: date('created_date', { mode: 'string' }).notNull(),
    month: text('month').notNull(),
    agencyId: text('agency_id'),
    agencyPath: text('agency_path'),
    regionCode: text('region_code'),
    confidential: boolean('confidential').notNull(),
    /** Verified, not confidential: may appear in open data. */
    isPublic: boolean('is_public').notNull(),
    /** Earliest due time of a running staff clock (verification, follow-up, completion); overdue when past. */
    openDueAt: ts('open_due_at'),
    /** Typed copies for SQL aggregation (src/domain/stats/rollup.ts): group keys, counters, histogram buckets. */
    categoryId: integer('category_id'),
    classification: text('classification'),
    channel: text('channel'),
    counters: integer('counters').array(),
    bFollowUp: smallint('b_follow_up'),
    bFollowUpHours: smallint('b_follow_up_hours'),
    bCompletion: smallint('b_completion'),
    /** The StatsFact (src/domain/stats/aggregate.ts) plus the open-data columns. */
    fact: jsonb('fact').notNull(),
    refreshedAt: ts('refreshed_at').notNull(),
  },
  (t) => [
    /** National edge days of a statistics range (docs/statistics.md). */
    index('stats_report_facts_created_idx').on(t.createdDate),
    /** Open-data rows in their order (date of receipt, tracking number): each page of a download reads its rows only. */
    index('stats_report_facts_public_order_idx')
      .on(t.createdDate, t.trackingId)
      .where(sql`is_public`),
    /**
     * Completed public reports by closing time (the fact's ISO text, so a range of text is a range of time): the
     * monthly report's notable cases read one month's (`notableResolvedCases`), not every fact.
     */
    index('stats_report_facts_closed_idx')
      .on(sql`(${t.fact}->>'closedAt')`)
      .where(sql`is_public and (fact->>'completed')::boolean`),
    index('stats_report_facts_month_idx').on(t.month),
    index('stats_report_facts_due_idx').on(t.openDueAt),
    index('stats_report_facts_path_idx').on(t.agencyPath),
    /** Scoped dashboards: agency subtree (`path like '/a/b/%'`) and region prefix within a date range. */
    index('stats_report_facts_path_prefix_idx').on(t.agencyPath.op('text_pattern_ops'), t.createdDate),
    index('stats_report_facts_region_prefix_idx').on(t.regionCode.op('text_pattern_ops'), t.createdDate),
  ],
);

/**
 * Statistics roll-up (docs/statistics.md): summed counters `c` and bucketed histograms `h`
 * (src/domain/stats/rollup.ts) per scope (`*`, `a:<agency id>` for each agency on the path, `r:<province>`,
 * `r:<kab/kota>`), dimension, group key and time bucket (`grain` m = month for every scope; y, q, w =
 * year, quarter, ISO week for `*` and provinces; `bucket` = first day). Maintained by `refreshStats`.
 */
export const statsRollup = pgTable(
  'stats_rollup',
  {
    scope: text('scope').notNull(),
    dim: text('dim').notNull(),
    grain: text('grain').notNull(),
    bucket: date('bucket', { mode: 'string' }).notNull(),
    key: text('key').notNull(),
    c: integer('c').array().notNull(),
    h: integer('h').array().notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.scope, t.dim, t.grain, t.bucket, t.key] }),
    /** Rebuilding one bucket (delete, sum months into quarters and years). */
    index('stats_rollup_bucket_idx').on(t.grain, t.bucket),
  ],
);

/** Published open-data snapshot files (daily) with their checksum. */
export const openDataSnapshots = pgTable('open_data_snapshots', {
  id: serial('id').primaryKey(),
  createdAt: ts('created_at').notNull(),
  path: text('path').notNull(),
  sha256: text('sha256').notNull(),
  rows: integer('rows').notNull(),
});

/** Evaluation periods (e.g. 2026) with versioned weights, predikat thresholds and minimum volume. */
export const evaluationPeriods = pgTable('evaluation_periods', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  fromDate: date('from_date', { mode: 'string' }).notNull(),
  toDate: date('to_date', { mode: 'string' }).notNull(),
  weightsVersion: integer('weights_version').notNull().default(1),
  weights: jsonb('weights').notNull(),
  thresholds: jsonb('thresholds').notNull(),
  minVolume: integer('min_volume').notNull().default(10),
  createdAt: ts('created_at').notNull().defaultNow(),
});

/** Participant groups of a period; `scope` says whether indicators cover an agency subtree or a region. */
export const evaluationGroups = pgTable('evaluation_groups', {
  id: text('id').primaryKey(),
  periodId: text('period_id').notNull(),
  name: text('name').notNull(),
  scope: text('scope').notNull(),
  award: text('award').notNull().default('complaint_handling'),
});

/** A participant agency in a group, with the website and social-media URLs it is judged on. */
export const evaluationParticipants = pgTable(
  'evaluation_participants',
  {
    groupId: text('group_id').notNull(),
    agencyId: text('agency_id').notNull(),
    websiteUrl: text('website_url'),
    socialUrl: text('social_url'),
  },
  (t) => [primaryKey({ columns: [t.groupId, t.agencyId] })],
);

/** An assessor's rubric score for a participant, with justification and evidence files. */
export const evaluationRubricScores = pgTable(
  'evaluation_rubric_scores',
  {
    id: serial('id').primaryKey(),
    periodId: text('period_id').notNull(),
    agencyId: text('agency_id').notNull(),
    indicator: text('indicator').notNull(),
    assessorUserId: uuid('assessor_user_id').notNull(),
    score: doublePrecision('score').notNull(),
    justification: text('justification').notNull(),
    evidence: jsonb('evidence').notNull().default([]),
    createdAt: ts('created_at').notNull(),
  },
  (t) => [
    uniqueIndex('evaluation_rubric_unique_idx').on(t.periodId, t.agencyId, t.indicator, t.assessorUserId),
  ],
);

/** Published evaluation results: the computed rankings plus a sha256 over every input. */
export const evaluationResults = pgTable('evaluation_results', {
  id: serial('id').primaryKey(),
  periodId: text('period_id').notNull(),
  publishedAt: ts('published_at').notNull(),
  snapshotSha256: text('snapshot_sha256'),
  inputsSha256: text('inputs_sha256').notNull(),
  result: jsonb('result').notNull(),
});

/**
 * Drafts of the multi-step web report form (issue 3): the answers so far, sealed with the instance key
 * because they hold personal data, kept server-side so the journey works without JavaScript. The draft id
 * travels in an httpOnly cookie; expired rows are deleted when a new draft is saved.
 */
export const formDrafts = pgTable(
  'form_drafts',
  {
    id: text('id').primaryKey(),
    dataEnc: text('data_enc').notNull(),
    createdAt: ts('created_at').notNull(),
    updatedAt: ts('updated_at').notNull(),
    expiresAt: ts('expires_at').notNull(),
  },
  (t) => [index('form_drafts_expires_idx').on(t.expiresAt)],
);

/**
 * The reporter's access key, sealed, for reports filed through SMS or email: lets the channel act as the
 * reporter (INFO by SMS from the same number, email replies carrying a signed token) without ever
 * storing the key in clear.
 */
export const channelAccess = pgTable('channel_access', {
  reportId: uuid('report_id').primaryKey(),
  channel: text('channel').notNull(),
  accessKeyEnc: text('access_key_enc').notNull(),
  createdAt: ts('created_at').notNull().defaultNow(),
});

/**
 * One-time account tokens (citizen email verification): only the sha256 of the token is stored, the clear
 * token travels once in the emailed link. `usedAt` makes each token single-use.
 */
export const accountTokens = pgTable(
  'account_tokens',
  {
    id: text('id').primaryKey(),
    userId: uuid('user_id').notNull(),
    purpose: text('purpose').notNull(),
    expiresAt: ts('expires_at').notNull(),
    usedAt: ts('used_at'),
    createdAt: ts('created_at').notNull(),
  },
  (t) => [index('account_tokens_user_idx').on(t.userId)],
);

/**
 * Staff invitations (docs/back-office.md): an admin (or the operator's CLI) names an address, a name, a role and an
 * agency; the address's owner accepts through the emailed link. Only the sha256 of the link's token is stored; a
 * resend replaces it (the old link dies). Nothing here depends on whether the address already has an account, so
 * no admin surface tells the cases apart. `agencyId` is null only for an operator's national-admin invitation.
 */
export const staffInvitations = pgTable(
  'staff_invitations',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /** Lower-cased address. */
    email: text('email').notNull(),
    name: text('name').notNull(),
    role: text('role').notNull(),
    agencyId: text('agency_id'),
    /** The admin who invited; null for the operator (`aduan users invite`). */
    invitedBy: uuid('invited_by'),
    tokenHash: text('token_hash').notNull(),
    createdAt: ts('created_at').notNull(),
    /** When the current link was sent (creation, or the last resend). */
    sentAt: ts('sent_at').notNull(),
    expiresAt: ts('expires_at').notNull(),
    acceptedAt: ts('accepted_at'),
    acceptedUserId: uuid('accepted_user_id'),
    revokedAt: ts('revoked_at'),
  },
  (t) => [
    uniqueIndex('staff_invitations_token_idx').on(t.tokenHash),
    index('staff_invitations_agency_idx').on(t.agencyId),
  ],
);

/**
 * In-app notifications for staff (issue 4): one row per staff recipient and event, written by the fan-out in
 * the same transaction as the email/SMS rows. The back office shows the unread count; daily digests read them.
 */
export const notifications = pgTable(
  'notifications',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    userId: uuid('user_id').notNull(),
    reportId: uuid('report_id'),
    kind: text('kind').notNull(),
    title: text('title').notNull(),
    /** Fan-out key `<eventKey>:user:<id>`: re-running a fan-out never notifies twice. */
    dedupeKey: text('dedupe_key').notNull().unique(),
    readAt: ts('read_at'),
    createdAt: ts('created_at').notNull(),
  },
  (t) => [index('notifications_user_idx').on(t.userId, t.createdAt)],
);

/** A user's notification channels and whether staff get one daily digest instead of a message per event. */
export const notificationPreferences = pgTable('notification_preferences', {
  userId: uuid('user_id').primaryKey(),
  email: boolean('email').notNull().default(true),
  sms: boolean('sms').notNull().default(false),
  inApp: boolean('in_app').notNull().default(true),
  digest: boolean('digest').notNull().default(false),
  lang: text('lang').notNull().default('id'),
  updatedAt: ts('updated_at').notNull(),
});

/**
 * Automated website / social-media audits of evaluation participants (axe-core in headless Chromium,
 * page load, same-origin links, complaint channel or LAPOR! link): evidence shown next to the
 * assessors' `website` / `media_sosial` rubric scores (src/integrations/site-audit.ts).
 */
export const evaluationSiteAudits = pgTable(
  'evaluation_site_audits',
  {
    id: serial('id').primaryKey(),
    periodId: text('period_id').notNull(),
    agencyId: text('agency_id').notNull(),
    /** `website` or `media_sosial`. */
    kind: text('kind').notNull(),
    url: text('url').notNull(),
    ranAt: ts('ran_at').notNull(),
    /** Suggested 0–100 from the checks (assessors still decide the rubric score). */
    score: integer('score').notNull(),
    /** The SiteAuditResult JSON (checks, axe violations, broken links). */
    result: jsonb('result').notNull(),
  },
  (t) => [index('evaluation_site_audits_period_idx').on(t.periodId, t.agencyId)],
);

/**
 * Federation between aduan instances (docs/integrations.md): one row per report that crossed an
 * instance boundary. `direction = 'in'`: a report we received; (origin_instance, origin_request_id) is
 * unique so a replayed forward returns the same report. `direction = 'out'`: a report we forwarded to
 * `peer_instance` (the key `out:<peer>:<tracking>` makes forwarding idempotent too).
 */
export const federationLinks = pgTable(
  'federation_links',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    direction: text('direction').notNull(),
    reportId: uuid('report_id').notNull(),
    peerInstance: text('peer_instance').notNull(),
    originInstance: text('origin_instance').notNull(),
    originRequestId: text('origin_request_id').notNull(),
    /** The peer's own id of the request (in: the sender's tracking number, updates go back to it). */
    peerRequestId: text('peer_request_id'),
    hops: jsonb('hops').notNull().default([]),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('federation_links_origin_idx').on(
      t.direction,
      t.peerInstance,
      t.originInstance,
      t.originRequestId,
    ),
    index('federation_links_report_idx').on(t.reportId),
  ],
);

/** Other aduan instances this one forwards to: their Open311 base URL and our API key there (sealed). */
export const federationPeers = pgTable('federation_peers', {
  instanceId: text('instance_id').primaryKey(),
  baseUrl: text('base_url').notNull(),
  apiKeyEnc: text('api_key_enc').notNull(),
  createdAt: ts('created_at').notNull().defaultNow(),
});

/**
 * Administration audit log (docs/security.md "Administration audit log"): one row per administrative change (a role
 * granted or revoked, an account deactivated, an invitation, an agency or category edited, an integration key...),
 * written in the same transaction as the change by `recordAdminAction`. Append-only: no code updates or deletes it.
 * `actor_user_id` is null for the operator's CLI or the system (`actor_label` then says which); `agency_id` is the
 * agency concerned, for a coordinator's scope; `details` holds before/after values: ids, names of agencies and
 * categories, role names, dates; never a secret, a token, a password or a reporter's identity.
 */
export const adminAuditLog = pgTable(
  'admin_audit_log',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    createdAt: ts('created_at').notNull().defaultNow(),
    actorUserId: uuid('actor_user_id'),
    actorLabel: text('actor_label'),
    action: text('action').notNull(),
    targetType: text('target_type').notNull(),
    targetId: text('target_id').notNull(),
    agencyId: text('agency_id'),
    details: jsonb('details').notNull().default({}),
  },
  (t) => [
    index('admin_audit_log_created_idx').on(t.createdAt),
    index('admin_audit_log_agency_idx').on(t.agencyId, t.createdAt),
  ],
);
