import { describe, expect, it } from 'vitest';
import { ensembleProbabilities } from './ensemble.ts';
import type { TrainingExample } from './model.ts';
import { trainSemiSupervised } from './semi-supervised.ts';

/** No stemming: the words are their own stems. */
const same = (w: string) => w;

const LIGHTS = [
  'lampu lalu lintas mati',
  'lampu merah rusak simpang',
  'rambu lalu lintas roboh',
  'parkir liar macet',
];
const ID_CARDS = [
  'ktp belum jadi',
  'kartu keluarga salah cetak',
  'akta kelahiran lama',
  'ktp elektronik blanko habis',
];
/** Every text three times (each member calibrates on 3 inner folds), with a running number kept out by stopwords. */
const history: TrainingExample[] = [
  ...[...LIGHTS, ...LIGHTS, ...LIGHTS].map((text) => ({ text, label: 'dishub' })),
  ...[...ID_CARDS, ...ID_CARDS, ...ID_CARDS].map((text) => ({ text, label: 'disdukcapil' })),
];
const p = (fit: ReturnType<typeof trainSemiSupervised>, text: string, label: string) =>
  ensembleProbabilities(fit.ensemble, text)[fit.ensemble.labels.indexOf(label)]!;

describe('trainSemiSupervised', () => {
  it('teaches each agency its own name: a word only the name holds leans to that agency', () => {
    const plain = trainSemiSupervised(history, undefined, same);
    expect(plain.labelDocs).toBe(0);
    const named = trainSemiSupervised(history, undefined, same, {
      labelDocs: [
        { label: 'dishub', text: 'dinas perhubungan' },
        { label: 'disdukcapil', text: 'dinas kependudukan pencatatan sipil' },
        { label: 'unknown-agency', text: 'badan tanpa riwayat' },
      ],
    });
    // Three copies of each name of an agency with history; the agency without history is left out.
    expect(named.labelDocs).toBe(6);
    expect(named.ensemble.labels).toEqual(['disdukcapil', 'dishub']);
    expect(p(named, 'perhubungan', 'dishub')).toBeGreaterThan(0.6);
    expect(p(named, 'kependudukan', 'disdukcapil')).toBeGreaterThan(0.6);
    expect(p(plain, 'perhubungan', 'dishub')).toBeLessThan(p(named, 'perhubungan', 'dishub'));
  });

  it('self-trains on confidently labelled pending reports: their new words then count', () => {
    const unlabelled = [
      'lampu lalu lintas mati trotoar',
      'lampu merah rusak trotoar',
      'rambu lalu lintas roboh trotoar',
      'ktp belum jadi antrean',
      'akta kelahiran lama antrean',
      'kartu keluarga salah cetak antrean',
    ];
    const plain = trainSemiSupervised(history, undefined, same);
    const self = trainSemiSupervised(history, undefined, same, { unlabelled, threshold: 0.6 });
    expect(self.selfTrained).toBe(6);
    expect(p(self, 'trotoar', 'dishub')).toBeGreaterThan(p(plain, 'trotoar', 'dishub'));
    expect(p(self, 'antrean', 'disdukcapil')).toBeGreaterThan(p(plain, 'antrean', 'disdukcapil'));
    // Above the size limit the pending reports are not read.
    expect(
      trainSemiSupervised(history, undefined, same, { unlabelled, threshold: 0.6, maxRows: 10 }).selfTrained,
    ).toBe(0);
  });
});
