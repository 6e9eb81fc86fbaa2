import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  addCalendarDayCount,
  applyHolidayCorrections,
  makeCalendar,
  parseHolidayCsv,
  tryParseHolidayCorrections,
  workingDaysBetween,
} from './calendar.ts';
import {
  addRuleDays,
  AGENCY_CLOCKS,
  clockRuleRegion,
  CLOCK_CAUSES,
  computeDeadline,
  deadlineStatus,
  DEFAULT_SLA_RULES,
  findRule,
  isAgencyClock,
  SLA_CLOCKS,
  ruleDeadlinePassedCutoff,
  selectRule,
  widerRuleInForce,
  widerRuleLimit,
  type ClockCause,
  type SlaRule,
} from './sla.ts';

const asset = (name: string) => readFileSync(new URL(`../../assets/${name}`, import.meta.url), 'utf8');
const CORRECTIONS = tryParseHolidayCorrections(asset('holidays-corrections.csv'));
if (!CORRECTIONS.ok) throw new Error(CORRECTIONS.error.message);
/** The calendar new databases load (the community table with its SKB corrections). */
const HOLIDAYS = applyHolidayCorrections(parseHolidayCsv(asset('holidays.csv')), CORRECTIONS.value);
const WIB = makeCalendar('WIB', HOLIDAYS);
const WITA = makeCalendar('WITA', HOLIDAYS, '64.71');
const AT = new Date('2025-03-27T03:00:00Z'); // Thursday 27 March 2025, 10:00 WIB

describe('DEFAULT_SLA_RULES', () => {
  it('holds the pre-2025 defaults, version 1, valid from 2018-01-01, and escalation v2 in calendar days', () => {
    const days = (
      clock: (typeof SLA_CLOCKS)[number],
      classification: SlaRule['classification'],
      supervisory = false,
    ) => selectRule(DEFAULT_SLA_RULES, clock, { classification, supervisory, at: AT }).workingDays;
    expect(days('verification', 'pengaduan')).toBe(3);
    expect(days('follow_up', 'aspirasi')).toBe(5);
    expect(days('reporter_window', null)).toBe(10);
    expect(days('completion', 'pengaduan')).toBe(14);
    expect(days('completion', 'pengaduan', true)).toBe(60);
    expect(days('completion', 'aspirasi')).toBe(5);
    expect(days('completion', 'permintaan_informasi')).toBe(5);
    expect(days('hold_reply', 'pengaduan')).toBe(10);
    expect(days('escalation', 'pengaduan')).toBe(60);
    for (const r of DEFAULT_SLA_RULES.filter((r) => r.version === 1)) {
      expect(r.validFrom).toBe('2018-01-01');
      expect(r.dayUnit).toBe('working');
      expect(r.basis.length).toBeGreaterThan(0);
    }
    // The Ombudsman takeover is 60 days (domain.md §5.4): version 2 counts calendar days from 2026-12-01;
    // reports filed before keep version 1 (60 working days).
    expect(DEFAULT_SLA_RULES.filter((r) => r.version !== 1)).toEqual([
      expect.objectContaining({
        id: 'escalation',
        version: 2,
        workingDays: 60,
        dayUnit: 'calendar',
        validFrom: '2026-12-01',
      }),
    ]);
    const escalation = (at: string) =>
      selectRule(DEFAULT_SLA_RULES, 'escalation', {
        classification: 'pengaduan',
        at: new Date(at),
        zone: 'WITA',
      });
    expect(escalation('2026-11-30T15:59:59.999Z')).toMatchObject({ version: 1, dayUnit: 'working' });
    expect(escalation('2026-11-30T16:00:00.000Z')).toMatchObject({ version: 2, dayUnit: 'calendar' });
    expect(new Set(DEFAULT_SLA_RULES.map((r) => `${r.id}#${r.version}`)).size).toBe(DEFAULT_SLA_RULES.length);
    expect(new Set(DEFAULT_SLA_RULES.map((r) => r.clock))).toEqual(new Set(SLA_CLOCKS));
  });
});

