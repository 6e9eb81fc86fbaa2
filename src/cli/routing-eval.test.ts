import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { readLabelledCsv, routingEvalCli } from './routing-eval.ts';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const dataFile = path.resolve(repoRoot, '../shared/data/lapor-2017/train.csv');
const haveData = existsSync(dataFile);
if (!haveData)
  console.warn(
    `routing-eval tests on real data skipped: ${dataFile} not found (shared/ must sit beside the repo)`,
  );

async function runCli(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const log = vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void out.push(a.join(' ')));
  const error = vi
    .spyOn(console, 'error')
    .mockImplementation((...a: unknown[]) => void err.push(a.join(' ')));
  try {
    const code = await routingEvalCli(argv);
    return { code, out: out.join('\n'), err: err.join('\n') };
  } finally {
    log.mockRestore();
    error.mockRestore();
  }
}

describe('routing eval: arguments', () => {
  afterEach(() => vi.restoreAllMocks());

  it.each([
    [[]],
    [['--train', 'a.csv']],
    [['--train', 'a.csv', '--test', 'b.csv', '--cv', '5']],
    [['--train', 'a.csv', '--cv', 'x']],
    [['--train', 'a.csv', '--test', 'b.csv', '--min-count', '-1']],
    [['--train', 'a.csv', '--test', 'b.csv', '--algorithm', 'svm']],
    [['--train', 'a.csv', '--test', 'b.csv', '--bogus']],
    [['--train', '/nonexistent/train.csv', '--test', '/nonexistent/test.csv']],
  ])('exits 2 with a message for %j', async (argv) => {
    const { code, err } = await runCli(argv);
    expect(code).toBe(2);
    expect(err).toMatch(/aduan routing eval: /);
  });
});

