/**
 * The category list of the administration (`/kantor/admin/kategori`), searched and paged in the database: an instance
 * holds the 958 LAPOR! categories, so the page asks for one page of matching rows and their count, never for the
 * whole tree.
 *
 * Search: the name is folded (A–Z and the accented Latin letters to plain lower case, with `translate`, so no
 * `unaccent` extension is needed on PostgreSQL or PGlite) and matched against each word of the query, folded the
 * same way in JavaScript; a row matches when its own name contains any word. Rows matching more words, and words at
 * the start of a word of the name, come first, then the tree order (each row after its parent, names alphabetical).
 * Every row carries the names of its ancestors, so "INFRASTRUKTUR JALAN" is shown under "PEKERJAAN UMUM DAN
 * PENATAAN RUANG".
 */
import { sql, type SQL } from 'drizzle-orm';
import { query } from '../db/client.ts';
import type { Services } from '../app/context.ts';

/** Rows per page of the category list. */
export const CATEGORY_PAGE_SIZE = 50;
/** The longest search text used (longer text is cut). */
export const CATEGORY_QUERY_MAX = 100;
/** At most this many words of the search text are matched. */
const MAX_WORDS = 8;

/** Which categories to list by state. */
export type CategoryState = 'all' | 'active' | 'inactive';

/** A search of the category list. */
export interface CategorySearch {
  /** Free text: a row matches when its name contains any of its words (case and accents ignored). */
  q: string;
  state: CategoryState;
  /** 1-based; a page past the end gives the last page. */
  page: number;
  pageSize?: number;
}

/** One category of the list. */
export interface CategoryListRow {
  id: number;
  name: string;
  parentId: number | null;
  active: boolean;
  /** 0 for a top-level category. */
  depth: number;
  /** Names of the ancestors, the top-level category first ([] for a top-level category). */
  ancestors: string[];
}

/** One page of the category list. */
export interface CategoryListPage {
  items: CategoryListRow[];
  /** Matching rows in all pages. */
  total: number;
  /** The page shown (clamped to the last page). */
  page: number;
  pageSize: number;
}

/** Lower-case text without accents: "Pélayanan  JALAN" → "pelayanan  jalan". */
export function foldText(text: string): string {
  return text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
}

/** The distinct words of a search text, folded (at most 8). */
export function searchWords(q: string): string[] {
  const words = foldText(q.slice(0, CATEGORY_QUERY_MAX))
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean);
  return [...new Set(words)].slice(0, MAX_WORDS);
}

/**
 * The two strings of the SQL `translate` that folds a name: A–Z and every letter of Latin-1 and Latin Extended-A
 * that folds (as `foldText` does) to one plain letter a–z.
 */
const FOLD = (() => {
  let from = '';
  let to = '';
  for (let code = 0x41; code <= 0x17f; code++) {
    const c = String.fromCharCode(code);
    const f = foldText(c);
    if (f !== c && /^[a-z]$/.test(f)) {
      from += c;
      to += f;
    }
  }
  return { from, to };
})();

/** `%word%` for LIKE, with the wildcards of the word taken literally. */
function containsPattern(word: string): string {
  return `%${word.replace(/[\\%_]/g, (m) => `\\${m}`)}%`;
}

/** The tree with each row's ancestors, sort key and folded name. */
const TREE = sql`with recursive tree as (
    select id, name, parent_id, active, array[]::text[] as ancestors, array[lower(name)] as sort_key, 0 as depth
    from categories where parent_id is null
    union all
    select c.id, c.name, c.parent_id, c.active, t.ancestors || t.name, t.sort_key || lower(c.name), t.depth + 1
    from categories c join tree t on c.parent_id = t.id
  ), listed as (
    select tree.*, translate(name, ${FOLD.from}, ${FOLD.to}) as folded from tree
  )`;

interface DbRow {
  id: number;
  name: string;
  parent_id: number | null;
  active: boolean;
  depth: number;
  ancestors: string[];
}

function toRow(r: DbRow): CategoryListRow {
  return {
    id: Number(r.id),
    name: r.name,
    parentId: r.parent_id === null ? null : Number(r.parent_id),
    active: r.active,
    depth: Number(r.depth),
    ancestors: r.ancestors,
  };
}

/**
 * The order with a search: each word counts 2 when a word of the name starts with it ("jalan" in "PENERANGAN JALAN")
 * and 1 when it is only inside one ("MENJALANKAN"; Indonesian affixes make such matches useful: "rusak" in
 * "KERUSAKAN"), higher sums first; then the tree order. Words hold only letters and digits (`searchWords`), so they
 * are safe in the regular expression as they are.
 */
function orderOf(words: string[]): SQL {
  if (!words.length) return sql`sort_key, id`;
  const score = sql.join(
    words.map(
      (w) => sql`(case when folded ~ ${`(^|[^a-z0-9])${w}`} then 2
        when folded like ${containsPattern(w)} then 1 else 0 end)`,
    ),
    sql` + `,
  );
  return sql`${score} desc, sort_key, id`;
}

/** The filter: any word in the name (text without a single letter or digit matches nothing), and the state. */
function whereOf(q: string, words: string[], state: CategoryState): SQL {
  const conds: SQL[] = [sql`true`];
  if (q.trim() && !words.length) conds.push(sql`false`);
  if (words.length)
    conds.push(
      sql`(${sql.join(
        words.map((w) => sql`folded like ${containsPattern(w)}`),
        sql` or `,
      )})`,
    );
  if (state === 'active') conds.push(sql`active`);
  if (state === 'inactive') conds.push(sql`not active`);
  return sql.join(conds, sql` and `);
}

/** One page of the categories matching a search, with the total. */
export async function searchCategories(svc: Services, search: CategorySearch): Promise<CategoryListPage> {
  const pageSize = search.pageSize ?? CATEGORY_PAGE_SIZE;
  const words = searchWords(search.q);
  const where = whereOf(search.q, words, search.state);
  const [counted] = await query<{ total: number }>(
    svc.db,
    sql`${TREE} select count(*)::int as total from listed where ${where}`,
  );
  const total = Number(counted?.total ?? 0);
  const pages = Math.max(1, Math.ceil(total / pageSize));
  const page = Math.min(Math.max(1, Math.trunc(search.page) || 1), pages);
  const rows = await query<DbRow>(
    svc.db,
    sql`${TREE} select id, name, parent_id, active, depth, ancestors from listed where ${where}
      order by ${orderOf(words)}
      limit ${pageSize} offset ${(page - 1) * pageSize}`,
  );
  return {
    items: rows.map(toRow),
    total,
    page,
    pageSize,
  };
}

/** One category with its ancestors' names, or null. */
export async function categoryWithPath(svc: Services, id: number): Promise<CategoryListRow | null> {
  const [r] = await query<DbRow>(
    svc.db,
    sql`${TREE} select id, name, parent_id, active, depth, ancestors from listed where id = ${id}`,
  );
  return r ? toRow(r) : null;
}

/** The top-level categories (active or not), by name: the parents a new category can be added under. */
export async function topLevelCategories(svc: Services): Promise<Array<{ id: number; name: string }>> {
  const rows = await query<{ id: number; name: string }>(
    svc.db,
    sql`select id, name from categories where parent_id is null order by lower(name), id`,
  );
  return rows.map((r) => ({ id: Number(r.id), name: r.name }));
}