describe('selectRule', () => {
  const v2Verification: SlaRule = {
    id: 'verification',
    version: 2,
    clock: 'verification',
    classification: null,
    workingDays: 2,
    basis: 'PermenPANRB 5/2025',
    validFrom: '2025-07-01',
  };
  const aspirasiVerification: SlaRule = {
    id: 'verification.aspirasi',
    version: 1,
    clock: 'verification',
    classification: 'aspirasi',
    workingDays: 7,
    basis: 'test',
    validFrom: '2018-01-01',
  };
  const rules = [...DEFAULT_SLA_RULES, v2Verification, aspirasiVerification];

  it('picks the highest version in force at the start instant', () => {
    const q = { classification: 'pengaduan' as const, supervisory: false };
    expect(selectRule(rules, 'verification', { ...q, at: AT }).version).toBe(1);
    // v2 starts at 00:00 WIB on 1 July 2025.
    expect(selectRule(rules, 'verification', { ...q, at: new Date('2025-06-30T16:59:59Z') }).version).toBe(1);
    expect(selectRule(rules, 'verification', { ...q, at: new Date('2025-06-30T17:00:00Z') })).toBe(
      v2Verification,
    );
    // In WIT, 1 July begins two hours earlier.
    expect(
      selectRule(rules, 'verification', { ...q, at: new Date('2025-06-30T15:00:00Z'), zone: 'WIT' }).version,
    ).toBe(2);
  });

  it('prefers a classification-specific rule over a null-classification rule', () => {
    const at = new Date('2025-08-01T03:00:00Z');
    expect(selectRule(rules, 'verification', { classification: 'aspirasi', at })).toBe(aspirasiVerification);
    expect(selectRule(rules, 'verification', { classification: 'pengaduan', at })).toBe(v2Verification);
    expect(selectRule(rules, 'verification', { classification: null, at })).toBe(v2Verification);
  });

  it('distinguishes pengaduan berkadar pengawasan, defaulting to not supervisory', () => {
    expect(selectRule(rules, 'completion', { classification: 'pengaduan', at: AT }).id).toBe(
      'completion.pengaduan',
    );
    expect(
      selectRule(rules, 'completion', { classification: 'pengaduan', supervisory: true, at: AT }).id,
    ).toBe('completion.pengaduan.pengawasan');
    // The flag does not matter for aspirasi.
    expect(
      selectRule(rules, 'completion', { classification: 'aspirasi', supervisory: true, at: AT }).workingDays,
    ).toBe(5);
  });

  describe('regional rules (Pergub/Perwali)', () => {
    const kaltim: SlaRule = {
      id: '64:verification',
      version: 1,
      clock: 'verification',
      classification: null,
      workingDays: 1,
      basis: 'Pergub Kaltim 12/2026',
      validFrom: '2026-11-10',
      regionCode: '64',
    };
    // As long as the province's rule (a kab/kota may only tighten it): region first, the kab/kota's rule wins.
    const balikpapan: SlaRule = {
      ...kaltim,
      id: '64.71:verification',
      basis: 'Perwali Balikpapan 3/2026',
      regionCode: '64.71',
    };
    const notAncestor: SlaRule = { ...kaltim, id: '64.7:verification', workingDays: 2, regionCode: '64.7' };
    const kaltara: SlaRule = { ...kaltim, id: '65:verification', workingDays: 2, regionCode: '65' };
    const regional = [...rules, kaltim, notAncestor, kaltara];
    const at = new Date('2026-11-10T02:00:00Z');
    const q = { classification: 'pengaduan' as const, at, zone: 'WITA' as const };

    it('applies a rule of the report region or an ancestor of it, on dot boundaries', () => {
      expect(selectRule(regional, 'verification', { ...q, regionCode: '64.71.01.1001' })).toBe(kaltim);
      expect(selectRule(regional, 'verification', { ...q, regionCode: '64' })).toBe(kaltim);
      // 64.7 is a prefix of 64.71 but not its ancestor; 65 is another province.
      expect(
        selectRule([...rules, notAncestor, kaltara], 'verification', { ...q, regionCode: '64.71.01' }),
      ).toBe(v2Verification);
      expect(selectRule(regional, 'verification', { ...q, regionCode: '31.71.01' })).toBe(v2Verification);
      // No region on the report: national rules only.
      expect(selectRule(regional, 'verification', q)).toBe(v2Verification);
      expect(selectRule(regional, 'verification', { ...q, regionCode: null })).toBe(v2Verification);
    });

    it('lets the most specific region win, before classification specificity and version', () => {
      const all = [...regional, balikpapan];
      expect(selectRule(all, 'verification', { ...q, regionCode: '64.71.01' })).toBe(balikpapan);
      expect(selectRule(all, 'verification', { ...q, regionCode: '64.72.02' })).toBe(kaltim);
      // A national classification-specific rule (aspirasi, 7 days) loses to the province's general rule.
      expect(selectRule(all, 'verification', { ...q, classification: 'aspirasi', regionCode: '64.72' })).toBe(
        kaltim,
      );
      // Within a region, the usual order: a newer version of the province's rule wins.
      const kaltimV2: SlaRule = { ...kaltim, version: 2, workingDays: 2, validFrom: '2026-11-11' };
      const later = new Date('2026-11-11T02:00:00Z');
      expect(selectRule([...all, kaltimV2], 'verification', { ...q, at: later, regionCode: '64.72' })).toBe(
        kaltimV2,
      );
    });

    it('applies to clocks that start on or after its validFrom, in the report zone', () => {
      // 9 November 23:59 WITA: the national rule; 10 November 00:00 WITA: the province's.
      expect(
        selectRule(regional, 'verification', {
          ...q,
          at: new Date('2026-11-09T15:59:59Z'),
          regionCode: '64.71',
        }),
      ).toBe(v2Verification);
      expect(
        selectRule(regional, 'verification', {
          ...q,
          at: new Date('2026-11-09T16:00:00Z'),
          regionCode: '64.71',
        }),
      ).toBe(kaltim);
    });

    it('clockRuleRegion: an instansi vertikal runs its own clocks on national rules, not the Pergub', () => {
      expect(AGENCY_CLOCKS).toEqual(['follow_up', 'completion', 'escalation']);
      for (const clock of SLA_CLOCKS) {
        // A perangkat daerah (or no holder): every clock follows the report's region.
        expect(clockRuleRegion(clock, '64.71.01', false)).toBe('64.71.01');
        // A kementerian/lembaga office: its clocks national, the verifier's and the reporter's the region's.
        expect(clockRuleRegion(clock, '64.71.01', true)).toBe(isAgencyClock(clock) ? null : '64.71.01');
        expect(clockRuleRegion(clock, null, true)).toBeNull();
      }
      const completion: SlaRule = {
        ...kaltim,
        id: '64:completion',
        clock: 'completion',
        workingDays: 4,
      };
      const at = new Date('2026-11-10T02:00:00Z');
      const query = { classification: 'aspirasi' as const, at, zone: 'WITA' as const };
      expect(
        selectRule([...rules, completion], 'completion', {
          ...query,
          regionCode: clockRuleRegion('completion', '64.71', false),
        }),
      ).toBe(completion);
      expect(
        selectRule([...rules, completion], 'completion', {
          ...query,
          regionCode: clockRuleRegion('completion', '64.71', true),
        }),
      ).toMatchObject({ id: 'completion.aspirasi', workingDays: 5, basis: 'PermenPANRB 62/2018' });
    });

    describe('a later, shorter national rule caps a longer regional one', () => {
      // Kaltim's Pergub: completion in 4 working days for every classification (tighter than 5 for aspirasi).
      const kaltimCompletion: SlaRule = {
        ...kaltim,
        id: '64:completion',
        clock: 'completion',
        workingDays: 4,
      };
      // A later PermenPANRB lowers aspirasi completion to 3 from 1 December 2026.
      const national3: SlaRule = {
        id: 'completion.aspirasi',
        version: 2,
        clock: 'completion',
        classification: 'aspirasi',
        workingDays: 3,
        basis: 'PermenPANRB 9/2026',
        validFrom: '2026-12-01',
      };
      const all = [...rules, kaltimCompletion, national3];
      const before = new Date('2026-11-30T02:00:00Z');
      const after = new Date('2026-12-01T02:00:00Z');
      const aspirasi = { classification: 'aspirasi' as const, zone: 'WITA' as const, regionCode: '64.71.01' };

      it('uses the shorter national rule from its validFrom, region first otherwise', () => {
        expect(selectRule(all, 'completion', { ...aspirasi, at: before })).toBe(kaltimCompletion);
        expect(selectRule(all, 'completion', { ...aspirasi, at: after })).toBe(national3);
        // Pengaduan: the national 14 days are longer, the Pergub's 4 stay.
        expect(selectRule(all, 'completion', { ...aspirasi, classification: 'pengaduan', at: after })).toBe(
          kaltimCompletion,
        );
        // Another unit is not compared: a calendar-day national rule does not cap a working-day regional one.
        const calendar3: SlaRule = { ...national3, version: 3, dayUnit: 'calendar', validFrom: '2026-12-01' };
        expect(selectRule([...all, calendar3], 'completion', { ...aspirasi, at: after })).toBe(
          kaltimCompletion,
        );
        // The explanation cites the rule used: the national basis.
        const d = computeDeadline(
          selectRule(all, 'completion', { ...aspirasi, at: after }),
          after,
          makeCalendar('WITA', []),
        );
        expect(d.workingDays).toBe(3);
        expect(d.explanation.id).toContain('PermenPANRB 9/2026');
        expect(d.explanation.id).not.toContain('Pergub');
      });

      it('caps along the chain: a kab/kota rule by its province, the province by the nation', () => {
        const bppCompletion: SlaRule = { ...kaltimCompletion, id: '64.71:completion', regionCode: '64.71' };
        const kaltimV2: SlaRule = {
          ...kaltimCompletion,
          version: 2,
          workingDays: 2,
          validFrom: '2026-11-20',
        };
        const chain = [...rules, kaltimCompletion, bppCompletion];
        const q = { ...aspirasi, at: after };
        expect(selectRule(chain, 'completion', q)).toBe(bppCompletion);
        // The province later shortens its rule to 2: the kab/kota's 4 yields to it.
        expect(selectRule([...chain, kaltimV2], 'completion', q)).toBe(kaltimV2);
        // The nation's 3 caps the kab/kota's 4 through the province's 4.
        expect(selectRule([...chain, national3], 'completion', q)).toBe(national3);
        // The kab/kota's rule is still used outside the capped classification, and in its own region only.
        expect(selectRule([...chain, national3], 'completion', { ...q, classification: 'pengaduan' })).toBe(
          bppCompletion,
        );
      });

      it('widerRuleInForce: marks the regional version a wider rule now caps', () => {
        expect(widerRuleInForce(all, kaltimCompletion, before)).toBeNull();
        expect(widerRuleInForce(all, kaltimCompletion, after)).toBe(national3);
        // National rules are never marked; nor a regional version already replaced by its own later version.
        expect(widerRuleInForce(all, national3, after)).toBeNull();
        const kaltimV2: SlaRule = {
          ...kaltimCompletion,
          version: 2,
          workingDays: 3,
          validFrom: '2026-12-01',
        };
        expect(widerRuleInForce([...all, kaltimV2], kaltimCompletion, after)).toBeNull();
        expect(widerRuleInForce([...all, kaltimV2], kaltimV2, after)).toBeNull();
        // A version starting later is judged on its own start date.
        const future: SlaRule = { ...kaltimCompletion, version: 2, validFrom: '2026-12-05' };
        expect(widerRuleInForce([...rules, kaltimCompletion, future, national3], future, before)).toBe(
          national3,
        );
      });
    });

    it('widerRuleLimit: a regional draft may only tighten the rules it overrides, in the same unit', () => {
      const draft = {
        clock: 'verification' as const,
        classification: null,
        workingDays: 1,
        validFrom: '2026-11-10',
        regionCode: '64',
      };
      expect(widerRuleLimit(DEFAULT_SLA_RULES, draft)).toBeNull();
      expect(widerRuleLimit(DEFAULT_SLA_RULES, { ...draft, workingDays: 3 })).toBeNull();
      expect(widerRuleLimit(DEFAULT_SLA_RULES, { ...draft, workingDays: 4 })).toMatchObject({
        id: 'verification',
        workingDays: 3,
      });
      // National drafts are not limited; calendar days are not compared with working days.
      expect(widerRuleLimit(DEFAULT_SLA_RULES, { ...draft, workingDays: 4, regionCode: null })).toBeNull();
      expect(widerRuleLimit(DEFAULT_SLA_RULES, { ...draft, workingDays: 4, dayUnit: 'calendar' })).toBeNull();
      // A kab/kota is limited by its province's rule too, not by another province's.
      expect(
        widerRuleLimit([...DEFAULT_SLA_RULES, kaltim, kaltara], {
          ...draft,
          workingDays: 2,
          regionCode: '64.71',
        }),
      ).toBe(kaltim);
      expect(
        widerRuleLimit([...DEFAULT_SLA_RULES, kaltara], { ...draft, workingDays: 3, regionCode: '64.71' }),
      ).toBeNull();
      // A general completion rule overrides every classification's: the shortest one (5 days) limits it.
      expect(
        widerRuleLimit(DEFAULT_SLA_RULES, { ...draft, clock: 'completion', workingDays: 10 }),
      ).toMatchObject({ workingDays: 5 });
      expect(
        widerRuleLimit(DEFAULT_SLA_RULES, {
          ...draft,
          clock: 'completion',
          classification: 'pengaduan',
          supervisory: true,
          workingDays: 30,
        }),
      ).toBeNull();
    });
  });

  it('fails loudly when no rule is in force', () => {
    const early = new Date('2017-06-01T00:00:00Z');
    expect(findRule(rules, 'verification', { classification: 'pengaduan', at: early })).toBeNull();
    expect(() => selectRule(rules, 'verification', { classification: 'pengaduan', at: early })).toThrow(
      /No SLA rule for clock verification/,
    );
    expect(() => selectRule(rules, 'completion', { classification: null, at: AT })).toThrow(RangeError);
  });
});