describe("routing eval: messages in the command line's language (synthetic CSV)", () => {
  let dir = '';
  let csv = '';
  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'aduan-eval-lang-'));
    csv = path.join(dir, 'reports.csv');
    const texts: Record<string, string[]> = {
      pengaduan: ['jalan rusak berlubang', 'lampu jalan mati', 'sampah menumpuk di pasar'],
      permintaan_informasi: [
        'bagaimana cara membuat ktp',
        'apakah syarat daftar sekolah',
        'berapa biaya izin usaha',
      ],
      aspirasi: ['usul taman kota baru', 'saran tambah bus sekolah', 'sebaiknya perpustakaan buka malam'],
    };
    const rows = Object.entries(texts).flatMap(([type, list]) =>
      Array.from({ length: 12 }, (_, i) => ({
        title: list[i % 3]!,
        text: `${list[i % 3]!} mohon`,
        report_type: type,
      })),
    );
    writeFileSync(csv, stringify(rows, { header: true }));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  afterEach(() => vi.unstubAllEnvs());

  it('prints the cross-validation summary in Bahasa Indonesia with ADUAN_LANG=id, in English with en', async () => {
    vi.stubEnv('ADUAN_LANG', 'id');
    const id = await runCli(['--train', csv, '--cv', '3', '--label', 'report_type', '--min-count', '5']);
    expect(id.code, id.err).toBe(0);
    expect(id.out).toMatch(/^kolom label: report_type; label: 3; baris: 36; validasi silang 3-fold/);
    expect(id.out).toMatch(/\nakurasi {8}\d\.\d{3} ± /);
    expect(id.out).toMatch(/\nakurasi top-3 {2}\d\.\d{3} ± /);
    expect(id.out).toMatch(/dtk per fold; JSON model \d+ KiB/);
    vi.stubEnv('ADUAN_LANG', 'en');
    const en = await runCli(['--train', csv, '--cv', '3', '--label', 'report_type', '--min-count', '5']);
    expect(en.out).toMatch(/^label column: report_type; labels: 3; rows: 36; stratified 3-fold CV/);
    expect(en.out).toMatch(/\ntop-3 accuracy {2}\d\.\d{3} ± /);
  });

  it('prints the hold-out table with Indonesian headings', async () => {
    vi.stubEnv('ADUAN_LANG', 'id');
    const r = await runCli(['--train', csv, '--test', csv, '--label', 'report_type', '--min-count', '5']);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toContain('baris latih: 36; baris uji: 36');
    expect(r.out).toMatch(/\nlabel +presisi +recall +f1 +jumlah\n/);
  });

  it.each([
    [['--train', 'a.csv', '--cv', 'x'], '--cv memerlukan bilangan bulat ≥ 2, bukan "x"', true],
    [
      ['--train', 'a.csv', '--test', 'b.csv', '--cv', '5'],
      'berikan tepat satu dari --test BERKAS atau --cv K',
      true,
    ],
    [
      ['--train', 'a.csv', '--test', 'b.csv', '--algorithm', 'svm'],
      '--algorithm harus product, logreg, cnb, atau mnb',
      true,
    ],
    [['--train', '/nonexistent/a.csv', '--cv', '5'], 'Berkas /nonexistent/a.csv tidak ditemukan.', false],
    [['--train', '/', '--cv', '5'], 'Berkas / adalah direktori, bukan berkas CSV.', false],
  ])(
    'refuses %j in Bahasa Indonesia (exit 2; the usage only after an argument error)',
    async (argv, text, usage) => {
      vi.stubEnv('ADUAN_LANG', 'id');
      const r = await runCli(argv);
      expect(r.code).toBe(2);
      expect(r.err).toContain(`aduan routing eval: ${text}`);
      expect(r.err.includes('Pemakaian: aduan routing eval')).toBe(usage);
    },
  );

  it('names a missing label column and a file that is not CSV', async () => {
    vi.stubEnv('ADUAN_LANG', 'id');
    const r = await runCli(['--train', csv, '--cv', '3', '--label', 'instansi']);
    expect(r.code).toBe(2);
    expect(r.err).toContain(
      `Baris judul berkas ${csv} tidak memuat kolom wajib: instansi. Kolom yang ditemukan: title, text, report_type.`,
    );
    const broken = path.join(dir, 'broken.csv');
    writeFileSync(broken, 'title,text,report_type\n"unclosed,quote,pengaduan\n');
    const b = await runCli(['--train', broken, '--cv', '3', '--label', 'report_type']);
    expect(b.code).toBe(2);
    expect(b.err).toContain(`Baris 2 berkas ${broken}: tanda kutip dibuka tetapi tidak ditutup.`);
    expect(b.err).not.toContain('Pemakaian:');
    vi.stubEnv('ADUAN_LANG', 'en');
    const sheet = path.join(dir, 'reports.xlsx');
    writeFileSync(sheet, Buffer.from([0x50, 0x4b, 0x03, 0x04, 0, 0, 0, 0]));
    const x = await runCli(['--train', sheet, '--cv', '3', '--label', 'report_type']);
    expect(x.code).toBe(2);
    expect(x.err).toContain(`aduan routing eval: ${sheet} is a spreadsheet workbook`);
    vi.stubEnv('ADUAN_LANG', 'id');
    const few = await runCli(['--train', csv, '--cv', '3', '--label', 'report_type', '--min-count', '50']);
    expect(few.err).toContain('kurang dari 2 label di "report_type" yang memiliki ≥ 50 baris latih');
  });

  it('refuses a test file with no row of a label kept from training instead of scoring nothing as 0', async () => {
    const other = path.join(dir, 'other-labels.csv');
    writeFileSync(
      other,
      stringify(
        [
          { title: 'jalan rusak', text: 'jalan rusak mohon', report_type: 'keluhan' },
          { title: 'lampu mati', text: 'lampu mati', report_type: '' },
        ],
        { header: true },
      ),
    );
    vi.stubEnv('ADUAN_LANG', 'en');
    const argv = ['--train', csv, '--test', other, '--label', 'report_type', '--min-count', '5', '--json'];
    const r = await runCli(argv);
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    expect(r.err).toContain(
      `aduan routing eval: none of the 1 labelled rows of ${other} has one of the 3 labels of "report_type" kept from training`,
    );
    vi.stubEnv('ADUAN_LANG', 'id');
    expect((await runCli(argv)).err).toContain(`tidak ada satu pun dari 1 baris berlabel di ${other}`);
    // One row of a kept label is enough to be scored.
    writeFileSync(
      other,
      stringify([{ title: 'lampu mati', text: 'lampu jalan mati', report_type: 'pengaduan' }], {
        header: true,
      }),
    );
    const one = await runCli(argv);
    expect(one.code, one.err).toBe(0);
    expect(JSON.parse(one.out)).toMatchObject({ labels: 3, train: 36, test: 1 });
  });
});

