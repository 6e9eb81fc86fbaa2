/** Home page: what can be reported and how, the three classifications, live numbers and tracking search. */
import type { VNode } from 'preact';
import type { PageContext } from '../context.ts';
import { Layout } from '../layout.tsx';
import { ButtonLink, Button } from '../components/button.tsx';
import { TextInput } from '../components/fields.tsx';
import type { PublicSummary } from '../../queries/public-summary.ts';

const CLASSES = ['pengaduan', 'aspirasi', 'permintaan_informasi'] as const;

/** The home page. */
export function HomePage({ ctx, summary }: { ctx: PageContext; summary: PublicSummary }): VNode {
  const pct =
    summary.onTimeRate === null ? ctx.t('web.home.no_data') : `${Math.round(summary.onTimeRate * 100)}%`;
  return (
    <Layout ctx={ctx} title={ctx.t('web.home.title')}>
      <h1>{ctx.t('web.home.heading')}</h1>
      <p class="lead">{ctx.t('web.home.lead')}</p>
      <ButtonLink href="/lapor">{ctx.t('web.home.start')}</ButtonLink>
      <h2>{ctx.t('web.home.what_heading')}</h2>
      <dl class="summary-list">
        {CLASSES.map((c) => (
          <div class="summary-row" key={c}>
            <dt>{ctx.t(`web.classification.${c}`)}</dt>
            <dd>{ctx.t(`web.classification.${c}_hint`)}</dd>
          </div>
        ))}
      </dl>
      <h2>{ctx.t('web.home.how_heading')}</h2>
      <ol>
        <li>{ctx.t('web.home.how_1')}</li>
        <li>{ctx.t('web.home.how_2')}</li>
        <li>{ctx.t('web.home.how_3')}</li>
        <li>{ctx.t('web.home.how_4')}</li>
      </ol>
      <h2>{ctx.t('web.home.numbers_heading')}</h2>
      <ul class="stats">
        <li>
          <strong>{summary.received.toLocaleString(ctx.lang)}</strong> {ctx.t('web.home.received')}
        </li>
        <li>
          <strong>{summary.completed.toLocaleString(ctx.lang)}</strong> {ctx.t('web.home.completed')}
        </li>
        <li>
          <strong>{pct}</strong> {ctx.t('web.home.on_time')}
        </li>
      </ul>
      <p class="muted">{ctx.t('web.home.numbers_note')}</p>
      <h2 id="track-heading">{ctx.t('web.home.track_heading')}</h2>
      <form method="get" action="/lacak" aria-labelledby="track-heading">
        <TextInput
          ctx={ctx}
          name="id"
          label={ctx.t('web.track.id_label')}
          hint={ctx.t('web.track.id_hint')}
          inputmode="numeric"
          width="short"
        />
        <Button variant="secondary">{ctx.t('web.track.find')}</Button>
      </form>
    </Layout>
  );
}
