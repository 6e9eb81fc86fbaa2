import { describe, expect, it } from 'vitest';
import { deserialise, predict, probabilities, serialise, train, type TrainingExample } from './model.ts';
import { seededRandom } from './random.ts';

const TOPICS: Record<string, string[]> = {
  jalan: ['jalan', 'berlubang', 'aspal', 'rusak', 'trotoar', 'selokan', 'banjir', 'perbaikan'],
  sehat: ['bpjs', 'kesehatan', 'puskesmas', 'rumah', 'sakit', 'iuran', 'kartu', 'faskes'],
  ktp: ['ktp', 'elektronik', 'kependudukan', 'blangko', 'akta', 'kelahiran', 'dukcapil', 'perekaman'],
};
const FILLER = ['warga', 'mohon', 'segera', 'kota', 'kami', 'kondisi', 'sudah', 'lama'];

/** Synthetic reports: 6 topic words and 4 filler words each, drawn with a seeded PRNG. */
function corpus(perLabel: number, seed: number): TrainingExample[] {
  const random = seededRandom(seed);
  const pick = (words: string[]) => words[Math.floor(random() * words.length)]!;
  const out: TrainingExample[] = [];
  for (const [label, words] of Object.entries(TOPICS)) {
    for (let i = 0; i < perLabel; i++) {
      const text = [
        ...Array.from({ length: 6 }, () => pick(words)),
        ...Array.from({ length: 4 }, () => pick(FILLER)),
      ].join(' ');
      out.push({ text, label });
    }
  }
  return out;
}

