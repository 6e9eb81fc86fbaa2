/**
 * The assessor's rubric scoring form, in two steps that work without JavaScript:
 * 1. a GET form choosing the participant (`?agencyId=…`, kept in the URL with the page language), then
 * 2. the multipart POST form (`_csrf`, hidden `agencyId`) offering only the rubric indicators that carry weight for
 *    that participant (`weightedIndicatorsFor`), with score, written justification and evidence files.
 * With a single participant to score, step 2 shows at once. The route passes only the participants the viewer may
 * score that have at least one weighted rubric indicator.
 *
 * Accessibility notes:
 * - Both steps are native forms with their own heading (`h3`) under the section heading `#score-h`, which the
 *   GET form's action and the PRG redirect target, so the page opens at the form.
 * - Errors use the shared field components: the error summary links `#f-agencyId` to the step-1 select.
 */
import type { VNode } from 'preact';
import type { PageContext } from '../context.ts';
import { fieldId } from '../context.ts';
import { Button } from '../components/button.tsx';
import { FieldError } from '../components/error-summary.tsx';
import { Select, TextInput, Textarea } from '../components/fields.tsx';

/** A participant the viewer may score, with the rubric indicators weighted for it (in rubric order). */
export interface ScoreChoice {
  agencyId: string;
  name: string;
  indicators: readonly string[];
}

/** The scoring section of a period page. */
export function ScoreForm(p: {
  ctx: PageContext;
  periodId: string;
  choices: readonly ScoreChoice[];
  /** The participant chosen (step 2), if any. */
  chosen?: ScoreChoice | undefined;
  errors: Record<string, string>;
  values: Record<string, string>;
}): VNode {
  const { ctx, errors, values: v, chosen } = p;
  const evidenceId = fieldId('evidence');
  return (
    <section aria-labelledby="score-h">
      <h2 id="score-h">{ctx.t('eval.staff.score_form')}</h2>
      {p.choices.length === 0 ? (
        <p>{ctx.t('eval.staff.score_none')}</p>
      ) : (
        <form method="get" action={`/kantor/evaluasi/${p.periodId}#score-h`} aria-labelledby="score-step1-h">
          <h3 id="score-step1-h">{ctx.t('eval.staff.score_step_participant')}</h3>
          <input type="hidden" name="lang" value={ctx.lang} />
          <Select
            ctx={ctx}
            name="agencyId"
            label={ctx.t('eval.participant')}
            hint={ctx.t('eval.staff.score_participant_hint')}
            value={chosen?.agencyId}
            error={errors.agencyId}
            options={p.choices.map((c) => ({ value: c.agencyId, label: c.name }))}
          />
          <Button variant="secondary">{ctx.t('eval.staff.score_choose')}</Button>
        </form>
      )}
      {chosen ? (
        <form
          method="post"
          action={`/kantor/evaluasi/${p.periodId}/nilai`}
          enctype="multipart/form-data"
          aria-labelledby="score-step2-h"
        >
          <h3 id="score-step2-h">{ctx.t('eval.staff.score_step_score', { name: chosen.name })}</h3>
          <input type="hidden" name="_csrf" value={ctx.csrf} />
          <input type="hidden" name="agencyId" value={chosen.agencyId} />
          <Select
            ctx={ctx}
            name="indicator"
            label={ctx.t('eval.explain.indicator')}
            hint={ctx.t('eval.staff.score_indicator_hint')}
            value={v.indicator}
            error={errors.indicator}
            options={chosen.indicators.map((i) => ({ value: i, label: ctx.t(`eval.indicator.${i}`) }))}
          />
          <TextInput
            ctx={ctx}
            name="score"
            label={ctx.t('eval.staff.score_label')}
            hint={ctx.t('eval.staff.score_hint')}
            inputmode="numeric"
            width="short"
            value={v.score}
            error={errors.score}
          />
          <Textarea
            ctx={ctx}
            name="justification"
            label={ctx.t('eval.staff.justification')}
            hint={ctx.t('eval.staff.justification_hint')}
            value={v.justification}
            error={errors.justification}
          />
          <div class={`field${errors.evidence ? ' field-invalid' : ''}`}>
            <label class="label" for={evidenceId}>
              {ctx.t('eval.staff.evidence')}
            </label>
            <p class="hint" id={`${evidenceId}-hint`}>
              {ctx.t('eval.staff.evidence_hint')}
            </p>
            <FieldError ctx={ctx} id={`${evidenceId}-error`} text={errors.evidence} />
            <input
              type="file"
              id={evidenceId}
              name="evidence"
              multiple
              accept="image/jpeg,image/png,image/webp,application/pdf"
              aria-describedby={`${evidenceId}-hint${errors.evidence ? ` ${evidenceId}-error` : ''}`}
            />
          </div>
          <Button>{ctx.t('eval.staff.save_score')}</Button>
        </form>
      ) : p.choices.length > 0 ? (
        <p class="hint">{ctx.t('eval.staff.score_choose_first')}</p>
      ) : null}
    </section>
  );
}
