/**
 * Saves the report journey's answers server-side, sealed (they hold names, phone numbers, NIK), so that the
 * multi-step form works without JavaScript and nothing personal sits in the browser. Drafts live 24 hours;
 * expired drafts (and their uploaded files) are purged on every save.
 */
import { eq, lt } from 'drizzle-orm';
import { formDrafts } from '../db/schema.ts';
import { randomToken } from '../integrations/crypto.ts';
import type { Services } from '../app/context.ts';
import type { DraftData, DraftFile } from '../queries/draft.ts';

/** How long an unfinished report is kept. */
export const DRAFT_TTL_HOURS = 24;

/** Stores `data` under `id` (a new id when absent) and returns the id. */
export async function saveDraft(svc: Services, id: string | null, data: DraftData): Promise<string> {
  const now = svc.now();
  const expiresAt = new Date(now.getTime() + DRAFT_TTL_HOURS * 3600_000);
  const dataEnc = svc.sealer.seal(data);
  const draftId = id ?? randomToken(18);
  await svc.db
    .insert(formDrafts)
    .values({ id: draftId, dataEnc, createdAt: now, updatedAt: now, expiresAt })
    .onConflictDoUpdate({ target: formDrafts.id, set: { dataEnc, updatedAt: now, expiresAt } });
  await purgeExpiredDrafts(svc);
  return draftId;
}

/** Deletes a draft and its stored files (after submission, or when the user starts again). */
export async function discardDraft(svc: Services, id: string, files: DraftFile[] = []): Promise<void> {
  for (const f of files) await svc.storage.remove(f.key).catch(() => undefined);
  await svc.db.delete(formDrafts).where(eq(formDrafts.id, id));
}

/** Removes expired drafts, opening each to delete the files it still references. */
async function purgeExpiredDrafts(svc: Services): Promise<void> {
  const expired = await svc.db.select().from(formDrafts).where(lt(formDrafts.expiresAt, svc.now())).limit(50);
  for (const row of expired) {
    let files: DraftFile[] = [];
    try {
      files = (svc.sealer.open<DraftData>(row.dataEnc).files as DraftFile[] | undefined) ?? [];
    } catch {
      files = [];
    }
    await discardDraft(svc, row.id, files);
  }
}
