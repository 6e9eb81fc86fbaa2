/**
 * Page posts run one at a time per key (a draft, a report) in this process, so the second post of a double tap or a
 * form sent again sees what the first one did (a report filed, a reply recorded) instead of doing it again.
 */

/** A queue per key: `run` starts when the earlier runs for the same key have ended (resolved or failed). */
export function keyedQueue(): <T>(key: string, run: () => Promise<T>) => Promise<T> {
  const tails = new Map<string, Promise<unknown>>();
  return <T>(key: string, run: () => Promise<T>): Promise<T> => {
    const result = (tails.get(key) ?? Promise.resolve()).then(run);
    const tail = result.catch(() => undefined);
    tails.set(key, tail);
    void tail.then(() => tails.get(key) === tail && tails.delete(key));
    return result;
  };
}
