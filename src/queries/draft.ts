/** Reads a web-form draft (the report journey's answers so far), unsealed; null when missing or expired. */
import { and, eq, gt } from 'drizzle-orm';
import { formDrafts } from '../db/schema.ts';
import type { Services } from '../app/context.ts';

/** The answers of the report journey; every value is what the user typed (strings). */
export type DraftData = Record<string, string | string[] | DraftFile[]>;

/** A file uploaded during the journey, stored (metadata already stripped) until submission. */
export interface DraftFile {
  key: string;
  filename: string;
  mime: string;
  size: number;
}

/** Loads and opens a draft. */
export async function loadDraft(svc: Services, id: string | undefined): Promise<DraftData | null> {
  if (!id || !/^[A-Za-z0-9_-]{16,64}$/.test(id)) return null;
  const [row] = await svc.db
    .select()
    .from(formDrafts)
    .where(and(eq(formDrafts.id, id), gt(formDrafts.expiresAt, svc.now())))
    .limit(1);
  if (!row) return null;
  try {
    return svc.sealer.open<DraftData>(row.dataEnc);
  } catch {
    return null;
  }
}