describe('computeDeadline', () => {
  const verification = selectRule(DEFAULT_SLA_RULES, 'verification', { classification: 'pengaduan', at: AT });

  it('computes the 2025 Lebaran deadline with offsets and the rule version', () => {
    const d = computeDeadline(verification, AT, WIB);
    expect(d).toMatchObject({
      clock: 'verification',
      ruleId: 'verification',
      ruleVersion: 1,
      startedAt: '2025-03-27T10:00:00.000+07:00',
      dueAt: '2025-04-10T23:59:59.999+07:00',
      dueDate: '2025-04-10',
      zone: 'WIB',
      workingDays: 3,
    });
    expect(d.skipped).toHaveLength(11);
  });

  it('explains the deadline in Indonesian, naming the skipped holidays and the rule version', () => {
    const { id } = computeDeadline(verification, AT, WIB).explanation;
    expect(id).toContain('Verifikasi paling lambat 3 hari kerja sejak laporan diterima 27 Maret 2025');
    expect(id).toContain('PermenPANRB 62/2018; aturan versi 1');
    // No English rule id in the Indonesian text a citizen reads.
    expect(id).not.toContain('verification');
    expect(id).toContain('batas waktu 10 April 2025 pukul 23.59 WIB');
    expect(id).toContain('28 Mar Cuti Bersama Hari Suci Nyepi (cuti bersama)');
    expect(id).toContain('29 Mar Hari Suci Nyepi (Tahun Baru Saka 1947) (libur nasional)');
    expect(id).toContain('31 Mar–1 Apr Hari Raya Idul Fitri 1446 Hijriyah (libur nasional)');
    expect(id).toContain('2–4 Apr Cuti Bersama Hari Raya Idul Fitri (cuti bersama)');
    expect(id).toContain('7 Apr Cuti Bersama Hari Raya Idul Fitri');
    expect(id).toContain('3 hari akhir pekan');
  });

  it('explains the deadline in English, naming the skipped holidays and the rule version', () => {
    const { en } = computeDeadline(verification, AT, WIB).explanation;
    expect(en).toContain(
      'Verification is due within 3 working days of when the report was received on 27 March 2025',
    );
    expect(en).toContain('rule version 1');
    expect(en).toContain('deadline 10 April 2025, 23:59 WIB');
    expect(en).toContain('31 Mar–1 Apr Hari Raya Idul Fitri 1446 Hijriyah (national holiday)');
    expect(en).toContain('Cuti Bersama Hari Suci Nyepi (collective leave)');
    expect(en).toContain('3 weekend days');
  });

  it('uses the calendar zone offset, e.g. WITA +08:00, and years in cross-year ranges', () => {
    const followUp = selectRule(DEFAULT_SLA_RULES, 'follow_up', { classification: 'pengaduan', at: AT });
    // Thursday 26 Feb 2026, 16:00 WITA → 5 working days → Thursday 5 March 2026.
    const d = computeDeadline(followUp, new Date('2026-02-26T08:00:00Z'), WITA);
    expect(d.dueAt).toBe('2026-03-05T23:59:59.999+08:00');
    expect(d.startedAt).toBe('2026-02-26T16:00:00.000+08:00');
    expect(d.explanation.id).toContain('pukul 23.59 WITA');
    expect(d.explanation.id).toContain('Dilewati: 2 hari akhir pekan.');

    const xmas = computeDeadline(followUp, new Date('2026-12-23T02:00:00Z'), WIB);
    expect(xmas.dueDate).toBe('2027-01-04');
    expect(xmas.explanation.id).toContain('1 Jan 2027 Tahun Baru 2027 Masehi (libur nasional)');
    expect(xmas.explanation.en).toContain('25 Dec Kelahiran Yesus Kristus (Natal) (national holiday)');
  });

  it('says so when nothing was skipped', () => {
    const followUp = selectRule(DEFAULT_SLA_RULES, 'follow_up', { classification: 'pengaduan', at: AT });
    const shortRule = { ...followUp, workingDays: 2 };
    const d = computeDeadline(shortRule, new Date('2025-02-03T03:00:00Z'), WIB); // Monday
    expect(d.dueDate).toBe('2025-02-05');
    expect(d.explanation.id).toContain('Tidak ada hari libur yang dilewati.');
    expect(d.explanation.en).toContain('No days off were skipped.');
  });
});

