-- Two built-in SLA rules cited a development note instead of their basis, and the text reaches citizens in every
-- deadline explanation ("… (aduan default; aturan versi 1)", "… domain.md §5.4 …"). The built-in rows get the
-- wording of src/domain/deadline/sla.ts; a basis an admin entered is left as it is. Explanations already stored with
-- running deadlines keep their text until the clock is recomputed.
UPDATE sla_rules SET basis = 'Ketentuan bawaan aduan (bukan dari peraturan)'
WHERE id = 'hold_reply' AND basis = 'aduan default';
--> statement-breakpoint
UPDATE sla_rules SET basis = 'Perpres 76/2013 (penyelesaian paling lama 60 hari); pengalihan ke Ombudsman RI'
WHERE id = 'escalation' AND basis = 'Ombudsman RI (60 hari belum selesai; domain.md §5.4)';