describe('train / predict', () => {
  for (const algorithm of ['logreg', 'cnb', 'mnb', 'svm'] as const) {
    it(`${algorithm} separates obvious classes`, () => {
      const model = train(corpus(20, 1), { algorithm, features: { charNgrams: [3, 5], wordBigrams: true } });
      const test = corpus(10, 2);
      const correct = test.filter((e) => predict(model, e.text, 1)[0]!.label === e.label).length;
      expect(correct / test.length).toBeGreaterThan(0.95);
      const [top] = predict(model, 'jalan berlubang dan aspal rusak parah');
      expect(top!.label).toBe('jalan');
      expect(top!.topTerms.length).toBeGreaterThan(0);
      expect(top!.topTerms[0]).toMatch(/jalan|berlubang|aspal|rusak/);
    });
  }

  it('NBSVM (svm with NB log-count ratios) separates obvious classes and round-trips through JSON', () => {
    const model = train(corpus(20, 1), { algorithm: 'svm', svmC: 0.3, nbAlpha: 1, nbBeta: 0.25 });
    const test = corpus(10, 2);
    const correct = test.filter((e) => predict(model, e.text, 1)[0]!.label === e.label).length;
    expect(correct / test.length).toBeGreaterThan(0.95);
    const [top] = predict(model, 'kartu bpjs ditolak faskes');
    expect(top!.label).toBe('sehat');
    expect(top!.topTerms[0]).toMatch(/kartu|bpjs|faskes/);
    const back = deserialise(JSON.parse(JSON.stringify(serialise(model))) as unknown, (w) => w);
    for (const e of test) expect(predict(back, e.text, 3)).toEqual(predict(model, e.text, 3));
  });

  it('is deterministic for a seed', () => {
    const a = serialise(train(corpus(15, 3), { seed: 42 }));
    const b = serialise(train(corpus(15, 3), { seed: 42 }));
    expect(a).toEqual(b);
  });

  it('returns calibrated confidences in [0, 1] that sum to at most 1, best first', () => {
    const model = train(corpus(20, 4));
    for (const text of ['kartu bpjs ditolak faskes', 'blangko ktp habis', 'zzz tidak dikenal']) {
      const preds = predict(model, text, 3);
      expect(preds).toHaveLength(3);
      const sum = preds.reduce((s, p) => s + p.confidence, 0);
      expect(sum).toBeLessThanOrEqual(1 + 1e-9);
      for (const p of preds) expect(p.confidence).toBeGreaterThanOrEqual(0);
      for (let i = 1; i < preds.length; i++)
        expect(preds[i]!.confidence).toBeLessThanOrEqual(preds[i - 1]!.confidence);
      expect(predict(model, text, 2)).toHaveLength(2);
    }
    expect(model.temperature).toBeGreaterThan(0);
    const all = probabilities(model, 'jalan rusak');
    expect(all.reduce((s, p) => s + p, 0)).toBeCloseTo(1, 9);
  });

  it('serialise/deserialise round trip gives identical predictions through JSON', () => {
    for (const algorithm of ['logreg', 'cnb'] as const) {
      const stem = (w: string) => w.replace(/an$/, '');
      const model = train(
        corpus(20, 5),
        { algorithm, features: { charNgrams: [3, 5], stemming: true } },
        stem,
      );
      const json = JSON.parse(JSON.stringify(serialise(model))) as unknown;
      const back = deserialise(json, stem);
      for (const e of corpus(5, 6)) expect(predict(back, e.text, 3)).toEqual(predict(model, e.text, 3));
      expect(serialise(back)).toEqual(serialise(model));
    }
  });

  it('deserialise rejects other formats, versions and stemmer-less stemmed models', () => {
    const data = serialise(train(corpus(5, 7)));
    expect(() => deserialise({ ...data, version: 99 })).toThrow(/version/);
    expect(() => deserialise({ format: 'x' })).toThrow(/not a routing model/);
    const stemmed = serialise(train(corpus(5, 7), { features: { stemming: true } }, (w) => w));
    expect(() => deserialise(stemmed)).toThrow(/stemmer/);
  });

  for (const algorithm of ['logreg', 'cnb', 'svm'] as const) {
    it(`${algorithm}: negative labels lower that label's score`, () => {
      // Reports mentioning "parkir" go to "jalan"; some of them were returned from "sehat" as bukan wewenang.
      const base = corpus(20, 8);
      const ambiguous = (i: number) => `parkir liar ${i % 2 ? 'kota' : 'warga'}`;
      const plain = [
        ...base,
        ...Array.from({ length: 6 }, (_, i) => ({ text: ambiguous(i), label: 'jalan' })),
      ];
      const withNegatives = [
        ...base,
        ...Array.from({ length: 6 }, (_, i) => ({
          text: ambiguous(i),
          label: 'jalan',
          negativeLabels: ['sehat'],
        })),
      ];
      const opts = { algorithm, calibrationFolds: 0 };
      const sehat = (m: ReturnType<typeof train>) =>
        probabilities(m, 'parkir liar')[m.labels.indexOf('sehat')]!;
      expect(sehat(train(withNegatives, opts))).toBeLessThan(sehat(train(plain, opts)));
    });
  }

  it('calibrates on one held-out slice when asked (large data)', () => {
    const model = train(corpus(30, 11), { calibration: 'holdout', calibrationFolds: 5, holdoutMax: 12 });
    expect(model.temperature).not.toBe(1);
    expect(model.temperature).toBeGreaterThan(0);
    const test = corpus(10, 12);
    const correct = test.filter((e) => predict(model, e.text, 1)[0]!.label === e.label).length;
    expect(correct / test.length).toBeGreaterThan(0.9);
  });

  it('wordScope title reads the first line only, in training and prediction alike, and round-trips', () => {
    // The title says the topic; the body is the same misleading filler for every label.
    const examples = corpus(20, 21).map((e) => ({
      ...e,
      text: `${e.text}\nbadanlaporan ktp elektronik blangko dukcapil akta kelahiran perekaman`,
    }));
    const titleOnly = train(examples, { algorithm: 'svm', svmC: 0.3, features: { wordScope: 'title' } });
    expect(titleOnly.features.wordScope).toBe('title');
    expect(titleOnly.vocab.terms.length).toBeGreaterThan(0);
    expect(titleOnly.vocab.terms.filter((t) => t.includes('badanlaporan'))).toEqual([]);
    // Body words never count: the same title with any body scores alike.
    const p1 = probabilities(titleOnly, 'jalan berlubang aspal rusak\nbpjs puskesmas faskes');
    const p2 = probabilities(titleOnly, 'jalan berlubang aspal rusak\nktp akta kelahiran');
    expect([...p1]).toEqual([...p2]);
    expect(predict(titleOnly, 'jalan berlubang aspal rusak\nbpjs puskesmas faskes', 1)[0]!.label).toBe(
      'jalan',
    );
    const back = deserialise(JSON.parse(JSON.stringify(serialise(titleOnly))) as unknown, (w) => w);
    expect(back.features.wordScope).toBe('title');
    expect([...probabilities(back, 'kartu bpjs ditolak\njalan rusak')]).toEqual([
      ...probabilities(titleOnly, 'kartu bpjs ditolak\njalan rusak'),
    ]);
    // Character n-grams of the whole text cannot go with a title-only member.
    expect(() => train(examples, { features: { wordScope: 'title', charNgrams: [3, 5] } })).toThrow(
      /wordScope/,
    );
  });

  it('rejects an empty training set', () => {
    expect(() => train([])).toThrow(/no examples/);
  });
});
