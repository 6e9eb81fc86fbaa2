/**
 * Key rotation for personal data sealed at rest (docs/security.md):
 *   aduan keys status     sealed values per key id and column, and the configured key ids
 *   aduan keys generate   print a new key (for ADUAN_SECRET_KEY)
 *   aduan keys rotate     data-directory key only: new secret.key, the old one kept in secret.previous
 *   aduan keys reseal     re-encrypt every sealed value with the current key
 */
import type { Config } from '../config.ts';
import { generateKeyHex, rotateKeyFile } from '../integrations/crypto.ts';
import type { Runtime } from '../runtime.ts';
import { resealSecrets, SEALED_COLUMNS, sealedKeyCounts } from '../commands/reseal-secrets.ts';
import { sql } from 'drizzle-orm';
import { query } from '../db/client.ts';

const NO_KEY = '(no configured key)';

const USAGE = 'usage: aduan keys status|generate|rotate|reseal';

/** Runs one `aduan keys` command; returns the exit code. */
export async function keysCli(config: Config, args: string[], open: () => Promise<Runtime>): Promise<number> {
  const sub = args[0];
  if (sub === 'generate') {
    console.log(generateKeyHex());
    return 0;
  }
  if (sub === 'rotate') {
    if (config.secretKey) {
      console.error(
        'The key comes from ADUAN_SECRET_KEY: rotate it in the environment. Move the current value to ' +
          'ADUAN_PREVIOUS_SECRET_KEYS, set ADUAN_SECRET_KEY to a new key (aduan keys generate), restart every ' +
          'process, then run aduan keys reseal.',
      );
      return 1;
    }
    const r = rotateKeyFile(config.dataDir);
    console.log(
      `keys: current key ${r.currentId}, previous key ${r.previousId} kept in secret.previous.\n` +
        'Restart every aduan process, then run: aduan keys reseal',
    );
    return 0;
  }
  if (sub !== 'status' && sub !== 'reseal') {
    console.error(USAGE);
    return 2;
  }
  const rt = await open();
  try {
    const ids = rt.services.sealer.keyIds;
    if (sub === 'reseal') {
      const r = await resealSecrets(rt.services);
      for (const [col, n] of Object.entries(r.resealed)) {
        const failed = r.failed[col] ?? 0;
        console.log(
          `keys: ${col}: ${n} resealed${failed ? `, ${failed} not opened by any configured key` : ''}`,
        );
      }
      const failed = Object.values(r.failed).reduce((a, b) => a + b, 0);
      console.log(
        failed === 0
          ? `keys: every sealed value uses key ${ids[0]}; previous keys can be removed.`
          : `keys: ${failed} value(s) could not be opened; keep the previous keys and check the configuration.`,
      );
      return failed === 0 ? 0 : 1;
    }
    return await keysStatus(rt);
  } finally {
    await rt.close();
  }
}

/**
 * `aduan keys status`: the configured key ids, then per column how many sealed values each key id holds. A key id
 * that no configured key opens is marked, and the command then exits 1. Envelopes of the first format (`v1`) carry
 * no key id: one of them per column is opened to tell.
 */
async function keysStatus(rt: Runtime): Promise<number> {
  const ids = rt.services.sealer.keyIds;
  const unknown = new Set<string>();
  console.log(`keys: current ${ids[0]}${ids.length > 1 ? `, previous ${ids.slice(1).join(', ')}` : ''}`);
  for (const [col, counts] of Object.entries(await sealedKeyCounts(rt.services))) {
    const parts: string[] = [];
    for (const [k, n] of Object.entries(counts)) {
      let opened = ids.includes(k);
      if (k === 'v1') opened = await v1Opens(rt, col);
      if (!opened) unknown.add(k);
      parts.push(`${k}${k === ids[0] ? ' (current)' : ''}${opened ? '' : ` ${NO_KEY}`}: ${n}`);
    }
    console.log(`keys: ${col}: ${parts.length ? parts.join(', ') : 'none'}`);
  }
  if (unknown.size === 0) return 0;
  console.log(
    `keys: no configured key opens the values of ${[...unknown].join(', ')}: add the key they were sealed with ` +
      'to ADUAN_PREVIOUS_SECRET_KEYS (or secret.previous) and restart; until then they cannot be read.',
  );
  return 1;
}

/** Whether a configured key opens a sample `v1` envelope of a column (true when the column cannot be sampled). */
async function v1Opens(rt: Runtime, name: string): Promise<boolean> {
  const c = SEALED_COLUMNS.find((s) => `${s.table}.${s.column}` === name);
  if (!c) return true;
  const rows = await query<{ v: string }>(
    rt.services.db,
    sql`select ${sql.raw(`"${c.column}"`)} as v from ${sql.raw(`"${c.table}"`)}
        where ${sql.raw(`"${c.column}"`)} like 'v1.%' limit 1`,
  );
  if (!rows[0]) return true;
  try {
    rt.services.sealer.open(rows[0].v);
    return true;
  } catch {
    return false;
  }
}
