/**
 * Routing suggestions for one report at verification: the top 3 agencies, top 3 categories and the report types
 * from the active models, each with a calibrated confidence and the words that drove it; and, for the agency handling
 * it, the top 3 units to pass it down to (`suggestUnits`). A suggestion is
 * recorded in `routing_suggestions` once per report, kind and model version (the first time it is
 * shown; later views reuse that row, so reloads do not skew the live accuracy);
 * `recordRoutingOutcome` (routing-outcome.ts) later marks whether the verifier followed it.
 */
import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Caller, Services } from '../app/context.ts';
import { loadReport } from '../db/repositories/reports.ts';
import { agencies, categories, regions, routingSuggestions } from '../db/schema.ts';
import { routingTokenMeaning, suggest } from '../domain/routing/ensemble.ts';
import type { Prediction } from '../domain/routing/model.ts';
import { surfaceWords } from '../domain/routing/features.ts';
import { formatIsoInZone, zoneForRegion } from '../domain/deadline/calendar.ts';
import { stem } from '../integrations/indonesian-stemmer.ts';
import { authorize } from '../queries/access.ts';
import { disposalUnits } from '../queries/back-office.ts';
import {
  loadActiveModel,
  modelInput,
  type ActiveModel,
  type RoutingKind,
  type RoutingReportFields,
} from './routing-models.ts';

/** One suggested label with its calibrated confidence and explaining words. */
export interface RoutingSuggestion<Id> {
  id: Id;
  name: string;
  confidence: number;
  words: string[];
}

/** What GET /reports/{trackingId}/suggestions answers. */
export interface RoutingSuggestions {
  trackingId: string;
  agencies: RoutingSuggestion<string>[];
  categories: RoutingSuggestion<number>[];
  /** Report type (pengaduan, aspirasi, permintaan_informasi), best first; `name` is the id (pages translate it). */
  classifications: RoutingSuggestion<string>[];
  models: {
    agency: ModelInfo | null;
    category: ModelInfo | null;
    classification: ModelInfo | null;
  };
}

const round3 = (x: number) => Math.round(x * 1000) / 1000;

/** Predictions as suggestions: the id read from the label, its name from `names` (else the label itself). */
function asSuggestions<Id>(
  preds: Prediction[],
  words: (terms: string[]) => string[],
  idOf: (label: string) => Id,
  names: ReadonlyMap<Id, string>,
): RoutingSuggestion<Id>[] {
  return preds.map((p) => {
    const id = idOf(p.label);
    return { id, name: names.get(id) ?? p.label, confidence: round3(p.confidence), words: words(p.topTerms) };
  });
}

/** A model behind suggestions: version, training time and, when stored, its cross-validated macro-F1. */
export interface ModelInfo {
  version: number;
  trainedAt: string;
  cvMacroF1: number | null;
}

/** The model's version and training time, in the report's zone like every time the API gives. */
const modelInfo = (m: ActiveModel | null, regionCode: string | null): ModelInfo | null =>
  m
    ? {
        version: m.version,
        trainedAt: formatIsoInZone(m.trainedAt, zoneForRegion(regionCode ?? '')),
        cvMacroF1: m.cvMacroF1 === null ? null : round3(m.cvMacroF1),
      }
    : null;

/**
 * Suggest agencies and categories for a report the caller may verify (404 when hidden, 403 without
 * the verify right). Records what was shown. With no trained model the lists are empty.
 */
