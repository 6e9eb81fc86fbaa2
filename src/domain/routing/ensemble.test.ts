import { describe, expect, it } from 'vitest';
import {
  deserialiseEnsemble,
  ensembleProbabilities,
  ensembleTemperature,
  poolTemperature,
  serialiseEnsemble,
  suggest,
  trainEnsemble,
} from './ensemble.ts';
import type { HeldOut } from './model.ts';

/** No stemming: the words are their own stems. */
const same = (w: string) => w;

const heldOut = (rows: number[], gold: number[], p: [number, number]): HeldOut => ({
  rows: Int32Array.from(rows),
  gold: Int32Array.from(gold),
  probs: Float32Array.from(gold.flatMap(() => p)),
});

describe('ensemble temperature', () => {
  it('poolTemperature sharpens below 1, flattens above 1, keeps the order and sums to 1', () => {
    expect([...poolTemperature(Float64Array.from([0.6, 0.4]), 1)]).toEqual([0.6, 0.4]);
    const sharp = poolTemperature(Float64Array.from([0.6, 0.4]), 0.5);
    expect(sharp[0]).toBeCloseTo(0.36 / 0.52, 10);
    expect(sharp[0]! + sharp[1]!).toBeCloseTo(1, 12);
    const flat = poolTemperature(Float64Array.from([0.6, 0.4]), 2);
    expect(flat[0]).toBeGreaterThan(0.5);
    expect(flat[0]).toBeLessThan(0.6);
  });

  it('is fitted on the rows every member held out: an under-confident mean gets a temperature below 1', () => {
    const rows = Array.from({ length: 100 }, (_, i) => i);
    const gold = rows.map((i) => (i < 95 ? 0 : 1)); // right 95 % of the time…
    const members = [heldOut(rows, gold, [0.7, 0.3]), heldOut(rows, gold, [0.5, 0.5])]; // …but the mean says 0.6
    const t = ensembleTemperature(members, [1, 1], 2);
    expect(t).toBeLessThan(1);
    // After pooling, the top label's confidence is close to how often it is right.
    expect(poolTemperature(Float64Array.from([0.6, 0.4]), t)[0]).toBeCloseTo(0.95, 2);
    // An over-confident mean gets one above 1.
    const coinFlip = rows.map((i) => i % 2);
    expect(
      ensembleTemperature(
        [heldOut(rows, coinFlip, [0.9, 0.1]), heldOut(rows, coinFlip, [0.9, 0.1])],
        [1, 1],
        2,
      ),
    ).toBeGreaterThan(1);
  });

  it('is 1 for a single member or when the members held out different rows', () => {
    const rows = [0, 1, 2, 3];
    const gold = [0, 0, 0, 1];
    expect(ensembleTemperature([heldOut(rows, gold, [0.6, 0.4])], [1], 2)).toBe(1);
    expect(
      ensembleTemperature(
        [heldOut(rows, gold, [0.6, 0.4]), heldOut([0, 1, 2, 4], gold, [0.6, 0.4])],
        [1, 1],
        2,
      ),
    ).toBe(1);
    expect(ensembleTemperature([], [], 2)).toBe(1);
  });

  it('a trained ensemble stores its temperature, round-trips it, and older JSON without one still loads', () => {
    const words: Record<string, string[]> = {
      jalan: ['jalan', 'aspal', 'berlubang', 'rusak', 'selokan'],
      sehat: ['puskesmas', 'bpjs', 'obat', 'dokter', 'pasien'],
    };
    const examples = Object.entries(words).flatMap(([label, w]) =>
      Array.from({ length: 30 }, (_, i) => ({
        text: `${w[i % 5]} ${w[(i + 2) % 5]}\n${w[(i + 1) % 5]} warga mohon ${w[(i + 3) % 5]}`,
        label,
      })),
    );
    const ensemble = trainEnsemble(examples, undefined, same);
    expect(ensemble.temperature).toBeGreaterThan(0);
    const json = JSON.parse(JSON.stringify(serialiseEnsemble(ensemble))) as Record<string, unknown>;
    const back = deserialiseEnsemble(json, same);
    const text = 'jalan berlubang\nselokan rusak';
    expect([...ensembleProbabilities(back, text)]).toEqual([...ensembleProbabilities(ensemble, text)]);
    // Stored before the ensemble temperature existed: the plain mean of the members.
    const { temperature: _dropped, ...older } = json;
    const plain = deserialiseEnsemble(older, same);
    expect(plain.temperature).toBeUndefined();
    const mean = ensembleProbabilities(plain, text);
    expect(mean[0]! + mean[1]!).toBeCloseTo(1, 10);
    expect(() => deserialiseEnsemble({ ...json, temperature: -1 }, same)).toThrow(/temperature/);
  });
});

describe('suggest among a set of labels', () => {
  const words: Record<string, string[]> = {
    jalan: ['jalan', 'aspal', 'berlubang', 'rusak', 'selokan'],
    lampu: ['lampu', 'penerangan', 'padam', 'tiang', 'gelap'],
    sehat: ['puskesmas', 'bpjs', 'obat', 'dokter', 'pasien'],
  };
  const examples = Object.entries(words).flatMap(([label, w]) =>
    Array.from({ length: 20 }, (_, i) => ({
      text: `${w[i % 5]} ${w[(i + 2) % 5]}\n${w[(i + 1) % 5]} warga mohon ${w[(i + 3) % 5]}`,
      label,
    })),
  );
  const ensemble = trainEnsemble(examples, undefined, same);
  const text = 'jalan berlubang\nselokan rusak dan lampu padam';

  it('ranks only the given labels, with confidences conditional on the set (they sum to 1)', () => {
    const all = suggest(ensemble, text, 3);
    expect(all[0]!.label).toBe('jalan');
    const among = suggest(ensemble, text, 3, new Set(['lampu', 'sehat']));
    expect(among.map((s) => s.label)).toEqual(['lampu', 'sehat']);
    const p = Object.fromEntries(all.map((s) => [s.label, s.confidence]));
    expect(among[0]!.confidence).toBeCloseTo(p.lampu! / (p.lampu! + p.sehat!), 10);
    expect(among[0]!.confidence + among[1]!.confidence).toBeCloseTo(1, 10);
    expect(among[0]!.topTerms.length).toBeGreaterThan(0);
  });

  it('gives nothing when the model knows none of the labels', () => {
    expect(suggest(ensemble, text, 3, new Set(['unknown']))).toEqual([]);
  });
});
