/**
 * The open data's catalog document in DCAT-US 1.1 (`data.json`, the format CKAN's ckanext-dcat `dcat_json`
 * harvester reads, as Satu Data Indonesia portals run CKAN): two datasets with their licence, publisher, update
 * frequency and languages: the public report rows (data dictionary as `describedBy`; CSV file, paged JSON API,
 * daily snapshot) and the aggregate statistics (`/api/v1/stats`: CSV and XLSX per grouping, the JSON API).
 * Why: a data portal should harvest the open data from one URL instead of being configured by hand.
 */
import { DEFAULT_OPEN_DATA_LICENSE, openDataTerms } from '../domain/stats/open-data-terms.ts';
import { t, type Lang } from '../locales/index.ts';

export { DEFAULT_OPEN_DATA_LICENSE };

/** The groupings of the statistics downloads (`groupBy`), in the order the catalog lists them. */
const STATS_GROUPINGS = ['agency', 'region', 'category', 'classification', 'channel', 'month'] as const;
const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
/** Where a distribution is: a file (`downloadURL`) or an API (`accessURL`). */
type Link = { downloadURL: string } | { accessURL: string };

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
  const terms = openDataTerms(c, c.publicUrl);
  const distribution = (title: string, url: Link, mediaType: string, format: string) => ({
    '@type': 'dcat:Distribution',
    title,
    ...url,
    mediaType,
    format,
  });
  const rows = (key: string, url: Link, mediaType: string, format: string) => ({
    ...distribution(tr(key), url, mediaType, format),
    describedBy: `${api}/dictionary`,
    describedByType: 'application/json',
  });
  const common = {
    ...(c.modified ? { modified: c.modified } : {}),
    publisher: { '@type': 'org:Organization', name: terms.publisher },
    accessLevel: 'public',
    license: terms.license,
    language: ['id', 'en'],
    spatial: 'Indonesia',
    landingPage: `${c.publicUrl}/statistik`,
  };
  const stats = `${c.publicUrl}/api/v1/stats`;
  // The statistics exports follow the request's language (their header row); the catalog's links carry it.
  const statsUrl = (ext: string, groupBy: string) => `${stats}${ext}?groupBy=${groupBy}&lang=${c.lang}`;
  const dim = (g: string) => t(c.lang, `stats.dim.${g}`).toLowerCase();
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
        keyword: keywords(tr('keywords')),
        ...common,
        accrualPeriodicity: 'R/P1D',
        describedBy: `${api}/dictionary`,
        describedByType: 'application/json',
        distribution: [
          rows('csv', { downloadURL: `${api}/reports.csv` }, 'text/csv', 'CSV'),
          // Paged (`next` / `Link: rel="next"`): an API, not one file.
          rows('json', { accessURL: `${api}/reports.json` }, 'application/json', 'API'),
          rows('snapshot', { downloadURL: `${api}/snapshots/latest` }, 'application/json', 'JSON'),
        ],
      },
      {
        '@type': 'dcat:Dataset',
        identifier: stats,
        title: tr('stats_title'),
        description: tr('stats_description'),
        keyword: keywords(tr('stats_keywords')),
        ...common,
        // The statistics are refreshed by the worker every 5 minutes (docs/statistics.md).
        accrualPeriodicity: 'R/PT5M',
        distribution: [
          ...STATS_GROUPINGS.flatMap((g) => [
            distribution(
              t(c.lang, 'stats.catalog.stats_csv', { by: dim(g) }),
              { downloadURL: statsUrl('.csv', g) },
              'text/csv',
              'CSV',
            ),
            distribution(
              t(c.lang, 'stats.catalog.stats_xlsx', { by: dim(g) }),
              { downloadURL: statsUrl('.xlsx', g) },
              XLSX_TYPE,
              'XLSX',
            ),
          ]),
          distribution(tr('stats_json'), { accessURL: stats }, 'application/json', 'API'),
        ],
      },
    ],
  };
}

/** The keywords of a comma-separated locale text. */
function keywords(text: string): string[] {
  return text.split(',').map((k) => k.trim());
}