export async function suggestRouting(
  svc: Services,
  caller: Caller,
  trackingId: string,
): Promise<RoutingSuggestions> {
  const report = await loadReport(svc.db, trackingId);
  authorize(report, caller, 'verify');
  const row = report!.row;
  const [agencyModel, categoryModel, classificationModel] = await Promise.all([
    loadActiveModel(svc.db, 'agency'),
    loadActiveModel(svc.db, 'category'),
    loadActiveModel(svc.db, 'classification'),
  ]);
  const predict = (kind: RoutingKind, model: ActiveModel | null) =>
    model ? suggest(model.ensemble, modelInput(kind, row), 3) : [];
  const agencyPreds = predict('agency', agencyModel);
  const categoryPreds = predict('category', categoryModel);
  const classificationPreds = predict('classification', classificationModel);

  const names = await agencyNames(
    svc,
    agencyPreds.map((p) => p.label),
  );
  const categoryNames = new Map<number, string>();
  const categoryIds = categoryPreds.map((p) => Number(p.label)).filter(Number.isInteger);
  if (categoryIds.length) {
    const found = await svc.db
      .select({ id: categories.id, name: categories.name })
      .from(categories)
      .where(inArray(categories.id, categoryIds));
    for (const c of found) categoryNames.set(c.id, c.name);
  }

  const words = await readableWords(svc, row, [...agencyPreds, ...categoryPreds, ...classificationPreds]);
  await recordShown(svc, row.id, caller.actor.userId, [
    { kind: 'agency', model: agencyModel, preds: agencyPreds },
    { kind: 'category', model: categoryModel, preds: categoryPreds },
    { kind: 'classification', model: classificationModel, preds: classificationPreds },
  ]);
  return {
    trackingId: row.trackingId,
    agencies: asSuggestions(agencyPreds, words, String, names),
    categories: asSuggestions(categoryPreds, words, Number, categoryNames),
    classifications: asSuggestions(classificationPreds, words, String, new Map()),
    models: {
      agency: modelInfo(agencyModel, row.regionCode),
      category: modelInfo(categoryModel, row.regionCode),
      classification: modelInfo(classificationModel, row.regionCode),
    },
  };
}

/**
 * The names of agencies by id (an id that no longer exists is left out); `short`: the short name where the agency has
 * one, as the queue's agency column shows it.
 */
async function agencyNames(svc: Services, ids: string[], short = false): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const found = await svc.db
    .select({ id: agencies.id, name: agencies.name, shortName: agencies.shortName })
    .from(agencies)
    .where(inArray(agencies.id, [...new Set(ids)]));
  return new Map(found.map((a) => [a.id, (short ? a.shortName : null) ?? a.name]));
}

/** The best agency for a report in the verifier's queue, with its calibrated confidence. */
export interface QueueSuggestion {
  id: string;
  /** The agency's short name, else its name. */
  name: string;
  confidence: number;
}

/**
 * The agency model's top suggestion for each report of a queue page, by tracking number, so a verifier sees at a
 * glance where each waiting report probably belongs. Empty with no trained model. Not recorded: the verifier decides
 * on the report page, which records the full suggestion it shows (`suggestRouting`), so the live accuracy counts what
 * was on screen at the decision. The caller passes only reports it may verify (the queue's verify tab).
 */
export async function queueSuggestions(
  svc: Services,
  reports: readonly (RoutingReportFields & { trackingId: string })[],
): Promise<Map<string, QueueSuggestion>> {
  const model = reports.length ? await loadActiveModel(svc.db, 'agency') : null;
  if (!model) return new Map();
  const top = reports.flatMap((r) => {
    const best = suggest(model.ensemble, modelInput('agency', r), 1)[0];
    return best ? [{ trackingId: r.trackingId, best }] : [];
  });
  const names = await agencyNames(
    svc,
    top.map((x) => x.best.label),
    true,
  );
  return new Map(
    top.map(({ trackingId, best }) => [
      trackingId,
      { id: best.label, name: names.get(best.label) ?? best.label, confidence: round3(best.confidence) },
    ]),
  );
}

/** What GET /reports/{trackingId}/unit-suggestions answers: where the handling agency might pass the report down. */
export interface UnitSuggestions {
  trackingId: string;
  /** Up to 3 units of the dispatched agency's tree (never the one handling it now), best first. */
  units: RoutingSuggestion<string>[];
  model: ModelInfo | null;
}

/**
 * Suggest the units a report may be passed down to (disposisi), for a caller with the `dispose` right (404 when
 * hidden, 403 otherwise). The unit model knows every unit that has handled a report passed down to it; only the units
 * the dispose form offers compete, with confidences conditional on the answer being one of them. Records what was
 * shown (kind `unit`), so `disposeReport` can mark whether the officer followed it.
 */