describe('deadlineStatus', () => {
  const verification = selectRule(DEFAULT_SLA_RULES, 'verification', { classification: 'pengaduan', at: AT });
  const d = computeDeadline(verification, AT, WIB); // due Thu 10 Apr 2025 23:59:59.999 WIB

  it('is on_time until the last working day before the due date', () => {
    expect(deadlineStatus(d, new Date('2025-04-02T03:00:00Z'), WIB)).toBe('on_time'); // cuti bersama
    expect(deadlineStatus(d, new Date('2025-04-08T16:59:00Z'), WIB)).toBe('on_time'); // Tue 23:59
  });

  it('is due_soon on the day before and on the due day', () => {
    expect(deadlineStatus(d, new Date('2025-04-08T17:00:00Z'), WIB)).toBe('due_soon'); // Wed 00:00
    expect(deadlineStatus(d, new Date('2025-04-10T16:59:59.999Z'), WIB)).toBe('due_soon'); // last ms
  });

  it('is overdue after dueAt', () => {
    expect(deadlineStatus(d, new Date('2025-04-10T17:00:00Z'), WIB)).toBe('overdue');
  });

  it('counts a weekend before a Monday deadline as within one working day', () => {
    const fri = computeDeadline({ ...verification, workingDays: 1 }, new Date('2025-02-07T03:00:00Z'), WIB);
    expect(fri.dueDate).toBe('2025-02-10');
    expect(deadlineStatus(fri, new Date('2025-02-08T03:00:00Z'), WIB)).toBe('due_soon');
  });
});

