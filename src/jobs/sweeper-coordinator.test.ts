/**
 * An overdue verification of a report filed without a target agency sits in the verify queue of its region's
 * coordinators (Diskominfo of the kab/kota and of the province, as for the submission): the sweeper sends them
 * its reminder, overdue mark and first escalation levels, and the national admin only the national step. A
 * coordinator of another kab/kota hears nothing. Real database, real SMTP server, the sweeper at later instants.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO, startTestApp, type TestApp } from '../../test/helpers/app.ts';
import { startSmtp } from '../../test/helpers/receivers.ts';
import { smtpMailer } from '../integrations/delivery.ts';
import { planSweep, runSweep } from './sweeper.ts';
import { startWorker, type Worker } from './worker.ts';

let t: TestApp;
let smtp: Awaited<ReturnType<typeof startSmtp>>;
let worker: Worker;
const REPORTER = { name: 'Hendra Gunawan', email: 'hendra.g@contoh.aduan.id', phone: '081366600044' };
const SECRETS = [REPORTER.name, REPORTER.email, REPORTER.phone, REPORTER.phone.slice(1)];
// Monday 2 November 2026, 10:00 WITA.
const START = new Date('2026-11-02T02:00:00Z');

const about = (addr: string, id: string) =>
  smtp.unique().filter((m) => m.to.includes(addr) && (m.subject + m.text).includes(id));

async function submit(regionCode: string, title: string) {
  const r = await t.api('/api/v1/reports', {
    json: {
      classification: 'pengaduan',
      title,
      body: `${title}. Mohon segera ditindaklanjuti oleh instansi yang berwenang di wilayah ini.`,
      regionCode,
      anonymous: true,
      reporter: REPORTER,
    },
  });
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  await worker.drain();
  return r.body as { trackingId: string; deadline: { dueAt: string } };
}

beforeAll(async () => {
  t = await startTestApp({ now: START });
  smtp = await startSmtp();
  worker = await startWorker(t.runtime.services, {
    transports: { mailer: smtpMailer(smtp.url, 'aduan <noreply@aduan.test>') },
    autoStart: false,
    sweepEveryMs: 0,
  });
});
afterAll(async () => {
  await worker?.stop();
  await smtp?.close();
  await t?.close();
});

describe('overdue verification without a target agency', () => {
  let balikpapan: { trackingId: string; deadline: { dueAt: string } };
  let samarinda: { trackingId: string; deadline: { dueAt: string } };

  it('reminds the coordinators of the report’s region, not the national admin', async () => {
    balikpapan = await submit('64.71.01', 'Jalan berlubang di Balikpapan Selatan');
    samarinda = await submit('64.72.02', 'Jalan berlubang di Samarinda Ulu');
    // Submitted: the region's coordinators and the national admin verify (fan-out-event.ts `verifiers`).
    expect(about(DEMO.balikpapanCoordinator, balikpapan.trackingId)).toHaveLength(1);
    expect(about(DEMO.balikpapanCoordinator, samarinda.trackingId)).toHaveLength(0);
    // Due Thursday 5 November, 23:59:59.999 WITA; reminded from 00:00 WITA on Wednesday 4 November.
    expect(balikpapan.deadline.dueAt).toBe('2026-11-05T23:59:59.999+08:00');
    t.setNow(new Date('2026-11-04T09:00:00+08:00'));
    const plan = await planSweep(t.runtime.services, t.clock.now);
    const reminder = (id: string) => plan.find((a) => a.trackingId === id && a.action === 'reminder');
    expect(reminder(balikpapan.trackingId)?.notify).toEqual([
      { role: 'coordinator', agencyId: 'diskominfo-balikpapan' },
      { role: 'coordinator', agencyId: 'diskominfo-kaltim' },
    ]);
    expect(reminder(samarinda.trackingId)?.notify).toEqual([
      { role: 'coordinator', agencyId: 'diskominfo-kaltim' },
      { role: 'coordinator', agencyId: 'diskominfo-samarinda' },
    ]);
    await runSweep(t.runtime.services, t.clock.now, { dryRun: false });
    await worker.drain();
    const [mail, ...more] = about(DEMO.balikpapanCoordinator, balikpapan.trackingId).slice(1);
    expect(more).toEqual([]);
    expect(mail!.text).toContain(
      `Pengingat: tenggat laporan ${balikpapan.trackingId} (Verifikasi) jatuh pada 5 November 2026 pukul 23.59 WITA.`,
    );
    // The province's coordinator covers both kab/kota; the Balikpapan coordinator hears nothing of Samarinda.
    expect(about(DEMO.coordinator, samarinda.trackingId).at(-1)!.text).toContain('Pengingat');
    expect(about(DEMO.balikpapanCoordinator, samarinda.trackingId)).toHaveLength(0);
    // The national admin: only the submission, no reminder.
    expect(about(DEMO.national, balikpapan.trackingId)).toHaveLength(1);
  });

  it('overdue and the first escalation levels reach the coordinators; the national admin gets level 4', async () => {
    // Thursday 26 November 2026: 14 working days late (no holiday in between).
    t.setNow(new Date('2026-11-26T09:00:00+08:00'));
    const plan = await planSweep(t.runtime.services, t.clock.now);
    const steps = plan.filter((a) => a.trackingId === balikpapan.trackingId);
    expect(steps.map((a) => [a.action, a.level, a.notify])).toEqual([
      [
        'overdue',
        1,
        [
          { role: 'coordinator', agencyId: 'diskominfo-balikpapan' },
          { role: 'coordinator', agencyId: 'diskominfo-kaltim' },
        ],
      ],
      [
        'escalate',
        2,
        [
          { role: 'coordinator', agencyId: 'diskominfo-balikpapan' },
          { role: 'coordinator', agencyId: 'diskominfo-kaltim' },
        ],
      ],
      [
        'escalate',
        3,
        [
          { role: 'coordinator', agencyId: 'diskominfo-balikpapan' },
          { role: 'coordinator', agencyId: 'diskominfo-kaltim' },
        ],
      ],
      ['escalate', 4, [{ role: 'national_admin', agencyId: null }]],
    ]);
    const done = await runSweep(t.runtime.services, t.clock.now, { dryRun: false });
    expect(done.filter((a) => a.trackingId === balikpapan.trackingId).map((a) => a.result)).toEqual([
      'done',
      'done',
      'done',
      'done',
    ]);
    await worker.drain();

    const coord = about(DEMO.balikpapanCoordinator, balikpapan.trackingId).map((m) => m.text);
    expect(
      coord.some((s) => s.includes(`Laporan ${balikpapan.trackingId} melewati tenggat (Verifikasi`)),
    ).toBe(true);
    for (const level of [2, 3])
      expect(
        coord.some((s) => s.includes(`Eskalasi tingkat ${level}: laporan ${balikpapan.trackingId}`)),
      ).toBe(true);
    expect(coord.some((s) => s.includes('Eskalasi tingkat 4'))).toBe(false);
    const national = about(DEMO.national, balikpapan.trackingId).map((m) => m.text);
    expect(national.some((s) => s.includes(`Eskalasi tingkat 4: laporan ${balikpapan.trackingId}`))).toBe(
      true,
    );
    expect(
      national.some(
        (s) =>
          s.includes(`Laporan ${balikpapan.trackingId} melewati`) ||
          /Eskalasi tingkat [123]|Pengingat/.test(s),
      ),
    ).toBe(false);
    // In-app for the Balikpapan coordinator: reminder, overdue, levels 2 and 3 of their region's report only.
    const list = await t.api('/api/v1/notifications?limit=200', {
      token: await t.login(DEMO.balikpapanCoordinator),
    });
    expect(list.status).toBe(200);
    const items = list.body.items as Array<{ kind: string; trackingId: string }>;
    expect(
      items
        .filter((i) => i.trackingId === balikpapan.trackingId)
        .map((i) => i.kind)
        .sort(),
    ).toEqual(['escalate_ladder', 'escalate_ladder', 'overdue', 'reminder', 'submit']);
    expect(items.filter((i) => i.trackingId === samarinda.trackingId)).toEqual([]);
    // A coordinator of another kab/kota never hears of it; no reporter identity in any staff message.
    expect(about(DEMO.balikpapanCoordinator, samarinda.trackingId)).toHaveLength(0);
    const staff = smtp.unique().filter((m) => !m.to.includes(REPORTER.email));
    for (const m of staff) for (const s of SECRETS) expect(m.subject + m.text).not.toContain(s);
    expect(JSON.stringify(list.body)).not.toContain(REPORTER.name);
  });
});
