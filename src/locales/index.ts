/**
 * UI copy lives only in these JSON files: Bahasa Indonesia (default) and English.
 * `t(lang, 'errors.field.too_short', { min: 5 })` looks a key up and fills {placeholders}.
 */
import { readdirSync, readFileSync } from 'node:fs';

export const LANGS = ['id', 'en'] as const;
export type Lang = (typeof LANGS)[number];

type Tree = { [k: string]: string | Tree };

function load(lang: Lang): Tree {
  const dir = new URL(`./${lang}/`, import.meta.url);
  const tree: Tree = {};
  for (const f of readdirSync(dir)
    .filter((n) => n.endsWith('.json'))
    .sort()) {
    tree[f.replace(/\.json$/, '')] = JSON.parse(readFileSync(new URL(f, dir), 'utf8')) as Tree;
  }
  return tree;
}

const CATALOG: Record<Lang, Tree> = { id: load('id'), en: load('en') };

/** Every key of a catalog, dotted, for the missing-key check. */
export function allKeys(lang: Lang): string[] {
  const out: string[] = [];
  const walk = (t: Tree, prefix: string) => {
    for (const [k, v] of Object.entries(t)) {
      if (typeof v === 'string') out.push(prefix + k);
      else walk(v, `${prefix}${k}.`);
    }
  };
  walk(CATALOG[lang], '');
  return out.sort();
}

/** True when `key` exists in the language's catalog. */
export function has(lang: Lang, key: string): boolean {
  return typeof lookup(lang, key) === 'string';
}

function lookup(lang: Lang, key: string): string | Tree | undefined {
  let node: string | Tree | undefined = CATALOG[lang];
  for (const part of key.split('.')) {
    if (node === undefined || typeof node === 'string') return undefined;
    node = node[part];
  }
  return node;
}

/**
 * The singular variant of a message with a count: `<key>_one` when the catalog has it and a placeholder of the
 * message is 1 (`errors.field.too_short` with `{ min: 1 }` → "At least 1 character.", not "1 characters").
 */
function pluralKey(lang: Lang, key: string, params: Record<string, string | number>): string {
  const one = `${key}_one`;
  if (!Object.values(params).some((v) => v === 1 || v === '1')) return key;
  const text = lookup(lang, key) ?? lookup('id', key);
  if (typeof text !== 'string' || typeof (lookup(lang, one) ?? lookup('id', one)) !== 'string') return key;
  const counts = [...text.matchAll(/\{(\w+)\}/g)].map((m) => params[m[1]!]);
  return counts.some((v) => v === 1 || v === '1') ? one : key;
}

/** Translates a key (its `_one` variant for a count of 1); falls back to Indonesian, then to the key itself. */
export function t(lang: Lang, key: string, params: Record<string, string | number> = {}): string {
  key = pluralKey(lang, key, params);
  const found = lookup(lang, key) ?? lookup('id', key);
  const text = typeof found === 'string' ? found : key;
  return text.replace(/\{(\w+)\}/g, (_, p: string) => (p in params ? String(params[p]) : `{${p}}`));
}

/** Picks the language from `?lang=`, a cookie value, or Accept-Language; Indonesian by default. */
export function pickLang(...candidates: Array<string | undefined | null>): Lang {
  for (const c of candidates) {
    if (!c) continue;
    const first = c.toLowerCase().split(',')[0]!.trim().slice(0, 2);
    if (first === 'en' || first === 'id') return first;
  }
  return 'id';
}
