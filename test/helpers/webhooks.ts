/**
 * Agency webhook test helpers: a subscription's outbox rows as the worker left them, and the reason cells of its
 * delivery log page (`/kantor/integrasi/webhook/:id`) in one language.
 */
import { sql } from 'drizzle-orm';
import { expect } from 'vitest';
import type { Services } from '../../src/app/context.ts';
import type { WebClient } from './web-client.ts';

/** One webhook outbox row: what the worker decided. */
export interface WebhookRow {
  status: string;
  attempts: number;
  last_error: string | null;
}

/** The outbox rows of one subscription, oldest first. */
export async function webhookRowsOf(svc: Services, subscriptionId: string): Promise<WebhookRow[]> {
  return (
    (await svc.db.execute(
      sql`select status, attempts, last_error from outbox
          where channel = 'webhook' and payload->>'subscriptionId' = ${subscriptionId} order by id`,
    )) as unknown as { rows: WebhookRow[] }
  ).rows;
}

/** The reason cells of a webhook's delivery log page, in a language (expects the page to answer 200). */
export async function deliveryLogReasons(c: WebClient, id: string, lang: 'id' | 'en'): Promise<string> {
  const page = await c.get(`/kantor/integrasi/webhook/${id}?lang=${lang}`);
  expect(page.status).toBe(200);
  return [...page.html.matchAll(/<span data-reason="[^"]+">[\s\S]*?<\/span>(?=<\/td>)/g)]
    .map((m) => m[0])
    .join('\n');
}
