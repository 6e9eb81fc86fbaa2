/**
 * Open311 test helpers: reading an answer the way clients do (JSON or XML by content type) and finding
 * service codes by name in a parsed `services` list. Each test fetches the list through its own app.
 */
import { xmlParser } from './channels.ts';

const ROADS_SERVICE = 'PEKERJAAN UMUM DAN PENATAAN RUANG';

/** An Open311 answer: status, content type, raw text and the body parsed as JSON or XML. */
export interface Open311Response {
  status: number;
  type: string;
  text: string;
  body: any;
}

/** Fetches `url` and parses the body as JSON when the content type says so, as XML otherwise. */
export async function fetchOpen311(url: string, init?: RequestInit): Promise<Open311Response> {
  const res = await fetch(url, init);
  const text = await res.text();
  const type = res.headers.get('content-type') ?? '';
  return {
    status: res.status,
    type,
    text,
    body: type.includes('json') ? JSON.parse(text) : xmlParser.parse(text),
  };
}

/**
 * The service codes of `names`, in order, from a parsed `services.json` list; throws when the list is not
 * an array or a service is missing, so a test never runs with an undefined code.
 */
export function serviceCodes<const N extends readonly string[]>(
  services: unknown,
  ...names: N
): { [K in keyof N]: string } {
  if (!Array.isArray(services))
    throw new Error(`Open311 services list is not an array: ${JSON.stringify(services)}`);
  const list = services as Array<{ service_code: string; service_name: string }>;
  return names.map((name) => {
    const found = list.find((s) => s.service_name === name);
    if (!found) throw new Error(`Open311 service "${name}" not found in the services list`);
    return found.service_code;
  }) as { [K in keyof N]: string };
}

/** The service code of one service by exact name (default: the roads/public-works service); throws when missing. */
export function serviceCode(services: unknown, name: string = ROADS_SERVICE): string {
  const [code] = serviceCodes(services, name);
  return code;
}
