/**
 * The only reader of process.env: parsed once, failing fast with a clear message.
 * Variables are documented in README.md and docs/api-v1.md ("Running").
 */
import { isIP } from 'node:net';
import { resolve } from 'node:path';
import { z } from 'zod';
import { parseKey, parseKeyList } from './integrations/crypto.ts';
import { WEBHOOK_HOLD_DAYS_DEFAULT } from './domain/integration/webhook-events.ts';
import { t, type Lang } from './locales/index.ts';
import { ROUTING_TRAINING_MAX_ROWS } from './domain/routing/types.ts';
import { DEFAULT_HOME_ZONE, TIME_ZONES, type ZoneName } from './domain/report/report.ts';

const bool = z
  .enum(['0', '1', 'true', 'false', 'yes', 'no', ''])
  .optional()
  .transform((v) => (v === undefined || v === '' ? undefined : ['1', 'true', 'yes'].includes(v)));

/**
 * Problems are reported as message keys (`cli.messages.config.<key>`, in src/locales/<lang>/cli.json) and put into
 * words in the command line's language by `loadConfig`; a variable checked by zod alone is explained by its
 * `config.field.<NAME>` text.
 */
const KEY = 'config.';

/**
 * A whole number of at least `min` in decimal digits, or unset/empty (undefined): "5s", "24h" or "1e3" are refused
 * with the message `key` (Number() made them NaN, and the worker then polled without pause or never retrained).
 */
function whole(key: string, min: number) {
  return z
    .string()
    .optional()
    .transform((v, ctx) => {
      const t = v?.trim() ?? '';
      if (t === '') return undefined;
      const n = Number(t);
      if (!/^\d+$/.test(t) || n < min || !Number.isSafeInteger(n)) {
        ctx.addIssue({ code: 'custom', message: `${KEY}${key}` });
        return z.NEVER;
      }
      return n;
    });
}

const EnvSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default('127.0.0.1'),
  ADUAN_DATA_DIR: z.string().default('./data'),
  DATABASE_URL: z
    .string()
    .url()
    .optional()
    .or(z.literal('').transform(() => undefined)),
  ADUAN_DEMO: bool,
  ADUAN_DEMO_PASSWORD: z.string().min(8).default('demo-aduan-2026'),
  ADUAN_DEMO_OPEN311_KEY: z.string().min(8).default('demo-open311-key'),
  /**
   * 32-byte key (hex or base64) for encrypting personal data at rest; generated into the data dir when absent
   * (embedded database only: required with DATABASE_URL, see runtime.ts).
   */
  ADUAN_SECRET_KEY: z
    .string()
    .optional()
    .transform((v) => (v?.trim() ? v : undefined))
    .refine((v) => v === undefined || isKey(v), {
      message: `${KEY}secret_key`,
    }),
  /** Previous keys after a rotation (comma separated): they open older envelopes, nothing is sealed with them. */
  ADUAN_PREVIOUS_SECRET_KEYS: z
    .string()
    .optional()
    .refine((v) => v === undefined || isKeyList(v), {
      message: `${KEY}previous_keys`,
    }),
  /** Base URL of links sent to reporters: scheme, host and port only, kept without a trailing slash. */
  ADUAN_PUBLIC_URL: z
    .string()
    .optional()
    .transform((v, ctx) => {
      if (!v?.trim()) return undefined;
      const problem = publicUrlProblem(v.trim());
      if (problem) {
        ctx.addIssue({ code: 'custom', message: `${KEY}public_url.${problem.key}`, params: problem.params });
        return z.NEVER;
      }
      return new URL(v.trim()).origin;
    }),
  /**
   * Which proxies may set X-Forwarded-For (Fastify's trustProxy): unset/false = none (direct connections),
   * true = any, or comma-separated addresses/CIDRs (e.g. 127.0.0.1 behind a local nginx). No hop count: Fastify 5
   * ignores one (it cannot check the proxy's own address), so it is refused rather than silently trusting nobody.
   */
  ADUAN_TRUST_PROXY: z
    .string()
    .optional()
    .transform((v, ctx) => {
      const parsed = parseTrustProxy(v);
      if (parsed === null) {
        ctx.addIssue({
          code: 'custom',
          message: `${KEY}trust_proxy`,
        });
        return z.NEVER;
      }
      return parsed;
    }),
  ADUAN_WORKER: bool,
  /** Hours between the worker's routing retrainings (0 = off; docs/worker.md). */
  ADUAN_ROUTING_TRAIN_HOURS: whole('routing_train_hours', 0),
  /** At most this many verified reports (the newest) per routing training (0 = the whole history; docs/routing.md). */
  ADUAN_ROUTING_TRAIN_MAX_ROWS: whole('routing_train_max_rows', 0),
  /** Worker tuning (docs/worker.md): poll interval, claimed batch size, delivery lease. */
  ADUAN_WORKER_POLL_MS: whole('worker_poll_ms', 100),
  ADUAN_WORKER_BATCH: whole('worker_batch', 1),
  ADUAN_WORKER_LEASE_MS: whole('worker_lease_ms', 1000),
  /** Days a held agency webhook delivery (paused subscription, deactivated agency) waits before it expires unsent. */
  ADUAN_WEBHOOK_HOLD_DAYS: whole('webhook_hold_days', 1),
  /** Report submissions per minute per client IP (JSON API and forms). */
  ADUAN_RATE_LIMIT_SUBMIT: z.coerce.number().int().min(1).default(20),
  /** Sign-in attempts per minute per client IP. */
  ADUAN_RATE_LIMIT_LOGIN: z.coerce.number().int().min(1).default(10),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  SMTP_URL: z.string().optional(),
  MAIL_FROM: z.string().default('aduan <noreply@aduan.local>'),
  /** The address inbound mail reaches (`aduan smtp --address`, inbound-parse): emails to reporters reply to `local+<token>@domain`. */
  EMAIL_INBOUND_ADDRESS: z.string().email().optional(),
  /**
   * The instance's home time zone (WIB, WITA or WIT; case and spaces ignored): "today" of the public statistics and
   * the date of the daily open-data snapshot. Unset or empty: WITA (DEFAULT_HOME_ZONE).
   */
  ADUAN_TIME_ZONE: z
    .string()
    .optional()
    .transform((v, ctx) => {
      const t = v?.trim().toUpperCase() ?? '';
      if (t === '') return DEFAULT_HOME_ZONE;
      if (!(t in TIME_ZONES)) {
        ctx.addIssue({
          code: 'custom',
          message: `${KEY}time_zone`,
        });
        return z.NEVER;
      }
      return t as ZoneName;
    }),
  /** Licence of the open data, as a URL (the catalog's `license`); CC BY 4.0 when unset. */
  ADUAN_OPEN_DATA_LICENSE: z.url({ protocol: /^https?$/ }).optional(),
  /** Who publishes the open data (the catalog's `publisher`, e.g. "Diskominfo Provinsi Kalimantan Timur"). */
  ADUAN_OPEN_DATA_PUBLISHER: z.string().trim().min(1).max(200).optional(),
  /** Region (Kemendagri code) whose verifier queue gets SMS/email reports that name no known place. */
  ADUAN_INTAKE_REGION: z
    .string()
    .regex(/^\d{2}(\.\d{2}(\.\d{2}(\.\d{4})?)?)?$/)
    .optional(),
  SMS_GATEWAY_URL: z.string().url().optional(),
  SMS_GATEWAY_SECRET: z.string().optional(),
  /** `bearer:<token>` or `basic:<user>:<password>` (docs/worker.md). */
  SMS_GATEWAY_AUTH: z.string().optional(),
  /** JSON body template with {to} {text} {idempotencyKey} placeholders. */
  SMS_GATEWAY_TEMPLATE: z.string().optional(),
  OMBUDSMAN_ENDPOINT: z.string().url().optional(),
  /** Hosts agency webhooks and federation peers may use even on private/local addresses (comma list). */
  ADUAN_OUTBOUND_ALLOW_HOSTS: z.string().optional(),
  /** Bearer token `/metrics` asks for (trimmed; unset or blank = none: requests from this machine only). */
  ADUAN_METRICS_TOKEN: z
    .string()
    .optional()
    .transform((v) => v?.trim() || undefined),
  NODE_ENV: z.string().default('development'),
});

