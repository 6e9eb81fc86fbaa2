/**
 * The Open311 discovery `changeset` (§3: "last change to services/definitions … clients should refresh cached
 * data"): when the service list or the service definition last changed.
 * Why a fingerprint and not a column: services are categories (no timestamps, and changed by the back office,
 * the CLI, seeds and imports alike), types are one setting and the definition is code. So the changeset is the
 * first time this instance served the current fingerprint of all of them, kept as a setting: it moves forward
 * exactly when what a client caches changes, whatever changed it, needs no migration and is never in the future.
 */
import { eq, sql } from 'drizzle-orm';
import { settings } from '../db/schema.ts';
import type { Services } from '../app/context.ts';
import { ATTRIBUTES } from '../domain/open311/service-definition.ts';
import { listOpen311Services } from '../queries/open311.ts';
import { sha256 } from '../integrations/crypto.ts';

/** Settings key holding `{ hash, at }`: the fingerprint of the services and when it was first seen. */
export const CHANGESET_KEY = 'open311.changeset';

interface Stored {
  hash: string;
  at: string;
}

/** When the Open311 services or their definition last changed (recorded on first sight of a change). */
export async function open311Changeset(svc: Services): Promise<Date> {
  const services = await listOpen311Services(svc.db);
  const hash = sha256(JSON.stringify({ services, attributes: ATTRIBUTES }));
  const [row] = await svc.db.select().from(settings).where(eq(settings.key, CHANGESET_KEY)).limit(1);
  const stored = row?.value as Stored | undefined;
  const previous = stored ? new Date(stored.at) : undefined;
  if (stored && stored.hash === hash && previous && !Number.isNaN(previous.getTime())) return previous;
  // Whole seconds (the W3C form has none smaller), and later than the previous changeset so it sorts after it.
  const now = Math.floor(svc.now().getTime() / 1000) * 1000;
  const at = new Date(previous && previous.getTime() >= now ? previous.getTime() + 1000 : now);
  const value: Stored = { hash, at: at.toISOString() };
  // Concurrent first sights of one change: the first write wins and every caller answers what it stored.
  const written = await svc.db
    .insert(settings)
    .values({ key: CHANGESET_KEY, value })
    .onConflictDoUpdate({
      target: settings.key,
      set: { value },
      where: sql`${settings.value}->>'hash' is distinct from ${hash}`,
    })
    .returning({ value: settings.value });
  if (written.length) return at;
  const [again] = await svc.db.select().from(settings).where(eq(settings.key, CHANGESET_KEY)).limit(1);
  const won = new Date((again?.value as Stored | undefined)?.at ?? at.toISOString());
  return Number.isNaN(won.getTime()) ? at : won;
}
