-- The 2026 national calendar as the SKB 3 Menteri sets it (17 libur nasional + 8 cuti bersama = 25 days).
-- The bundled community table (src/assets/holidays.csv, kept unmodified) has three single-source extra days
-- (Waisak 2 May, 1 Muharam 17 June, Maulid Nabi 26 August), "belum pasti" names on the confirmed days, and
-- cuti bersama Idul Adha (28 May) as a national holiday; new databases load it through
-- src/assets/holidays-corrections.csv. These are the same corrections for databases that loaded it before, on
-- national rows still exactly as shipped only: a row an admin changed is left alone.
DELETE FROM "holidays"
 WHERE "region_code" IS NULL AND "kind" = 'libur_nasional'
   AND (("date" = '2026-05-02' AND "name" = 'Hari Raya Waisak 2570 BE')
     OR ("date" = '2026-06-17' AND "name" = '1 Muharam Tahun Baru Islam 1448 Hijriyah')
     OR ("date" = '2026-08-26' AND "name" = 'Maulid Nabi Muhammad S.A.W.'));
--> statement-breakpoint
UPDATE "holidays" SET "kind" = 'cuti_bersama', "name" = 'Cuti Bersama Idul Adha'
 WHERE "region_code" IS NULL AND "date" = '2026-05-28' AND "kind" = 'libur_nasional'
   AND "name" = 'Idul Adha (Lebaran Haji)';
--> statement-breakpoint
UPDATE "holidays" SET "name" = 'Hari Raya Waisak 2570 BE'
 WHERE "region_code" IS NULL AND "date" = '2026-05-31' AND "kind" = 'libur_nasional'
   AND "name" = 'Hari Raya Waisak (belum pasti)';
--> statement-breakpoint
UPDATE "holidays" SET "name" = '1 Muharam Tahun Baru Islam 1448 Hijriyah'
 WHERE "region_code" IS NULL AND "date" = '2026-06-16' AND "kind" = 'libur_nasional'
   AND "name" = 'Satu Muharam / Tahun Baru Hijriah (belum pasti)';
--> statement-breakpoint
UPDATE "holidays" SET "name" = 'Maulid Nabi Muhammad S.A.W.'
 WHERE "region_code" IS NULL AND "date" = '2026-08-25' AND "kind" = 'libur_nasional'
   AND "name" = 'Maulid Nabi Muhammad (belum pasti)';
--> statement-breakpoint
-- Running deadlines were computed with the old rows; SQL cannot recompute them, so the dates are listed for the
-- application, which recomputes those clocks at start-up (recomputeMarkedCalendarDates,
-- src/commands/recompute-deadlines.ts) and removes the key. Not on a new database (no holidays loaded yet).
INSERT INTO "settings" ("key", "value")
SELECT 'calendar.recompute_dates',
       '["2026-05-02","2026-05-28","2026-05-31","2026-06-16","2026-06-17","2026-08-25","2026-08-26"]'::jsonb
 WHERE EXISTS (SELECT 1 FROM "holidays")
ON CONFLICT ("key") DO NOTHING;
