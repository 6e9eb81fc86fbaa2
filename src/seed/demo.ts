/**
 * Seeds the synthetic Kalimantan Timur demo on an empty database: agencies, demo accounts, the demo Open311
 * key, and a few dozen reports driven through the real commands so that every status and timeline is genuine
 * and every intake channel appears (web, API, Open311, SMS, email, and walk-in/phone/letter recorded by staff).
 */
import { eq, sql } from 'drizzle-orm';
import { agencies, apiKeys, roleGrants, settings, users } from '../db/schema.ts';
import { childPath } from '../db/repositories/agencies.ts';
import { actorFor, findUserByEmail } from '../db/repositories/users.ts';
import { query, type AppDb } from '../db/client.ts';
import { hashPassword } from '../integrations/passwords.ts';
import { sha256 } from '../integrations/crypto.ts';
import type { Caller, Services } from '../app/context.ts';
import { submitReport } from '../commands/submit-report.ts';
import { verifyReport } from '../commands/verify-report.ts';
import { holdReport } from '../commands/hold-report.ts';
import { archiveReport } from '../commands/archive-report.ts';
import { disposeReport } from '../commands/dispose-report.ts';
import { returnReport } from '../commands/return-report.ts';
import { respondToReport } from '../commands/respond-to-report.ts';
import { acceptReport } from '../commands/accept-report.ts';
import { escalateReport } from '../commands/escalate-report.ts';
import { suggestRouting, suggestUnits } from '../commands/suggest-routing.ts';
import { trainRoutingModels } from '../commands/train-routing.ts';
import {
  DEMO_AGENCIES,
  DEMO_REPORT_TEXTS,
  DEMO_ROUTING_TEXTS,
  DEMO_UNIT_TEXTS,
  DEMO_USERS,
  DEMO_WAITING_TEXTS,
} from './demo-data.ts';
import {
  CHANNELS,
  STAFF_INTAKE_CHANNELS,
  type Classification,
  type ReportStatus,
} from '../domain/report/report.ts';
import { boxOf, kabKotaAt, kabKotaBoundaries } from '../queries/boundaries.ts';

export interface DemoOptions {
  password: string;
  open311Key: string;
  /** Also create the synthetic reports (off for the test template). */
  reports: boolean;
}

/** True when the demo organisation already exists. */
export async function demoSeeded(db: AppDb): Promise<boolean> {
  const [row] = await db.select().from(settings).where(eq(settings.key, 'demo')).limit(1);
  return !!row;
}

/** Seeds agencies, accounts and the Open311 key (idempotent). */
export async function seedDemoOrganisation(db: AppDb, opts: Omit<DemoOptions, 'reports'>): Promise<void> {
  if (await demoSeeded(db)) return;
  const byId = new Map<string, string>();
  for (const a of DEMO_AGENCIES) {
    const parentPath = a.parentId ? byId.get(a.parentId)! : null;
    const path = childPath(parentPath ? { path: parentPath } : null, a.id);
    byId.set(a.id, path);
    await db.insert(agencies).values({
      id: a.id,
      name: a.name,
      shortName: a.shortName ?? null,
      kind: a.kind,
      parentId: a.parentId ?? null,
      path,
      regionCode: a.regionCode,
      zone: a.zone,
      isCoordinator: a.isCoordinator ?? false,
      smsKeyword: a.smsKeyword ?? null,
    });
  }
  const passwordHash = await hashPassword(opts.password);
  for (const u of DEMO_USERS) {
    const [row] = await db.insert(users).values({ email: u.email, name: u.name, passwordHash }).returning();
    await db.insert(roleGrants).values({ userId: row!.id, role: u.role, agencyId: u.agencyId });
  }
  await db.insert(apiKeys).values({
    name: 'Demo Open311 client',
    keyHash: sha256(opts.open311Key),
    scopes: ['open311'],
  });
  await db.insert(settings).values({ key: 'demo', value: { seededAt: new Date().toISOString() } });
}

const DAY = 86_400_000;

async function callerFor(db: AppDb, email: string): Promise<Caller> {
  const user = await findUserByEmail(db, email);
  return { actor: await actorFor(db, user!.id) };
}

/** The status each synthetic report is driven to, cycling so every status appears several times. */
const TARGETS: ReportStatus[] = [
  'submitted',
  'dispatched',
  'in_progress',
  'responded',
  'completed',
  'on_hold',
  'returned',
  'archived',
  'completed',
  'dispatched',
  'transferred',
  'responded',
];

