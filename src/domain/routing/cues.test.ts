import { describe, expect, it } from 'vitest';
import { reportTypeCues, displayCue } from './cues.ts';
import { routingText, suggest, trainEnsemble } from './ensemble.ts';
import { train, predict, type TrainingExample } from './model.ts';
import { seededRandom } from './random.ts';

describe('report-type cues', () => {
  it('marks questions, request and suggestion words, stopwords and the length', () => {
    const q = reportTypeCues(
      'Bagaimana cara daftar?',
      'Apakah syarat pendaftaran bisa online? Mohon informasi.',
    );
    expect(q).toContain('isyarattanya');
    expect(q).toContain('isyarattanyajudul');
    expect(q).toContain('isyaratjudultanya');
    expect(q).toContain('isyaratmintainfo');
    expect(q).toContain('isyarattanyaapakah');
    expect(q).toContain('isyaratawaltanya');
    expect(q).toContain('isyaratpanjanga');
    expect(q).toContain('isyaratkatamohon');
    const s = reportTypeCues('Usulan taman', 'Sebaiknya taman kota diperluas agar warga nyaman.');
    expect(s).toEqual(expect.arrayContaining(['isyaratusulsebaiknya', 'isyaratusulagar']));
    expect(s).not.toContain('isyarattanya');
  });

  it('routingText appends the cues only when asked', () => {
    expect(routingText({ title: 'Jalan rusak', body: 'Kapan diperbaiki?' })).not.toContain('isyarat');
    expect(routingText({ title: 'Jalan rusak', body: 'Kapan diperbaiki?', cues: true })).toContain(
      'isyarattanyaakhir',
    );
  });

  it('reads cues in explanations as "?" or the word, and hides structural ones', () => {
    expect(displayCue('isyarattanya')).toBe('?');
    expect(displayCue('isyarattanyaakhir')).toBe('?');
    expect(displayCue('isyarattanyabagaimana')).toBe('bagaimana');
    expect(displayCue('isyaratusulsaran')).toBe('saran');
    expect(displayCue('isyaratkatamohon')).toBe('mohon');
    // Plain function words help the model but are not shown to a verifier.
    expect(displayCue('isyaratkatadi')).toBeNull();
    expect(displayCue('isyaratkatayang')).toBeNull();
    expect(displayCue('isyaratkatabagaimana')).toBe('bagaimana');
    expect(displayCue('isyaratpanjangc')).toBeNull();
    expect(displayCue('isyaratmintainfo')).toBeNull();
    expect(displayCue('jalan')).toBe('jalan');
    expect(displayCue('isyarat')).toBe('isyarat');
  });

  it('a model learns the question form from the cues and explains with "?", never a raw cue token', () => {
    const random = seededRandom(3);
    const topics = ['jalan', 'lampu', 'sekolah', 'pajak', 'bpjs', 'ktp', 'pasar', 'taman'];
    const pick = () => topics[Math.floor(random() * topics.length)]!;
    const examples: TrainingExample[] = [];
    for (let i = 0; i < 40; i++) {
      const a = pick();
      const b = pick();
      examples.push({
        text: routingText({ title: `${a} ${b}`, body: `apakah ${a} ${b} bisa?`, cues: true }),
        label: 'permintaan_informasi',
      });
      examples.push({
        text: routingText({ title: `${a} ${b}`, body: `${a} ${b} rusak parah.`, cues: true }),
        label: 'pengaduan',
      });
    }
    const ensemble = trainEnsemble(examples);
    const [top] = suggest(ensemble, routingText({ title: 'pasar', body: 'apakah pasar buka?', cues: true }));
    expect(top!.label).toBe('permintaan_informasi');
    expect(top!.topTerms).toContain('?');
    expect(top!.topTerms.some((t) => t.startsWith('isyarat'))).toBe(false);
  });

  it('tuneBias "accuracy" trains and predicts', () => {
    const examples: TrainingExample[] = [];
    for (let i = 0; i < 30; i++) {
      examples.push({ text: `jalan rusak ${i % 5}`, label: 'a' });
      examples.push({ text: `lampu mati ${i % 5}`, label: 'b' });
    }
    const model = train(examples, { algorithm: 'svm', tuneBias: 'accuracy' });
    expect(predict(model, 'jalan rusak', 1)[0]!.label).toBe('a');
  });
});
