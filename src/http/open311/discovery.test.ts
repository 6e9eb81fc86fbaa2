/**
 * Open311 discovery (§3): the `changeset` follows the last change to the services and their definition, so
 * clients that cache the service list know when to refresh it; `max_requests` is a number (FixMyStreet's shape).
 * Real HTTP against the real app; changes made through the CLI command and straight in the database
 * (categories have no timestamps, so the changeset must not depend on one).
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../../test/helpers/app.ts';
import { fetchOpen311, serviceCode } from '../../../test/helpers/open311.ts';
import { setOpen311ServiceType } from '../../commands/set-open311-service-type.ts';
import { serviceTypeOverrides } from '../../queries/open311.ts';

const W3C_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[+-]\d{2}:\d{2}$/;
const START = new Date('2026-03-12T02:00:00Z');

let t: TestApp;
let code: string;

/** The changesets of discovery.json and discovery.xml (top level and both endpoints), checked to agree. */
async function changeset(): Promise<string> {
  const j = await fetchOpen311(`${t.url}/open311/discovery.json`);
  const x = await fetchOpen311(`${t.url}/open311/discovery.xml`);
  expect(j.status).toBe(200);
  expect(x.status).toBe(200);
  const values = [
    j.body.changeset,
    ...j.body.endpoints.map((e: any) => e.changeset),
    x.body.discovery.changeset,
    ...x.body.discovery.endpoints.endpoint.map((e: any) => e.changeset),
  ];
  expect(new Set(values).size, JSON.stringify(values)).toBe(1);
  const value = values[0] as string;
  expect(value).toMatch(W3C_OFFSET);
  // Never in the future (§14.1: the validator checks it lies in the past).
  expect(Date.parse(value)).toBeLessThanOrEqual(t.clock.now.getTime());
  return value;
}

const later = (minutes: number) => t.setNow(new Date(t.clock.now.getTime() + minutes * 60_000));

beforeAll(async () => {
  t = await startTestApp({ now: START });
  code = serviceCode((await fetchOpen311(`${t.url}/open311/v2/services.json`)).body);
});
afterAll(() => t?.close());

describe('Open311 discovery changeset (M6)', () => {
  it('stays put while nothing changes, and moves forward when services change', async () => {
    const first = await changeset();
    later(60);
    expect(await changeset()).toBe(first);

    // A service type set with `aduan open311 service-type` (a setting).
    later(60);
    await setOpen311ServiceType(t.runtime.services, code, 'batch');
    const afterType = await changeset();
    expect(Date.parse(afterType)).toBeGreaterThan(Date.parse(first));
    expect(Date.parse(afterType)).toBe(t.clock.now.getTime());
    later(5);
    expect(await changeset()).toBe(afterType);

    // A renamed category (no timestamp column to read it from).
    later(60);
    await t.runtime.services.db.execute(
      sql`update categories set name = name || ' (baru)' where id = ${Number(code)}`,
    );
    const afterRename = await changeset();
    expect(Date.parse(afterRename)).toBeGreaterThan(Date.parse(afterType));

    // A category switched off disappears from the service list: a change too.
    later(60);
    await t.runtime.services.db.execute(sql`update categories set active = false where id = ${Number(code)}`);
    const afterOff = await changeset();
    expect(Date.parse(afterOff)).toBeGreaterThan(Date.parse(afterRename));

    // A change to something the services do not show (a report) leaves it alone.
    later(60);
    await t.runtime.services.db.execute(sql`update reports set support_count = support_count + 1`);
    expect(await changeset()).toBe(afterOff);
  });

  it('max_requests is a number in JSON and text in XML', async () => {
    const j = await fetchOpen311(`${t.url}/open311/discovery.json`);
    expect(j.body.max_requests).toBe(1000);
    const x = await fetchOpen311(`${t.url}/open311/discovery.xml`);
    expect(x.text).toContain('<max_requests>1000</max_requests>');
  });
});

describe('Open311 service types', () => {
  it('two types set at once both stay (each change merges its own service into the setting)', async () => {
    const { rows } = (await t.runtime.services.db.execute(
      sql`select id from categories where active order by id desc limit 2`,
    )) as unknown as { rows: Array<{ id: number }> };
    const [a, b] = rows.map((r) => String(r.id)) as [string, string];
    await Promise.all([
      setOpen311ServiceType(t.runtime.services, a, 'blackbox'),
      setOpen311ServiceType(t.runtime.services, b, 'batch'),
    ]);
    const types = await serviceTypeOverrides(t.runtime.services.db);
    expect(types[a]).toBe('blackbox');
    expect(types[b]).toBe('batch');
  });
});