/** Parsed, typed configuration of one process. */
export interface Config {
  port: number;
  host: string;
  dataDir: string;
  databaseUrl: string | undefined;
  demo: boolean | undefined;
  demoPassword: string;
  demoOpen311Key: string;
  secretKey: string | undefined;
  previousSecretKeys: string | undefined;
  /** ADUAN_PUBLIC_URL without trailing slashes (origin only). */
  publicUrl: string | undefined;
  /** Proxies trusted for X-Forwarded-For (Fastify's trustProxy); false = the TCP peer is the client. */
  trustProxy: TrustProxy;
  /** Cookies with the Secure flag: the public URL is https, or NODE_ENV=production. */
  secureCookies: boolean;
  runWorker: boolean;
  /** Hours between routing retrainings by the worker (0 = off). */
  routingTrainEveryHours: number;
  /** At most this many verified reports (the newest) per routing training; 0 = the whole history. */
  routingTrainMaxRows: number;
  /** Worker tuning; undefined = the worker's defaults (src/jobs/worker.ts). */
  worker: { pollMs?: number; batchSize?: number; leaseMs?: number };
  /** Days a held agency webhook delivery waits before it expires unsent (ADUAN_WEBHOOK_HOLD_DAYS, default 14). */
  webhookHoldDays: number;
  logLevel: string;
  rateLimits: { submitPerMinute: number; loginPerMinute: number };
  smtpUrl: string | undefined;
  mailFrom: string;
  emailInboundAddress: string | undefined;
  /** ADUAN_TIME_ZONE: the home zone of the public statistics' "today" and of the daily open-data snapshot's date. */
  timeZone: ZoneName;
  /** ADUAN_OPEN_DATA_LICENSE and ADUAN_OPEN_DATA_PUBLISHER (the open-data catalog). */
  openData: { license: string | undefined; publisher: string | undefined };
  intakeRegion: string | undefined;
  smsGatewayUrl: string | undefined;
  smsGatewaySecret: string | undefined;
  smsGatewayAuth: string | undefined;
  smsGatewayTemplate: string | undefined;
  ombudsmanEndpoint: string | undefined;
  /** Hosts exempt from the outbound SSRF guard (lowercase names or addresses). */
  outboundAllowHosts: string[];
  /** Bearer token `/metrics` asks for; undefined = only requests made on this machine (http/metrics-access.ts). */
  metricsToken: string | undefined;
  production: boolean;
}

/** Proxies trusted for X-Forwarded-For, as Fastify's `trustProxy` takes them. */
export type TrustProxy = boolean | string[];

function isKey(text: string): boolean {
  try {
    parseKey(text);
    return true;
  } catch {
    return false;
  }
}

function isKeyList(text: string): boolean {
  try {
    parseKeyList(text);
    return true;
  } catch {
    return false;
  }
}

/** Why a public URL is refused (links are built as `${publicUrl}/path`), as a message key, or null. */
function publicUrlProblem(text: string): { key: string; params?: { origin: string } } | null {
  let u: URL;
  try {
    u = new URL(text);
  } catch {
    return { key: 'absolute' };
  }
  if (u.protocol !== 'https:' && u.protocol !== 'http:') return { key: 'scheme' };
  if (u.username || u.password) return { key: 'credentials' };
  if (u.pathname.replace(/\/+$/, '') !== '' || u.search || u.hash)
    return { key: 'origin_only', params: { origin: u.origin } };
  return null;
}

/** ADUAN_TRUST_PROXY as Fastify takes it, or null when invalid. */
function parseTrustProxy(text: string | undefined): TrustProxy | null {
  const t = (text ?? '').trim().toLowerCase();
  if (t === '' || t === 'false' || t === 'no' || t === '0') return false;
  if (t === 'true' || t === 'yes') return true;
  const entries = t.split(/[\s,]+/).filter(Boolean);
  const named = new Set(['loopback', 'linklocal', 'uniquelocal']);
  const valid = (e: string): boolean => {
    if (named.has(e)) return true;
    const [addr = '', bits, ...rest] = e.split('/');
    const family = isIP(addr);
    if (!family || rest.length) return false;
    if (bits === undefined) return true;
    return /^\d+$/.test(bits) && Number(bits) <= (family === 4 ? 32 : 128);
  };
  return entries.length > 0 && entries.every(valid) ? entries : null;
}

/** Thrown when the environment is invalid; the CLI prints it and exits 1. */
export class ConfigError extends Error {}

/**
 * A ConfigError whose text is `cli.messages.config.<key>` in the command line's language (`cliLanguage()`), for
 * the checks made after the environment parsed (src/runtime.ts).
 */
export function configError(key: string, params: Record<string, string | number> = {}): ConfigError {
  return new ConfigError(configText(key, params));
}

/** `cli.messages.config.<key>` in the command line's language. */
export function configText(key: string, params: Record<string, string | number> = {}): string {
  return t(cliLanguage(), `cli.messages.${KEY}${key}`, params);
}

/** One problem of the environment in words: its own message key, else the variable's rule, else zod's text. */
function problemText(lang: Lang, issue: z.core.$ZodIssue): string {
  if (issue.message.startsWith(KEY)) {
    const params = (issue as { params?: Record<string, string | number> }).params ?? {};
    return t(lang, `cli.messages.${issue.message}`, params);
  }
  const key = `cli.messages.${KEY}field.${String(issue.path[0] ?? '')}`;
  const text = t(lang, key);
  return text === key ? issue.message : text;
}

