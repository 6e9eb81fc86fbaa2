import { describe, expect, it } from 'vitest';
import { encodeDocs, selectVocabulary, vectoriseDocs, wordDocsOf } from './encode.ts';
import {
  DEFAULT_FEATURE_OPTIONS,
  buildVocabulary,
  extractTerms,
  vectorise,
  type FeatureOptions,
} from './features.ts';
import { train } from './model.ts';
import { vectoriseTokens } from './predict-cache.ts';
import { tokensOf } from './features.ts';

const TEXTS = [
  'Jalan rusak berlubang\nJln di depan pasar rusak parah, aspal berlubang dan tdk diperbaiki',
  'Puskesmas tutup\nDokter puskesmas tidak ada, pasien bpjs menunggu lama di rs',
  'Jalan berlubang dekat jembatan\nLubang jalan makin besar, motor jatuh di jembatan',
  'KTP belum jadi\nBlangko ktp habis di kecamatan, sdh 3 bln menunggu ktp',
  'Lampu jalan mati\nPju mati di jalan utama, jalan gelap dan rawan',
];
const stem = (w: string) => w.replace(/(an|kan|nya)$/, '');
const VARIANTS: Partial<FeatureOptions>[] = [
  {},
  { wordBigrams: true },
  { charNgrams: [3, 5] },
  { charNgrams: [3, 5], charScope: 'title', charWeight: 0.5, titleWords: true },
  { weighting: 'count', stemming: false },
];

describe('typed-array encoding gives the same vectors as extractTerms + vectorise', () => {
  for (const v of VARIANTS) {
    const options = { ...DEFAULT_FEATURE_OPTIONS, minDf: 1, ...v };
    it(`training vectors: ${JSON.stringify(v)}`, () => {
      const enc = encodeDocs(wordDocsOf(TEXTS), options, stem);
      const rows = Int32Array.from(TEXTS.keys());
      const selection = selectVocabulary(enc, rows, options);
      const termDocs = TEXTS.map((t) => extractTerms(t, options, stem));
      const vocab = buildVocabulary(termDocs, options);
      expect(selection.vocab.terms).toEqual(vocab.terms);
      vocab.idf = vocab.idf.map((x) => Number(x.toFixed(4)));
      const csr = vectoriseDocs(enc, rows, selection, options);
      TEXTS.forEach((_, d) => {
        const want = vectorise(termDocs[d]!, vocab, options.weighting, options.charWeight);
        const from = csr.rowPtr[d]!;
        const to = csr.rowPtr[d + 1]!;
        expect([...csr.idx.subarray(from, to)]).toEqual([...want.idx]);
        [...csr.val.subarray(from, to)].forEach((x, k) => expect(x).toBeCloseTo(want.val[k]!, 6));
      });
    });

    it(`prediction vectors: ${JSON.stringify(v)}`, () => {
      const model = train(
        TEXTS.map((text, i) => ({ text, label: i % 2 ? 'a' : 'b' })),
        { features: options, calibrationFolds: 0 },
        stem,
      );
      for (const text of [...TEXTS, 'jalan rusak dan lampu mati', '']) {
        for (let repeat = 0; repeat < 2; repeat++) {
          const got = vectoriseTokens(model, tokensOf(text));
          const want = vectorise(
            extractTerms(text, model.features, stem),
            model.vocab,
            model.features.weighting,
            model.features.charWeight,
          );
          expect([...got.idx]).toEqual([...want.idx]);
          [...got.val].forEach((x, k) => expect(x).toBeCloseTo(want.val[k]!, 12));
        }
      }
    });
  }
});