/** Top-level category id by name (the first category when the name is unknown). */
async function topCategoryIds(db: AppDb): Promise<(name: string) => number> {
  const cats = await query<{ id: number; name: string }>(
    db,
    sql`select id, name from categories where parent_id is null`,
  );
  return (name) => cats.find((c) => c.name === name)?.id ?? cats[0]!.id;
}

/**
 * A report's clock in the past: starts at `start`; `at(days)` moves it on by `days` (never later than a minute
 * before `now`) and returns the services at that moment, so each step of a timeline happens after the last.
 */
function pastClock(svc: Services, start: Date, now: Date): (days: number) => Services {
  let t = start;
  return (days) => {
    t = new Date(Math.min(t.getTime() + days * DAY, now.getTime() - 60_000));
    return { ...svc, now: () => t };
  };
}

/** The channels whose demo reports carry a map point (a citizen pinning it, or an app sending it). */
const PINNED_CHANNELS: readonly string[] = ['web', 'api', 'open311', 'walk_in'];

const pointInside = new Map<string, { lat: number; lon: number } | null>();

/**
 * A synthetic point in the kab/kota of `regionCode` (null for a province-level code): the point of a 20 × 20 grid
 * over its boundary's box that lies inside it and nearest the box's centre, moved `n` × 90 m east while that stays
 * inside, so the reports of one demo text lie a few hundred metres apart and the similar-report lists show distances.
 */
export function demoPoint(regionCode: string | null, n: number): { lat: number; lon: number } | null {
  const kab = regionCode?.split('.').slice(0, 2).join('.') ?? '';
  if (!/^\d{2}\.\d{2}$/.test(kab)) return null;
  const inside = (p: { lat: number; lon: number }) => kabKotaAt(p.lon, p.lat)?.properties.kode === kab;
  if (!pointInside.has(kab)) {
    const f = kabKotaBoundaries(kab.slice(0, 2)).find((b) => b.properties.kode === kab);
    const [minLon, minLat, maxLon, maxLat] = f ? boxOf(f) : [0, 0, 0, 0];
    const centre = { lat: (minLat + maxLat) / 2, lon: (minLon + maxLon) / 2 };
    const grid = Array.from({ length: 400 }, (_, k) => ({
      lat: minLat + ((Math.floor(k / 20) + 0.5) * (maxLat - minLat)) / 20,
      lon: minLon + (((k % 20) + 0.5) * (maxLon - minLon)) / 20,
    })).filter(inside);
    const distance = (p: { lat: number; lon: number }) =>
      (p.lat - centre.lat) ** 2 + (p.lon - centre.lon) ** 2;
    pointInside.set(kab, grid.sort((a, b) => distance(a) - distance(b))[0] ?? null);
  }
  const base = pointInside.get(kab);
  if (!base) return null;
  const moved = {
    lat: base.lat,
    lon: base.lon + (n * 90) / (111_320 * Math.cos((base.lat * Math.PI) / 180)),
  };
  return inside(moved) ? moved : base;
}