export async function suggestUnits(
  svc: Services,
  caller: Caller,
  trackingId: string,
): Promise<UnitSuggestions> {
  const report = await loadReport(svc.db, trackingId);
  authorize(report, caller, 'dispose');
  const row = report!.row;
  const [model, units] = await Promise.all([loadActiveModel(svc.db, 'unit'), disposalUnits(svc.db, row)]);
  const preds = model
    ? suggest(model.ensemble, modelInput('unit', row), 3, new Set(units.map((u) => u.id)))
    : [];
  const words = await readableWords(svc, row, preds);
  await recordShown(svc, row.id, caller.actor.userId, [{ kind: 'unit', model, preds }]);
  return {
    trackingId: row.trackingId,
    units: asSuggestions(preds, words, String, new Map(units.map((u) => [u.id, u.name]))),
    model: modelInfo(model, row.regionCode),
  };
}

/**
 * "The words that drove it", readable: stems are shown as the report's own words (`surfaceWords`: "layan" →
 * "pelayanan"), the model's synthetic region tokens become the region's name (`wilayah64x71` → "Kota Balikpapan";
 * an unknown code is left out) and the classification token becomes the classification
 * (`klasifikasipermintaaninformasi` → "permintaan informasi"). Duplicates are dropped.
 */
async function readableWords(
  svc: Services,
  report: { title: string; body: string },
  preds: Prediction[],
): Promise<(terms: string[]) => string[]> {
  const surface = surfaceWords(`${report.title}\n${report.body}`, stem);
  const codes = new Set<string>();
  for (const p of preds)
    for (const term of p.topTerms) {
      const m = routingTokenMeaning(term);
      if (m?.kind === 'region') codes.add(m.code);
    }
  const names = new Map<string, string>();
  if (codes.size) {
    const found = await svc.db
      .select({ code: regions.code, name: regions.name })
      .from(regions)
      .where(inArray(regions.code, [...codes]));
    for (const r of found) names.set(r.code, r.name);
  }
  return (terms) => {
    const out = terms.flatMap((term) => {
      const m = routingTokenMeaning(term);
      if (!m) return [surface(term)];
      if (m.kind === 'classification') return [m.value.replace(/_/g, ' ')];
      const name = names.get(m.code);
      return name ? [name] : [];
    });
    return [...new Set(out)];
  };
}

/**
 * Records what was shown, once per report, kind and model: a kind whose model already has a row for
 * this report (shown earlier, decided or not) is skipped. Serialised per report by an advisory lock,
 * so two verifiers opening the page at once still write one row.
 */
async function recordShown(
  svc: Services,
  reportId: string,
  shownTo: string | null,
  records: { kind: string; model: ActiveModel | null; preds: Prediction[] }[],
): Promise<void> {
  const todo = records.filter((r) => r.model && r.preds.length);
  if (todo.length === 0) return;
  const now = svc.now();
  await svc.db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`routing_suggestions:${reportId}`}))`);
    const existing = await tx
      .select({ kind: routingSuggestions.kind, modelId: routingSuggestions.modelId })
      .from(routingSuggestions)
      .where(
        and(
          eq(routingSuggestions.reportId, reportId),
          inArray(
            routingSuggestions.kind,
            todo.map((r) => r.kind),
          ),
        ),
      );
    const fresh = todo.filter((r) => !existing.some((e) => e.kind === r.kind && e.modelId === r.model!.id));
    if (fresh.length === 0) return;
    await tx.insert(routingSuggestions).values(
      fresh.map((r) => ({
        reportId,
        modelId: r.model!.id,
        kind: r.kind,
        suggestions: r.preds.map((p) => ({ label: p.label, confidence: round3(p.confidence) })),
        topLabel: r.preds[0]!.label,
        topConfidence: r.preds[0]!.confidence,
        shownTo,
        shownAt: now,
      })),
    );
  });
}
