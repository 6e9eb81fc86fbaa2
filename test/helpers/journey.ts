/** The citizen web journey without JavaScript, walked step by step over plain HTTP. */
import { expect } from 'vitest';
import type { WebClient } from './web-client.ts';

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
