/**
 * Random keys the instance makes for itself: 32 bytes created on first use, kept sealed in `settings` and shared by
 * every process, so no configuration is needed (the reply tokens of notification emails, the supporters' unsubscribe
 * links). Two processes creating one at once agree on whichever was stored first.
 */
import { randomBytes } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { settings } from '../db/schema.ts';
import type { Services } from '../app/context.ts';

/** The key stored under `settingsKey`, created when missing. */
export async function sealedInstanceKey(svc: Services, settingsKey: string): Promise<Buffer> {
  const read = async () => {
    const [row] = await svc.db.select().from(settings).where(eq(settings.key, settingsKey)).limit(1);
    return row ? Buffer.from(svc.sealer.open<string>((row.value as { enc: string }).enc), 'hex') : null;
  };
  const found = await read();
  if (found) return found;
  const enc = svc.sealer.seal(randomBytes(32).toString('hex'));
  await svc.db.insert(settings).values({ key: settingsKey, value: { enc } }).onConflictDoNothing();
  return (await read())!;
}
