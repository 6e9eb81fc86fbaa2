/** The citizen web journey without JavaScript, walked step by step over plain HTTP. */
import { sql } from 'drizzle-orm';
import { expect } from 'vitest';
import { query } from '../../src/db/client.ts';
import type { TestApp } from './app.ts';
import { WebClient } from './web-client.ts';

/**
 * Walks the steps with valid answers (`extra` overrides a step's fields), through `until` (default: the last step,
 * leaving the client on the check page).
 */
export async function walkJourney(
  c: WebClient,
  extra: Record<string, Record<string, string | string[]>> = {},
  until = 'kontak',
) {
  const steps: Array<[string, Record<string, string | string[]>]> = [
    ['jenis', { classification: 'pengaduan' }],
    [
      'kejadian',
      {
        title: 'Jalan rusak di depan pasar',
        body: 'Jalan di depan pasar rusak parah dan berlubang sejak dua bulan.',
        occurredOn: '2026-03-01',
      },
    ],
    ['lokasi', { prov: '64', kab: '64.71', kec: '', desa: '', address: 'Jl. Pasar Baru' }],
    ['kategori', { categoryId: '', agencyId: '' }],
    ['privasi', { privacy: [] }],
    ['kontak', { name: 'Siti Pelapor', email: 'siti@contoh.aduan.id', phone: '', nik: '' }],
  ];
  for (const [step, form] of steps) {
    const r = await c.post(`/lapor/${step}`, { ...form, ...extra[step] });
    expect(r.status, `${step}: ${r.html.slice(0, 300)}`).toBe(303);
    if (step === until) return;
  }
}

/** The tracking number shown on a confirmation page (`/lapor/selesai`). */
export const confirmedNumber = (html: string) => /\/lacak\/(\d{10})\?k=/.exec(html)?.[1];

/** How many reports carry this title (a double submit must leave one). */
export async function reportsTitled(t: TestApp, title: string): Promise<number> {
  const rows = await query<{ n: number }>(
    t.runtime.services.db,
    sql`select count(*)::int as n from reports where title = ${title}`,
  );
  return rows[0]!.n;
}

/** The same browser (same cookies) sending another request, to the app at `base` (default: the same app). */
export function sameBrowser(c: WebClient, base = c.base): WebClient {
  const twin = new WebClient(base);
  for (const [k, v] of c.cookies) twin.cookies.set(k, v);
  return twin;
}
