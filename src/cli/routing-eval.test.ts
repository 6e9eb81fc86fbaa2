import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { routingEvalCli } from './routing-eval.ts';

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
