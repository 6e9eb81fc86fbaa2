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
import { usageProblem } from './args.ts';
import { say, usageOf } from './messages.ts';

/** Runs one `aduan keys` command; returns the exit code. */
export async function keysCli(config: Config, args: string[], open: () => Promise<Runtime>): Promise<number> {
  const sub = args[0];
  if (sub === 'generate') {
    console.log(generateKeyHex());
    return 0;
  }
  if (sub === 'rotate') {
    if (config.secretKey) {
      console.error(say('keys.rotate_environment'));
      return 1;
    }
    const r = rotateKeyFile(config.dataDir);
    console.log(say('keys.rotated', { current: r.currentId, previous: r.previousId }));
    return 0;
  }
  if (sub !== 'status' && sub !== 'reseal') {
    console.error(
      `aduan keys: ${usageProblem('unknown_subcommand', { subcommand: sub ?? '' })}\n${usageOf('keys')}`,
    );
    return 2;
  }
  const rt = await open();
  try {
    const ids = rt.services.sealer.keyIds;
    if (sub === 'reseal') {
      const r = await resealSecrets(rt.services);
      for (const [col, n] of Object.entries(r.resealed)) {
        const failed = r.failed[col] ?? 0;
        console.log(say(failed ? 'keys.resealed_failed' : 'keys.resealed', { column: col, n, failed }));
      }
      const failed = Object.values(r.failed).reduce((a, b) => a + b, 0);
      console.log(
        failed === 0 ? say('keys.reseal_done', { id: ids[0]! }) : say('keys.reseal_failed', { n: failed }),
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
  console.log(
    ids.length > 1
      ? say('keys.current_previous', { current: ids[0]!, previous: ids.slice(1).join(', ') })
      : say('keys.current', { current: ids[0]! }),
  );
  for (const [col, counts] of Object.entries(await sealedKeyCounts(rt.services))) {
    const parts: string[] = [];
    for (const [k, n] of Object.entries(counts)) {
      let opened = ids.includes(k);
      if (k === 'v1') opened = await v1Opens(rt, col);
      if (!opened) unknown.add(k);
      parts.push(
        `${k}${k === ids[0] ? ` ${say('keys.current_mark')}` : ''}${opened ? '' : ` ${say('keys.no_key_mark')}`}: ${n}`,
      );
    }
    console.log(`keys: ${col}: ${parts.length ? parts.join(', ') : say('keys.none')}`);
  }
  if (unknown.size === 0) return 0;
  console.log(say('keys.unknown_ids', { ids: [...unknown].join(', ') }));
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
