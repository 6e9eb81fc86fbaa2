/**
 * The only reader of process.env: parsed once, failing fast with a clear message.
 * Variables are documented in README.md and docs/api-v1.md ("Running").
 */
import { resolve } from 'node:path';
import { z } from 'zod';

const bool = z
  .enum(['0', '1', 'true', 'false', 'yes', 'no', ''])
  .optional()
  .transform((v) => (v === undefined || v === '' ? undefined : ['1', 'true', 'yes'].includes(v)));

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
  /** 32-byte key (hex or base64) for encrypting personal data at rest; generated into the data dir when absent. */
  ADUAN_SECRET_KEY: z.string().optional(),
  /** Previous keys after a rotation (comma separated): they open older envelopes, nothing is sealed with them. */
  ADUAN_PREVIOUS_SECRET_KEYS: z.string().optional(),
  ADUAN_PUBLIC_URL: z.string().url().optional(),
  ADUAN_WORKER: bool,
  /** Report submissions per minute per client IP (JSON API and forms). */
  ADUAN_RATE_LIMIT_SUBMIT: z.coerce.number().int().min(1).default(20),
  /** Sign-in attempts per minute per client IP. */
  ADUAN_RATE_LIMIT_LOGIN: z.coerce.number().int().min(1).default(10),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  SMTP_URL: z.string().optional(),
  MAIL_FROM: z.string().default('aduan <noreply@aduan.local>'),
  /** The address inbound mail reaches (`aduan smtp --address`, inbound-parse): emails to reporters reply to `local+<token>@domain`. */
  EMAIL_INBOUND_ADDRESS: z.string().email().optional(),
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
  publicUrl: string | undefined;
  runWorker: boolean;
  logLevel: string;
  rateLimits: { submitPerMinute: number; loginPerMinute: number };
  smtpUrl: string | undefined;
  mailFrom: string;
  emailInboundAddress: string | undefined;
  intakeRegion: string | undefined;
  smsGatewayUrl: string | undefined;
  smsGatewaySecret: string | undefined;
  smsGatewayAuth: string | undefined;
  smsGatewayTemplate: string | undefined;
  ombudsmanEndpoint: string | undefined;
  /** Hosts exempt from the outbound SSRF guard (lowercase names or addresses). */
  outboundAllowHosts: string[];
  production: boolean;
}

/** Thrown when the environment is invalid; the CLI prints it and exits 1. */
export class ConfigError extends Error {}

/** Parses an environment (defaults to process.env) into a Config, or throws ConfigError listing every problem. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`Invalid environment:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
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
    runWorker: e.ADUAN_WORKER ?? true,
    logLevel: e.LOG_LEVEL,
    rateLimits: { submitPerMinute: e.ADUAN_RATE_LIMIT_SUBMIT, loginPerMinute: e.ADUAN_RATE_LIMIT_LOGIN },
    smtpUrl: e.SMTP_URL,
    mailFrom: e.MAIL_FROM,
    emailInboundAddress: e.EMAIL_INBOUND_ADDRESS,
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
    production: e.NODE_ENV === 'production',
  };
}