/**
 * The language of the command line's own texts (`--help`, usage errors, the commands' messages: src/cli/messages.ts):
 * `ADUAN_LANG` when it is `id` or `en`, else Indonesian when `LANG` starts with `id` (`id_ID.UTF-8`), else English,
 * the language of a server shell's usual `C.UTF-8` or `en_US.UTF-8`. Read on its own, before and without `loadConfig`: help never fails on other settings.
 */
export function cliLanguage(env: Record<string, string | undefined> = process.env): Lang {
  const chosen = env.ADUAN_LANG?.trim().toLowerCase();
  if (chosen === 'id' || chosen === 'en') return chosen;
  return env.LANG?.trim().toLowerCase().startsWith('id') ? 'id' : 'en';
}

/** Parses an environment (defaults to process.env) into a Config, or throws ConfigError listing every problem. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    const lang = cliLanguage(env);
    // One line per variable: a value can fail more than one of zod's checks (PORT "x": not a number, not whole).
    const lines = [
      ...new Set(parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${problemText(lang, i)}`)),
    ];
    throw new ConfigError(`${t(lang, `cli.messages.${KEY}invalid`)}\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  const production = e.NODE_ENV === 'production';
  return {
    port: e.PORT,
    host: e.HOST,
    dataDir: resolve(e.ADUAN_DATA_DIR),
    databaseUrl: e.DATABASE_URL,
    demo: e.ADUAN_DEMO,
    demoPassword: e.ADUAN_DEMO_PASSWORD,
    demoOpen311Key: e.ADUAN_DEMO_OPEN311_KEY,
    secretKey: e.ADUAN_SECRET_KEY,
    previousSecretKeys: e.ADUAN_PREVIOUS_SECRET_KEYS,
    publicUrl: e.ADUAN_PUBLIC_URL,
    trustProxy: e.ADUAN_TRUST_PROXY,
    secureCookies: production || e.ADUAN_PUBLIC_URL?.startsWith('https://') === true,
    runWorker: e.ADUAN_WORKER ?? true,
    routingTrainEveryHours: e.ADUAN_ROUTING_TRAIN_HOURS ?? 24,
    routingTrainMaxRows: e.ADUAN_ROUTING_TRAIN_MAX_ROWS ?? ROUTING_TRAINING_MAX_ROWS,
    worker: {
      ...(e.ADUAN_WORKER_POLL_MS !== undefined ? { pollMs: e.ADUAN_WORKER_POLL_MS } : {}),
      ...(e.ADUAN_WORKER_BATCH !== undefined ? { batchSize: e.ADUAN_WORKER_BATCH } : {}),
      ...(e.ADUAN_WORKER_LEASE_MS !== undefined ? { leaseMs: e.ADUAN_WORKER_LEASE_MS } : {}),
    },
    webhookHoldDays: e.ADUAN_WEBHOOK_HOLD_DAYS ?? WEBHOOK_HOLD_DAYS_DEFAULT,
    logLevel: e.LOG_LEVEL,
    rateLimits: { submitPerMinute: e.ADUAN_RATE_LIMIT_SUBMIT, loginPerMinute: e.ADUAN_RATE_LIMIT_LOGIN },
    smtpUrl: e.SMTP_URL,
    mailFrom: e.MAIL_FROM,
    emailInboundAddress: e.EMAIL_INBOUND_ADDRESS,
    timeZone: e.ADUAN_TIME_ZONE,
    openData: { license: e.ADUAN_OPEN_DATA_LICENSE, publisher: e.ADUAN_OPEN_DATA_PUBLISHER },
    intakeRegion: e.ADUAN_INTAKE_REGION,
    smsGatewayUrl: e.SMS_GATEWAY_URL,
    smsGatewaySecret: e.SMS_GATEWAY_SECRET,
    smsGatewayAuth: e.SMS_GATEWAY_AUTH,
    smsGatewayTemplate: e.SMS_GATEWAY_TEMPLATE,
    ombudsmanEndpoint: e.OMBUDSMAN_ENDPOINT,
    outboundAllowHosts: (e.ADUAN_OUTBOUND_ALLOW_HOSTS ?? '')
      .split(/[\s,]+/)
      .map((h) =>
        h
          .trim()
          .toLowerCase()
          .replace(/^\[(.*)\]$/, '$1'),
      )
      .filter(Boolean),
    metricsToken: e.ADUAN_METRICS_TOKEN,
    production,
  };
}