describe('calendar-day rules', () => {
  const escalationV2 = DEFAULT_SLA_RULES.find((r) => r.id === 'escalation' && r.version === 2)!;
  const escalationV1 = DEFAULT_SLA_RULES.find((r) => r.id === 'escalation' && r.version === 1)!;
  const start = new Date('2026-12-01T02:00:00Z'); // Tuesday 1 December 2026, 10:00 WITA

  it('counts 60 calendar days (weekends, cuti bersama and Christmas included) and says so', () => {
    const d = computeDeadline(escalationV2, start, WITA);
    // 1 Dec + 60 days = Saturday 30 January 2027, end of day in WITA.
    expect(d).toMatchObject({
      dueAt: '2027-01-30T23:59:59.999+08:00',
      dueDate: '2027-01-30',
      workingDays: 60,
      dayUnit: 'calendar',
      skipped: [],
      ruleVersion: 2,
    });
    expect(d.explanation.id).toContain(
      'paling lambat 60 hari kalender sejak laporan diterima 1 Desember 2026',
    );
    expect(d.explanation.id).toContain('batas waktu 30 Januari 2027 pukul 23.59 WITA');
    expect(d.explanation.id).toContain('akhir pekan dan hari libur ikut dihitung');
    expect(d.explanation.id).not.toContain('hari kerja');
    expect(d.explanation.en).toContain(
      'within 60 calendar days of when the report was received on 1 December 2026',
    );
    expect(d.explanation.en).toContain('weekends and holidays count');
    expect(d.explanation.en).not.toContain('working day');
    // The same start under version 1 (60 working days) ends weeks later.
    const v1 = computeDeadline(escalationV1, start, WITA);
    expect(v1.dayUnit).toBe('working');
    expect(v1.dueDate > '2027-02-20').toBe(true);
    expect(v1.explanation.id).toContain('60 hari kerja');
  });

  it('uses the start’s local date in the zone, like working-day rules (day 1 is the next date)', () => {
    const late = new Date('2026-11-30T16:30:00Z'); // Tue 1 Dec 00:30 WITA, still Mon 30 Nov 23:30 WIB
    expect(computeDeadline(escalationV2, late, WITA).dueDate).toBe('2027-01-30');
    expect(computeDeadline(escalationV2, late, WIB).dueDate).toBe('2027-01-29');
    expect(addRuleDays({ workingDays: 0, dayUnit: 'calendar' }, late, WITA).dueAt.toISOString()).toBe(
      '2026-12-01T15:59:59.999Z',
    );
  });

  it('has passed ⟺ start < ruleDeadlinePassedCutoff(rule, at), for both units', () => {
    const rng = (() => {
      let x = 20261201;
      return () => (x = (x * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    })();
    const base = Date.parse('2026-01-01T00:00:00Z');
    for (let i = 0; i < 4000; i++) {
      const cal = [WIB, WITA][i % 2]!;
      const rule = {
        workingDays: Math.floor(rng() * 70),
        dayUnit: i % 3 === 0 ? 'working' : 'calendar',
      } as const;
      const s = new Date(base + Math.floor(rng() * 330 * 86_400_000));
      const at = new Date(s.getTime() + Math.floor(rng() * 110 * 86_400_000));
      const passed = addRuleDays(rule, s, cal).dueAt.getTime() < at.getTime();
      expect(s.getTime() < ruleDeadlinePassedCutoff(rule, at, cal).getTime(), `${i}`).toBe(passed);
    }
  });

  it('keeps working-day counting as before for rules without a unit', () => {
    const { dayUnit: _unit, ...noUnit } = selectRule(DEFAULT_SLA_RULES, 'verification', {
      classification: 'pengaduan',
      at: AT,
    });
    const d = computeDeadline(noUnit, AT, WIB);
    expect(d.dayUnit).toBe('working');
    expect(workingDaysBetween(AT, new Date(d.dueAt), WIB)).toBe(3);
    expect(addCalendarDayCount(AT, 3, WIB).dueDate).toBe('2025-03-30');
  });
});

describe('start causes in explanations', () => {
  const rule = (clock: (typeof SLA_CLOCKS)[number]) =>
    selectRule(DEFAULT_SLA_RULES, clock, { classification: 'pengaduan', at: AT });
  // Wednesday 2 December 2026, 10:00 WITA: a return, a supplement or a dispute on that day.
  const start = new Date('2026-12-02T02:00:00Z');
  const cases: Array<[(typeof SLA_CLOCKS)[number], ClockCause | null, string, string]> = [
    [
      'verification',
      null,
      'Verifikasi paling lambat 3 hari kerja sejak laporan diterima 2 Desember 2026 (',
      'Verification is due within 3 working days of when the report was received on 2 December 2026 (',
    ],
    [
      'verification',
      'return',
      'Verifikasi paling lambat 3 hari kerja sejak laporan dikembalikan sebagai bukan wewenang 2 Desember 2026 (',
      'Verification is due within 3 working days of when the report was returned as not within the agency’s ' +
        'authority on 2 December 2026 (',
    ],
    [
      'verification',
      'pull_back',
      'Verifikasi paling lambat 3 hari kerja sejak laporan ditarik kembali ke verifikasi 2 Desember 2026 (',
      'Verification is due within 3 working days of when the report was pulled back to verification on ' +
        '2 December 2026 (',
    ],
    [
      'verification',
      'supplement',
      'Verifikasi paling lambat 3 hari kerja sejak pelapor melengkapi laporan 2 Desember 2026 (',
      'Verification is due within 3 working days of when the reporter added information on 2 December 2026 (',
    ],
    [
      'follow_up',
      null,
      'Tindak lanjut paling lambat 5 hari kerja sejak laporan diteruskan 2 Desember 2026 (',
      'The follow-up is due within 5 working days of when the report was forwarded on 2 December 2026 (',
    ],
    [
      'follow_up',
      'dispute',
      'Tindak lanjut paling lambat 5 hari kerja sejak pelapor menyanggah tindak lanjut 2 Desember 2026 (',
      'The follow-up is due within 5 working days of when the reporter disputed the follow-up on 2 December 2026 (',
    ],
    [
      'completion',
      'interim_follow_up',
      'Penyelesaian paling lambat 14 hari kerja sejak instansi memberi tindak lanjut sementara 2 Desember 2026 (',
      'Resolution is due within 14 working days of when the agency gave an interim follow-up on 2 December 2026 (',
    ],
  ];

  it.each(cases)('%s started by %s names its start event in both languages', (clock, cause, id, en) => {
    const d = computeDeadline(rule(clock), start, WITA, cause);
    expect(d.explanation.id.startsWith(id), d.explanation.id).toBe(true);
    expect(d.explanation.en.startsWith(en), d.explanation.en).toBe(true);
  });

  it('has a phrase for every cause, none of them a default phrase', () => {
    const defaults = computeDeadline(rule('verification'), start, WITA).explanation;
    for (const cause of CLOCK_CAUSES) {
      const { id, en } = computeDeadline(rule('verification'), start, WITA, cause).explanation;
      expect(id).not.toBe(defaults.id);
      expect(en).not.toBe(defaults.en);
      expect(id).not.toContain('undefined');
      expect(en).not.toContain('undefined');
    }
  });

  it('keeps the cause in the memo key: the same rule, calendar and day give each cause its own text', () => {
    const cal = makeCalendar('WIB', HOLIDAYS); // a fresh calendar: a fresh memo
    const plain = computeDeadline(rule('verification'), start, cal);
    const returned = computeDeadline(rule('verification'), start, cal, 'return');
    const again = computeDeadline(rule('verification'), new Date(start.getTime() + 3_600_000), cal);
    expect(returned.dueAt).toBe(plain.dueAt);
    expect(returned.explanation.id).toContain('sejak laporan dikembalikan sebagai bukan wewenang');
    expect(plain.explanation.id).toContain('sejak laporan diterima');
    expect(again.explanation).toEqual(plain.explanation);
    expect(computeDeadline(rule('verification'), start, cal, 'return').explanation).toBe(
      returned.explanation,
    );
  });

  it('names the cause in calendar-day explanations too', () => {
    const escalationV2 = DEFAULT_SLA_RULES.find((r) => r.id === 'escalation' && r.version === 2)!;
    const { id, en } = computeDeadline(escalationV2, start, WITA, 'return').explanation;
    expect(id).toContain(
      '60 hari kalender sejak laporan dikembalikan sebagai bukan wewenang 2 Desember 2026',
    );
    expect(en).toContain(
      '60 calendar days of when the report was returned as not within the agency’s authority on 2 December 2026',
    );
  });
});
