/**
 * The open data's catalog document in DCAT-US 1.1 (`data.json`, the format CKAN's ckanext-dcat `dcat_json`
 * harvester reads, as Satu Data Indonesia portals run CKAN): one dataset, the public report rows, with its licence,
 * publisher, daily update frequency, languages, the data dictionary as `describedBy` and its distributions.
 * Why: a data portal should harvest the open data from one URL instead of being configured by hand.
 */
import { t, type Lang } from '../locales/index.ts';

/** CC BY 4.0: the licence when the operator names none (ADUAN_OPEN_DATA_LICENSE). */
export const DEFAULT_OPEN_DATA_LICENSE = 'https://creativecommons.org/licenses/by/4.0/';

/** What the catalog is built from. */
export interface CatalogInput {
  /** Origin of the site (ADUAN_PUBLIC_URL). */
  publicUrl: string;
  lang: Lang;
  license?: string | undefined;
  publisher?: string | undefined;
  /** When the data last changed: the latest statistics refresh (the rows come from it), else null. */
  modified: string | null;
}

/** The DCAT-US 1.1 catalog of the open data. */
export function openDataCatalog(c: CatalogInput) {
  const api = `${c.publicUrl}/api/v1/open-data`;
  const tr = (key: string) => t(c.lang, `stats.catalog.${key}`);
  const publisher = c.publisher ?? new URL(c.publicUrl).host;
  const distribution = (key: string, downloadURL: string, mediaType: string, format: string) => ({
    '@type': 'dcat:Distribution',
    title: tr(key),
    downloadURL,
    mediaType,
    format,
    describedBy: `${api}/dictionary`,
    describedByType: 'application/json',
  });
  return {
    '@context': 'https://project-open-data.cio.gov/v1.1/schema/catalog.jsonld',
    '@type': 'dcat:Catalog',
    conformsTo: 'https://project-open-data.cio.gov/v1.1/schema',
    describedBy: 'https://project-open-data.cio.gov/v1.1/schema/catalog.json',
    dataset: [
      {
        '@type': 'dcat:Dataset',
        identifier: `${api}/reports`,
        title: tr('title'),
        description: tr('description'),
        keyword: tr('keywords')
          .split(',')
          .map((k) => k.trim()),
        ...(c.modified ? { modified: c.modified } : {}),
        publisher: { '@type': 'org:Organization', name: publisher },
        accessLevel: 'public',
        license: c.license ?? DEFAULT_OPEN_DATA_LICENSE,
        accrualPeriodicity: 'R/P1D',
        language: ['id', 'en'],
        spatial: 'Indonesia',
        landingPage: `${c.publicUrl}/statistik`,
        describedBy: `${api}/dictionary`,
        describedByType: 'application/json',
        distribution: [
          distribution('csv', `${api}/reports.csv`, 'text/csv', 'CSV'),
          distribution('json', `${api}/reports.json`, 'application/json', 'JSON'),
          distribution('snapshot', `${api}/snapshots/latest`, 'application/json', 'JSON'),
        ],
      },
    ],
  };
}