/** Creates synthetic reports through the commands, with timelines in the past. */
export async function seedDemoReports(svc: Services, now: Date): Promise<number> {
  const db = svc.db;
  const verifier = await callerFor(db, 'diskominfo.kaltim@demo.aduan.id');
  const national = await callerFor(db, 'nasional@demo.aduan.id');
  const catId = await topCategoryIds(db);
  let count = 0;
  for (let i = 0; i < 36; i++) {
    const [agencyId, category, region, title, body, classification] =
      DEMO_REPORT_TEXTS[i % DEMO_REPORT_TEXTS.length]!;
    const target = TARGETS[i % TARGETS.length]!;
    const ageDays = target === 'transferred' ? 120 + i : 2 + ((i * 7) % 40);
    const at = pastClock(svc, new Date(now.getTime() - ageDays * DAY), now);
    // Every intake channel appears; walk-in, phone and letter complaints are recorded by the coordinator's
    // officer on the citizen's behalf, as the walk-in page does.
    const channel = CHANNELS[i % CHANNELS.length]!;
    const staffIntake = (STAFF_INTAKE_CHANNELS as readonly string[]).includes(channel);
    const { report, accessKey } = await submitReport(
      at(0),
      staffIntake ? verifier : { actor: { userId: null, grants: [] } },
      {
        classification,
        title: `${title}${i >= 12 ? ` (${Math.floor(i / 12) + 1})` : ''}`,
        body,
        regionCode: region,
        ...(PINNED_CHANNELS.includes(channel)
          ? demoPoint(region, Math.floor(i / DEMO_REPORT_TEXTS.length))
          : {}),
        // An SMS complaint is anonymous with a number only, as the SMS channel files it (docs/channels.md).
        anonymous: channel === 'sms' || i % 4 === 1,
        confidential: i % 9 === 5,
        reporter:
          channel === 'sms'
            ? { phone: `0812000000${String(i).padStart(2, '0')}` }
            : {
                name: `Pelapor Demo ${i + 1}`,
                email: `pelapor${i + 1}@contoh.aduan.id`,
                phone: `0812000000${String(i).padStart(2, '0')}`,
              },
        channel,
        recordedBy: staffIntake ? (verifier.actor.userId ?? undefined) : undefined,
        // As the walk-in form does: the flags above stand for the citizen's answers to the officer's questions.
        privacyChoice: staffIntake ? 'asked' : undefined,
      },
    );
    count++;
    const id = report.row.trackingId;
    const reporter: Caller = { actor: { userId: null, grants: [] }, accessKey };
    const agencyAdmin =
      agencyId === 'pupr-kaltim' ? await callerFor(db, 'pupr.kaltim@demo.aduan.id') : national;
    if (target === 'submitted') continue;
    if (target === 'on_hold') {
      await holdReport(at(1), verifier, id, { question: 'Mohon lengkapi alamat lengkap dan foto lokasi.' });
      continue;
    }
    if (target === 'archived') {
      await archiveReport(at(1), verifier, id, { reason: 'too_general', note: 'Laporan terlalu umum.' });
      continue;
    }
    // Most demo agencies have no staff account on purpose (only PUPR and Dinkes do): the seed confirms, as a
    // verifier must (dispatch-confirmations.ts).
    await verifyReport(at(1), verifier, id, {
      categoryId: catId(category),
      agencyId,
      confirmUnstaffed: true,
    });
    if (target === 'returned') {
      await returnReport(at(2), agencyAdmin, id, {
        note: 'Bukan kewenangan provinsi; jalan ini jalan kota.',
      });
      continue;
    }
    if (target === 'dispatched') {
      if (agencyId === 'pupr-kaltim')
        await disposeReport(at(1), agencyAdmin, id, { unitId: 'pupr-kaltim-unit' });
      continue;
    }
    if (target === 'transferred') {
      await escalateReport(at(100), reporter, id, { consent: true, note: 'Belum ada penyelesaian.' });
      continue;
    }
    await respondToReport(at(2), agencyAdmin, id, {
      body: 'Laporan sudah kami terima dan petugas sudah meninjau lokasi. Penanganan dijadwalkan minggu ini.',
      final: target !== 'in_progress',
    });
    if (target === 'completed')
      await acceptReport(at(2), reporter, id, { rating: 4 + (i % 2), comment: 'Terima kasih.' });
  }
  const routing = await seedDemoRoutingHistory(svc, now, count + 1);
  const units = await seedDemoUnitHistory(svc, now, count + routing + 1);
  return count + routing + units + (await seedDemoWaitingReports(svc, now, count + routing + units + 1));
}

/**
 * Reports filed in the last two days and left for the verifier (`DEMO_WAITING_TEXTS`): the first is a question its
 * citizen filed as a pengaduan, so the verify screen suggests correcting the classification.
 */
export async function seedDemoWaitingReports(svc: Services, now: Date, firstNumber: number): Promise<number> {
  for (const [i, [, , region, title, body, classification]] of DEMO_WAITING_TEXTS.entries()) {
    const at = pastClock(svc, new Date(now.getTime() - (2 - i) * DAY), now);
    await fileDemoReport(at(0), {
      title,
      body,
      region,
      n: firstNumber + i,
      point: 30 + i,
      channel: 'web',
      classification: i === 0 ? 'pengaduan' : classification,
    });
  }
  return DEMO_WAITING_TEXTS.length;
}

/**
 * A history of dispositions inside Dinas PUPR, so the dispose form suggests a unit from the first start: the first
 * ten reports are passed down by hand, then the unit model is trained and the last four are passed down with the
 * suggestions on screen (so the accuracy page counts them). Each is then answered and accepted. No agency suggestions
 * are shown for them, so the agency routing history above stays as it is. The unit model is retrained at the end.
 */
