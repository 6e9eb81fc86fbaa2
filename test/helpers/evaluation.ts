/**
 * Publishing an evaluation period as a reviewer does: read the preview, then publish naming its fingerprint
 * (`previewSha256`; a publish without it is 428 PREVIEW_REQUIRED, docs/evaluation.md "Reproducibility").
 */
import type { Services } from '../../src/app/context.ts';
import { resultFingerprint } from '../../src/commands/publish-evaluation.ts';
import { loadEvaluationConfig } from '../../src/queries/evaluation.ts';
import { evaluationPreview } from '../../src/queries/evaluation-preview.ts';
import type { TestApp } from './app.ts';

/** `POST …/publish` over HTTP with the `previewSha256` the caller's `GET …/preview` shows now. */
export async function publishReviewed(
  t: TestApp,
  periodId: string,
  token: string,
  query = '',
): Promise<{ status: number; body: any; headers: Headers }> {
  const preview = await t.api(`/api/v1/evaluation/periods/${periodId}/preview`, { token });
  if (preview.status !== 200) return preview;
  return t.api(`/api/v1/evaluation/periods/${periodId}/publish${query}`, {
    json: { previewSha256: preview.body.previewSha256 },
    token,
  });
}

/** The fingerprint of the whole live preview of a period now (what the publish form carries). */
export async function previewFingerprint(svc: Services, periodId: string): Promise<string> {
  const cfg = await loadEvaluationConfig(svc.db, periodId);
  return resultFingerprint(await evaluationPreview(svc.db, cfg, svc.now()));
}

/** The fingerprint a period page's publish form carries (its hidden `preview` field), or undefined. */
export function previewField(html: string): string | undefined {
  return /name="preview" value="([0-9a-f]{64})"/.exec(html)?.[1];
}
