/** Turns a finished draft into the rows of the check-your-answers page (names instead of codes). */
import type { Services } from '../../app/context.ts';
import type { DraftData } from '../../queries/draft.ts';
import { findRegion, listAgencyTree, listCategories } from '../../queries/reference.ts';
import type { PageContext } from '../../views/context.ts';
import type { AnswerRow } from '../../views/pages/report-check.tsx';
import { draftFiles, nikDigits } from './report-form.ts';

/** The answer rows, each with the step that changes it. */
export async function buildAnswerRows(svc: Services, ctx: PageContext, d: DraftData): Promise<AnswerRow[]> {
  const v = (k: string) => (typeof d[k] === 'string' ? (d[k] as string) : '');
  const regionNames: string[] = [];
  for (const k of ['desa', 'kec', 'kab', 'prov']) {
    if (!v(k)) continue;
    const r = await findRegion(svc.db, v(k));
    if (r) regionNames.push(r.name);
  }
  const cat = v('categoryId')
    ? (await listCategories(svc.db)).find((c) => String(c.id) === v('categoryId'))
    : null;
  const agency = v('agencyId') ? (await listAgencyTree(svc.db)).find((a) => a.id === v('agencyId')) : null;
  const yesNo = (k: string) => ctx.t(v(k) === '1' ? 'web.common.yes' : 'web.common.no');
  const where = [regionNames.join(', '), v('address'), v('lat') && v('lon') ? `${v('lat')}, ${v('lon')}` : '']
    .filter(Boolean)
    .join('\n');
  const nik = v('nik') ? `${'•'.repeat(12)}${nikDigits(v('nik')).slice(-4)}` : '';
  return [
    {
      label: ctx.t('web.report.classification_title'),
      value: v('classification') ? ctx.t(`web.classification.${v('classification')}`) : '',
      step: 'jenis',
    },
    { label: ctx.t('web.report.title_label'), value: v('title'), step: 'kejadian' },
    { label: ctx.t('web.report.body_label'), value: v('body'), step: 'kejadian' },
    { label: ctx.t('web.report.date_label'), value: v('occurredOn'), step: 'kejadian' },
    { label: ctx.t('web.report.where_title'), value: where, step: 'lokasi' },
    { label: ctx.t('web.report.category_label'), value: cat?.name ?? '', step: 'kategori' },
    { label: ctx.t('web.report.agency_label'), value: agency?.name ?? '', step: 'kategori' },
    {
      label: ctx.t('web.report.files_title'),
      value: draftFiles(d)
        .map((f) => f.filename)
        .join('\n'),
      step: 'lampiran',
    },
    { label: ctx.t('web.report.anonymous'), value: yesNo('anonymous'), step: 'privasi' },
    { label: ctx.t('web.report.confidential'), value: yesNo('confidential'), step: 'privasi' },
    { label: ctx.t('web.report.name'), value: v('name'), step: 'kontak' },
    { label: ctx.t('web.report.email'), value: v('email'), step: 'kontak' },
    { label: ctx.t('web.report.phone'), value: v('phone'), step: 'kontak' },
    { label: ctx.t('web.report.nik'), value: nik, step: 'kontak' },
  ];
}