export async function seedDemoUnitHistory(svc: Services, now: Date, firstNumber: number): Promise<number> {
  const db = svc.db;
  const verifier = await callerFor(db, 'diskominfo.kaltim@demo.aduan.id');
  const puprAdmin = await callerFor(db, 'pupr.kaltim@demo.aduan.id');
  const catId = await topCategoryIds(db);
  for (const [i, [unitId, region, title, body]] of DEMO_UNIT_TEXTS.entries()) {
    const n = firstNumber + i;
    const at = pastClock(svc, new Date(now.getTime() - (110 - i * 7) * DAY), now);
    const { report, accessKey } = await fileDemoReport(at(0), {
      title,
      body,
      region,
      n,
      point: 8 + i,
      channel: i % 2 === 0 ? 'web' : 'api',
    });
    const id = report.row.trackingId;
    await verifyReport(at(1), verifier, id, {
      categoryId: catId('PEKERJAAN UMUM DAN PENATAAN RUANG'),
      agencyId: 'pupr-kaltim',
    });
    if (i === 10) await trainRoutingModels(at(0), { kinds: ['unit'] });
    if (i >= 10) await suggestUnits(at(0), puprAdmin, id);
    await disposeReport(at(0), puprAdmin, id, { unitId });
    await respondToReport(at(2), puprAdmin, id, {
      body: 'Sudah ditangani oleh bidang terkait dan hasilnya kami lampirkan di laporan ini.',
      final: true,
    });
    await acceptReport(at(1), { actor: { userId: null, grants: [] }, accessKey }, id, {
      rating: 4 + (i % 2),
      comment: 'Terima kasih, sudah beres.',
    });
  }
  await trainRoutingModels(svc, { kinds: ['unit'] });
  return DEMO_UNIT_TEXTS.length;
}

/**
 * A synthetic citizen ("Pelapor Demo n") files a report (a pengaduan unless `classification` says otherwise) by web or
 * API, pinned at the `point`-th demo point.
 */
function fileDemoReport(
  svc: Services,
  r: {
    title: string;
    body: string;
    region: string;
    n: number;
    point: number;
    channel: 'web' | 'api';
    classification?: Classification;
  },
) {
  return submitReport(
    svc,
    { actor: { userId: null, grants: [] } },
    {
      classification: r.classification ?? 'pengaduan',
      title: r.title,
      body: r.body,
      regionCode: r.region,
      ...demoPoint(r.region, r.point),
      reporter: { name: `Pelapor Demo ${r.n}`, email: `pelapor${r.n}@contoh.aduan.id` },
      channel: r.channel,
    },
  );
}

/**
 * A few months of routing history, so the routing accuracy page and the verification screen have something to
 * show: the models are trained on the reports above, then reports in other words arrive over the last four months
 * and the coordinator verifies each with the suggestions on screen, as a verifier would. The last one first goes
 * to the wrong agency and comes back as bukan wewenang. The models are then retrained on everything.
 */
export async function seedDemoRoutingHistory(svc: Services, now: Date, firstNumber: number): Promise<number> {
  const db = svc.db;
  await trainRoutingModels(svc);
  const verifier = await callerFor(db, 'diskominfo.kaltim@demo.aduan.id');
  const puprAdmin = await callerFor(db, 'pupr.kaltim@demo.aduan.id');
  const catId = await topCategoryIds(db);
  const texts = DEMO_ROUTING_TEXTS;
  for (const [i, [agencyId, category, region, title, body, classification]] of texts.entries()) {
    const n = firstNumber + i;
    const at = pastClock(
      svc,
      new Date(now.getTime() - (120 - Math.floor((i * 100) / texts.length)) * DAY),
      now,
    );
    const { report } = await fileDemoReport(at(0), {
      title,
      body,
      region,
      n,
      point: 4 + i,
      channel: 'web',
      classification,
    });
    const id = report.row.trackingId;
    await suggestRouting(at(1), verifier, id);
    if (i === texts.length - 1 && agencyId !== 'pupr-kaltim') {
      await verifyReport(at(0), verifier, id, { categoryId: catId(category), agencyId: 'pupr-kaltim' });
      await returnReport(at(1), puprAdmin, id, { note: 'Bukan wewenang Dinas PUPR; mohon diteruskan.' });
    }
    await verifyReport(at(0), verifier, id, {
      categoryId: catId(category),
      agencyId,
      confirmUnstaffed: true,
    });
  }
  await trainRoutingModels(svc);
  return texts.length;
}
