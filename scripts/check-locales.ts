/** Fails when a key exists in one language's catalog and not in the other (run by `npm run check`). */
import { allKeys } from '../src/locales/index.ts';

const id = new Set(allKeys('id'));
const en = new Set(allKeys('en'));
const missingEn = [...id].filter((k) => !en.has(k));
const missingId = [...en].filter((k) => !id.has(k));
for (const k of missingEn) console.error(`missing in en: ${k}`);
for (const k of missingId) console.error(`missing in id: ${k}`);
if (missingEn.length || missingId.length) process.exit(1);
console.log(`locales: ${id.size} keys in both id and en`);
