/**
 * The national category list (kategori LAPOR!): add, rename, deactivate or reactivate. Categories are one
 * national taxonomy, so only roles with national scope may change them (`canStaff` with an empty scope).
 * Deactivated categories stay on old reports but are no longer offered.
 */
import { and, eq, isNull } from 'drizzle-orm';
import { categories } from '../db/schema.ts';
import { recordAdminAction } from '../db/repositories/admin-audit.ts';
import { canStaff } from '../policies/can.ts';
import type { Caller, Services } from '../app/context.ts';
import { AppError, invalid } from '../app/errors.ts';

function authorizeCategories(caller: Caller): void {
  if (!canStaff(caller.actor, 'manage_agencies')) throw new AppError('FORBIDDEN');
}

function checkName(name: string): string {
  const n = name.trim();
  if (n.length < 3) throw invalid({ categoryName: { key: 'too_short', params: { min: 3 } } });
  if (n.length > 120) throw invalid({ categoryName: { key: 'too_long', params: { max: 120 } } });
  return n;
}

async function assertFree(svc: Services, name: string, parentId: number | null, except?: number) {
  const [dup] = await svc.db
    .select({ id: categories.id })
    .from(categories)
    .where(
      and(
        eq(categories.name, name),
        parentId === null ? isNull(categories.parentId) : eq(categories.parentId, parentId),
      ),
    )
    .limit(1);
  if (dup && dup.id !== except) throw invalid({ categoryName: { key: 'category_exists' } });
}

/** Adds a category (or a subcategory under `parentId`) and returns its id. */
export async function addCategory(
  svc: Services,
  caller: Caller,
  input: { name: string; parentId?: number | null | undefined },
): Promise<number> {
  authorizeCategories(caller);
  const name = checkName(input.name);
  const parentId = input.parentId ?? null;
  if (parentId !== null) {
    const [p] = await svc.db
      .select({ id: categories.id, parentId: categories.parentId })
      .from(categories)
      .where(eq(categories.id, parentId))
      .limit(1);
    if (!p || p.parentId !== null) throw invalid({ parentId: { key: 'category_unknown' } });
  }
  await assertFree(svc, name, parentId);
  return svc.db.transaction(async (tx) => {
    const [row] = await tx.insert(categories).values({ name, parentId }).returning({ id: categories.id });
    await recordAdminAction(tx, caller, {
      action: 'category.add',
      targetType: 'category',
      targetId: String(row!.id),
      details: { name, parentId },
      at: svc.now(),
    });
    return row!.id;
  });
}

async function existing(svc: Services, id: number) {
  const [c] = await svc.db.select().from(categories).where(eq(categories.id, id)).limit(1);
  if (!c) throw new AppError('NOT_FOUND');
  return c;
}

/** Renames a category. */
export async function renameCategory(svc: Services, caller: Caller, id: number, name: string): Promise<void> {
  authorizeCategories(caller);
  const clean = checkName(name);
  const c = await existing(svc, id);
  await assertFree(svc, clean, c.parentId, id);
  if (clean === c.name) return; // nothing changes, nothing to record
  await svc.db.transaction(async (tx) => {
    await tx.update(categories).set({ name: clean }).where(eq(categories.id, id));
    await recordAdminAction(tx, caller, {
      action: 'category.rename',
      targetType: 'category',
      targetId: String(id),
      details: { from: c.name, to: clean },
      at: svc.now(),
    });
  });
}

/** Deactivates or reactivates a category. */
export async function setCategoryActive(svc: Services, caller: Caller, id: number, active: boolean) {
  authorizeCategories(caller);
  const c = await existing(svc, id);
  if (c.active === active) return; // nothing changes, nothing to record
  await svc.db.transaction(async (tx) => {
    await tx.update(categories).set({ active }).where(eq(categories.id, id));
    await recordAdminAction(tx, caller, {
      action: 'category.status',
      targetType: 'category',
      targetId: String(id),
      details: { name: c.name, from: c.active, to: active },
      at: svc.now(),
    });
  });
}
