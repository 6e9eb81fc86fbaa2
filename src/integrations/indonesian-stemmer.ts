/** Indonesian stemming (Sastrawi algorithm via `sastrawijs`) with a memo cache, for the routing classifier. */
// @ts-expect-error -- sastrawijs ships a d.ts, but its package.json "exports" map does not expose it.
import { Stemmer } from 'sastrawijs';

/** The part of the sastrawijs `Stemmer` class used here. */
interface SastrawiStemmer {
  stem(word: string): string;
}

/** Create a memoising `stem(word)` function backed by one Sastrawi stemmer instance. */
export function createIndonesianStemmer(maxCacheSize = 200_000): (word: string) => string {
  const stemmer = new Stemmer() as SastrawiStemmer;
  const cache = new Map<string, string>();
  return (word: string): string => {
    const hit = cache.get(word);
    if (hit !== undefined) return hit;
    const stem = stemmer.stem(word) || word;
    if (cache.size >= maxCacheSize) cache.clear();
    cache.set(word, stem);
    return stem;
  };
}

/** A shared memoising Indonesian stemmer. */
export const stem: (word: string) => string = createIndonesianStemmer();