describe.skipIf(!haveData)('routing eval on the LAPOR! 2017 training split', () => {
  let dir = '';
  let trainCsv = '';
  let testCsv = '';
  let rows: Record<string, string>[] = [];

  beforeAll(() => {
    rows = parse(readFileSync(dataFile, 'utf8'), { columns: true, bom: true }) as Record<string, string>[];
    const inTest = (r: Record<string, string>) =>
      createHash('sha1').update(`eval:${r.lapor_id}`).digest()[0]! % 4 === 0;
    dir = mkdtempSync(path.join(tmpdir(), 'routing-eval-'));
    trainCsv = path.join(dir, 'train.csv');
    testCsv = path.join(dir, 'test.csv');
    writeFileSync(
      trainCsv,
      stringify(
        rows.filter((r) => !inTest(r)),
        { header: true },
      ),
    );
    writeFileSync(testCsv, stringify(rows.filter(inTest), { header: true }));
  });
  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('reads the whole file, with the control bytes of a long SMS removed from inside words', async () => {
    const hasControl = (text: string) => [...text].some((c) => c.charCodeAt(0) < 9);
    const withControls = rows.filter((r) => hasControl(r.text ?? ''));
    expect(withControls.length).toBeGreaterThan(0);
    const read = await readLabelledCsv(dataFile, 'report_type');
    expect(read).toHaveLength(rows.filter((r) => (r.report_type ?? '').trim() !== '').length);
    expect(read.some((r) => hasControl(r.text))).toBe(false);
    expect(read.some((r) => r.text.includes('admnistrasi'))).toBe(true);
  });

  it('prints one JSON object and beats the majority-class baseline clearly', async () => {
    const { code, out } = await runCli([
      '--train',
      trainCsv,
      '--test',
      testCsv,
      '--label',
      'agency_group',
      '--min-count',
      '20',
      '--json',
    ]);
    expect(code).toBe(0);
    const result = JSON.parse(out) as {
      labels: number;
      train: number;
      test: number;
      accuracy: number;
      macroF1: number;
      top3Accuracy: number;
      perLabel: Record<string, { precision: number; recall: number; f1: number; support: number }>;
    };
    expect(Object.keys(result).sort()).toEqual([
      'accuracy',
      'labels',
      'macroF1',
      'perLabel',
      'test',
      'top3Accuracy',
      'train',
    ]);
    expect(Object.keys(result.perLabel)).toHaveLength(result.labels);
    const supports = Object.values(result.perLabel).map((m) => m.support);
    expect(supports.reduce((a, b) => a + b, 0)).toBe(result.test);
    for (const m of Object.values(result.perLabel)) {
      for (const v of [m.precision, m.recall, m.f1]) expect(v >= 0 && v <= 1).toBe(true);
    }
    expect(result.top3Accuracy).toBeGreaterThanOrEqual(result.accuracy);

    // Majority-class baseline: always predict the most frequent kept training label.
    const trainRows = parse(readFileSync(trainCsv, 'utf8'), { columns: true }) as Record<string, string>[];
    const counts = new Map<string, number>();
    for (const r of trainRows)
      if (r.agency_group) counts.set(r.agency_group, (counts.get(r.agency_group) ?? 0) + 1);
    const kept = new Set([...counts].filter(([, n]) => n >= 20).map(([l]) => l));
    expect(result.labels).toBe(kept.size);
    const majority = [...counts].filter(([l]) => kept.has(l)).sort((a, b) => b[1] - a[1])[0]![0];
    const baseline = (result.perLabel[majority]?.support ?? 0) / result.test;
    // "Well above": at least half of the baseline's errors removed, and macro-F1 far above the baseline's.
    expect(result.accuracy).toBeGreaterThan(baseline + (1 - baseline) / 2);
    expect(result.macroF1).toBeGreaterThan(0.5);

    // --history-only: the served ensemble without the agency names and self-training (docs/routing.md).
    const plain = await runCli(['--train', trainCsv, '--test', testCsv, '--json', '--history-only']);
    expect(plain.code).toBe(0);
    const history = JSON.parse(plain.out) as typeof result;
    expect(history).toMatchObject({ labels: result.labels, train: result.train, test: result.test });
    expect(history.perLabel).not.toEqual(result.perLabel);
  });

  it('evaluates report_type and prints a readable table without --json', async () => {
    const { code, out } = await runCli([
      '--train',
      trainCsv,
      '--test',
      testCsv,
      '--label',
      'report_type',
      '--min-count',
      '20',
    ]);
    expect(code).toBe(0);
    expect(out).toMatch(/labels: 3/);
    expect(out).toMatch(/pengaduan/);
    expect(out).toMatch(/accuracy \d\.\d{3}/);
  });
});
