/**
 * The terms the open data is published under: the licence (ADUAN_OPEN_DATA_LICENSE, a URL) and the publisher
 * (ADUAN_OPEN_DATA_PUBLISHER, else the host of ADUAN_PUBLIC_URL). The catalog, the snapshot files and the snapshot
 * downloads' headers all state them from here.
 * Why: a downloaded file should still say under which licence and from whom it came (CC BY asks for attribution).
 */

/** CC BY 4.0: the licence when the operator names none (ADUAN_OPEN_DATA_LICENSE). */
export const DEFAULT_OPEN_DATA_LICENSE = 'https://creativecommons.org/licenses/by/4.0/';

/** The licence and publisher of the open data. */
export interface OpenDataTerms {
  license: string;
  publisher: string;
}

/** The terms from the operator's settings, with their defaults (`publicUrl`: the site's origin). */
export function openDataTerms(
  settings: { license?: string | undefined; publisher?: string | undefined } | undefined,
  publicUrl: string,
): OpenDataTerms {
  return {
    license: settings?.license ?? DEFAULT_OPEN_DATA_LICENSE,
    publisher: settings?.publisher ?? new URL(publicUrl).host,
  };
}
