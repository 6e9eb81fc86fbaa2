/**
 * The worker retrains the routing models on a schedule (issue 7), with the injectable clock: nothing before there
 * is enough verified history, a first training once there is, nothing more while the model is fresh or when no
 * report was verified since, a new version once both are true (a disposisi counts as new history too), one training when two workers tick at once, and
 * none from a worker without the option. The worker fits in a worker thread: the same model as in-process, and a
 * failure there is an error, not a hang. Real database, real worker, synthetic texts.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  categoryIds,
  DEMO,
  startTestApp,
  submitReport,
  verifyReport,
  type TestApp,
} from '../../test/helpers/app.ts';
import { HEALTH, ROADS } from '../../test/helpers/routing-corpus.ts';
import { ROUTING_TRAINING_CLAIM, scheduledRoutingTraining } from '../commands/scheduled-routing-training.ts';
import { fitInProcess } from '../commands/routing-fit.ts';
import { routingTrainCli } from '../cli/routing-train.ts';
import { fitInThread } from './routing-fit-thread.ts';
import { startWorker, type Worker } from './worker.ts';

let t: TestApp;
let coord: string;
let catRoads: number;
let catHealth: number;
const workers: Worker[] = [];
const HOUR = 3_600_000;

const versions = async () =>
  (
    (await t.runtime.services.db.execute(
      sql`select kind, max(version)::int as v from routing_models group by kind order by kind`,
    )) as unknown as { rows: Array<{ kind: string; v: number }> }
  ).rows.map((r) => `${r.kind}:${r.v}`);

async function worker(every?: number): Promise<Worker> {
  const w = await startWorker(t.runtime.services, {
    transports: {},
    autoStart: false,
    ...(every === undefined ? {} : { routingTrainEveryHours: every }),
  });
  workers.push(w);
  return w;
}

const verified = async (title: string, agency: 'pupr-kaltim' | 'dinkes-kaltim') => {
  const id = await submitReport(t, title, { reporter: { name: 'Warga Sintetis' } });
  await verifyReport(t, coord, id, agency, agency === 'pupr-kaltim' ? catRoads : catHealth);
};

beforeAll(async () => {
  t = await startTestApp({ now: new Date('2026-03-02T02:00:00Z'), limits: { submitPerMinute: 1000 } });
  coord = await t.login(DEMO.coordinator);
  [catRoads, catHealth] = await categoryIds(t, 'PEKERJAAN UMUM DAN PENATAAN RUANG', 'KESEHATAN');
}, 60_000);
afterAll(async () => {
  for (const w of workers) await w.stop();
  await t?.close();
});

describe('routing models retrained on the worker schedule', () => {
  it('waits for history, trains once, then only when the model is old and reports were verified since', async () => {
    const svc = t.runtime.services;
    const opts = { everyHours: 24, cvMaxRows: 0 };
    // Fewer than 10 verified reports: nothing to learn from yet.
    for (const title of ROADS.slice(0, 3)) await verified(title, 'pupr-kaltim');
    expect(await scheduledRoutingTraining(svc, opts)).toBeNull();

    for (const title of ROADS.slice(3)) await verified(title, 'pupr-kaltim');
    for (const title of HEALTH) await verified(title, 'dinkes-kaltim');
    const first = await scheduledRoutingTraining(svc, opts);
    expect(first?.find((r) => r.kind === 'agency')?.status).toBe('trained');
    expect(await versions()).toContain('agency:1');

    // Fresh model: not due, even with a new verified report.
    t.setNow(new Date(t.clock.now.getTime() + 2 * HOUR));
    await verified('Jalan desa rusak berat setelah banjir bandang', 'pupr-kaltim');
    expect(await scheduledRoutingTraining(svc, opts)).toBeNull();

    // A day later it is due (a report was verified since): version 2.
    t.setNow(new Date(t.clock.now.getTime() + 24 * HOUR));
    expect((await scheduledRoutingTraining(svc, opts))?.find((r) => r.kind === 'agency')?.status).toBe(
      'trained',
    );
    expect(await versions()).toContain('agency:2');

    // Another day, but nothing verified since: no training.
    t.setNow(new Date(t.clock.now.getTime() + 25 * HOUR));
    expect(await scheduledRoutingTraining(svc, opts)).toBeNull();
    expect(await versions()).toContain('agency:2');

    // A disposisi since is new history for the unit model: due again.
    const pupr = await t.login(DEMO.puprAdmin);
    const [held] = (
      (await svc.db.execute(
        sql`select tracking_id from reports where agency_id = 'pupr-kaltim' order by created_at limit 1`,
      )) as unknown as { rows: Array<{ tracking_id: string }> }
    ).rows;
    const r = await t.api(`/api/v1/reports/${held!.tracking_id}/actions/dispose`, {
      json: { unitId: 'pupr-kaltim-unit' },
      token: pupr,
    });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect((await scheduledRoutingTraining(svc, opts))?.find((x) => x.kind === 'agency')?.status).toBe(
      'trained',
    );
    expect(await versions()).toContain('agency:3');
  }, 120_000);

  it('trains from the worker, once when two workers tick together; not from a worker without the option', async () => {
    t.setNow(new Date(t.clock.now.getTime() + 25 * HOUR));
    coord = await t.login(DEMO.coordinator); // sessions expire after 12 hours
    await verified('Puskesmas pembantu tidak buka pada hari kerja', 'dinkes-kaltim');
    const off = await worker();
    await off.runScheduled();
    await off.stop();
    expect(await versions()).toContain('agency:3');

    const [a, b] = [await worker(24), await worker(24)];
    await Promise.all([a.runScheduled(), b.runScheduled()]);
    // The trainings run in the background: stop() waits for them.
    await Promise.all([a.stop(), b.stop()]);
    expect(await versions()).toContain('agency:4');
    expect(await versions()).not.toContain('agency:5');
    const claim = (await t.runtime.services.db.execute(
      sql`select value from settings where key = ${ROUTING_TRAINING_CLAIM}`,
    )) as unknown as { rows: Array<{ value: { at: string } }> };
    expect(claim.rows[0]?.value.at).toBe(t.clock.now.toISOString());
  }, 120_000);

  it('reads only the most recently verified reports when capped: the schedule, the worker option and the CLI', async () => {
    const svc = t.runtime.services;
    t.setNow(new Date(t.clock.now.getTime() + 25 * HOUR));
    coord = await t.login(DEMO.coordinator);
    await verified('Bidan desa jarang datang ke posyandu', 'dinkes-kaltim');
    // The first test verified ROADS and HEALTH at one instant: the ROADS reports go a day earlier, so that the 15
    // verified, the newest first, are 2 Dinkes, 1 PUPR, 6 Dinkes (HEALTH), then the 6 PUPR (ROADS).
    await svc.db.execute(
      sql`update reports set verified_at = verified_at - interval '1 day'
           where title in (${sql.join(
             ROADS.map((x) => sql`${x}`),
             sql`, `,
           )})`,
    );
    // The newest 8 hold one PUPR report: too few for a label (3), so the agency model is not trained from them.
    const capped = await scheduledRoutingTraining(svc, { everyHours: 24, cvMaxRows: 0, maxRows: 8 });
    const agency = capped?.find((r) => r.kind === 'agency');
    expect(agency).toMatchObject({ status: 'skipped', rows: 7, labels: 1, history: { read: 8, total: 15 } });
    expect(await versions()).toContain('agency:4');

    // The worker passes its option (ADUAN_ROUTING_TRAIN_MAX_ROWS) to the same training: still nothing trained.
    t.setNow(new Date(t.clock.now.getTime() + 2 * HOUR));
    const w = await startWorker(svc, {
      transports: {},
      autoStart: false,
      routingTrainEveryHours: 24,
      routingTrainMaxRows: 8,
    });
    workers.push(w);
    await w.runScheduled();
    await w.stop();
    expect(await versions()).not.toContain('agency:5');

    // The CLI: a bad --max-rows is refused before any training; the newest 11 hold 3 PUPR reports, so it trains
    // and says what it left out.
    const out: string[] = [];
    const err: string[] = [];
    const log = vi.spyOn(console, 'log').mockImplementation((l: string) => void out.push(l));
    const error = vi.spyOn(console, 'error').mockImplementation((l: string) => void err.push(l));
    try {
      expect(await routingTrainCli(svc, ['--max-rows', 'lima'], 0)).toBe(2);
      expect(err.join('\n')).toMatch(/--max-rows.*"lima"/);
      expect(await versions()).not.toContain('agency:5');
      expect(await routingTrainCli(svc, ['--kind', 'agency', '--max-rows', '11', '--json'], 0)).toBe(0);
      expect(JSON.parse(out.at(-1)!)).toMatchObject([
        {
          kind: 'agency',
          status: 'trained',
          version: 5,
          rows: 11,
          labels: 2,
          history: { read: 11, total: 15 },
        },
      ]);
      out.length = 0;
      // The instance's default (here: 0, the whole history) applies without the option, and nothing is left out.
      expect(await routingTrainCli(svc, ['--kind', 'agency'], 0)).toBe(0);
      expect(out).toHaveLength(1);
      expect(out[0]).toMatch(/\b15\b/);
      expect(await versions()).toContain('agency:6');
    } finally {
      log.mockRestore();
      error.mockRestore();
    }
  }, 120_000);

  it('fits in a worker thread exactly as in-process, and a failing fit rejects', async () => {
    const examples = [
      ...ROADS.map((text) => ({ text, label: 'pupr' })),
      ...HEALTH.map((text) => ({ text, label: 'dinkes' })),
    ];
    const [inThread, here] = await Promise.all([
      fitInThread(examples, undefined, true),
      fitInProcess(examples, undefined, true),
    ]);
    expect(inThread.model).toEqual(here.model);
    expect(inThread.metrics.macroF1).toBe(here.metrics.macroF1);
    // The agency model's names and waiting reports cross into the thread too.
    const semi = {
      labelDocs: [{ label: 'pupr', text: 'Dinas Pekerjaan Umum\n' }],
      unlabelled: [`${ROADS[0]} dekat pasar`],
    };
    const [semiThread, semiHere] = await Promise.all([
      fitInThread(examples, undefined, false, semi),
      fitInProcess(examples, undefined, false, semi),
    ]);
    expect(semiThread.model).toEqual(semiHere.model);
    expect(semiThread.metrics).toMatchObject({ labelDocs: 3, selfTrained: 1 });
    expect(semiThread.model).not.toEqual(inThread.model);
    await expect(fitInThread([], undefined, false)).rejects.toThrow(/no examples/);
  }, 60_000);
});
