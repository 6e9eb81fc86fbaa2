/**
 * The Open311 writers: the item-by-item encoder gives the same bytes as serialising the whole document,
 * the XML writer escapes markup and drops characters XML 1.0 cannot carry and parses back to the same
 * values, and the arithmetic W3C formatter agrees with the Date-based one.
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { w3c } from '../../presenters/open311.ts';
import { encode, escapeXml, serialise } from './format.ts';

const item = (i: number) => ({
  service_request_id: `8${String(i).padStart(9, '0')}`,
  status: i % 2 ? 'open' : 'closed',
  description: i % 3 ? `Jalan rusak – §ü 漢字 <b>${i}</b> & "kutip"` : '',
  lat: i % 5 ? String(-1.2654 + i / 1e4) : '',
  media_urls: i % 4 ? [`https://contoh.id/${i}.jpg`] : [],
  extended_attributes: { title: `Judul ${i}`, support_count: String(i) },
  notes:
    i % 2 ? [{ datetime: '2026-03-12T09:00:00+08:00', description: 'Diteruskan', type: 'dispatch' }] : [],
});

describe('encode', () => {
  it.each([0, 1, 15, 16, 17, 250])('a list of %i items: the same bytes as one serialised string', (n) => {
    const list = Array.from({ length: n }, (_, i) => item(i));
    for (const fmt of ['json', 'xml'] as const)
      expect(
        encode(fmt, 'service_requests', list).equals(Buffer.from(serialise(fmt, 'service_requests', list))),
      ).toBe(true);
    expect(JSON.parse(encode('json', 'service_requests', list).toString('utf8'))).toEqual(list);
  });

  it('XML is well formed, escapes markup and parses back to the same values', () => {
    const list = Array.from({ length: 40 }, (_, i) => item(i));
    const xml = encode('xml', 'service_requests', list).toString('utf8');
    expect(xml.startsWith('<?xml version="1.0" encoding="utf-8"?>\n<service_requests><request>')).toBe(true);
    expect(XMLValidator.validate(xml)).toBe(true);
    expect(xml).toContain('&lt;b&gt;1&lt;/b&gt; &amp; "kutip"');
    const parsed = new XMLParser({ parseTagValue: false, trimValues: false }).parse(xml).service_requests
      .request;
    expect(parsed[1].description).toBe(list[1]!.description);
    expect(parsed[1].media_urls.media_url).toBe(list[1]!.media_urls[0]);
    expect(parsed[1].notes.note.type).toBe('dispatch');
    expect(parsed[0].media_urls).toBe('');
  });

  it('drops the control characters XML 1.0 forbids, keeps tabs and newlines', () => {
    expect(escapeXml('a\u0000b\u0007c\u001fd\te\nf\rg\ufffeh')).toBe('abcd\te\nf\rgh');
    expect(XMLValidator.validate(serialise('xml', 'x', { d: 'bel\u0007l' }))).toBe(true);
  });
});

describe('w3c', () => {
  const reference = (d: Date, h: number) =>
    `${new Date(Math.floor(d.getTime() / 1000) * 1000 + h * 3_600_000).toISOString().slice(0, 19)}+0${h}:00`;
  it('agrees with the Date-based format in every zone (random instants 1970–2100, edges, fractions)', () => {
    const instants = [
      new Date('2026-03-12T16:59:59.999Z'),
      new Date('2026-12-31T16:00:00Z'),
      new Date('2028-02-28T17:00:00Z'),
      new Date('2100-02-28T15:00:00Z'),
      new Date('2000-02-29T23:59:59Z'),
      new Date(0),
    ];
    let seed = 42;
    for (let i = 0; i < 5000; i++) {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      instants.push(new Date(Math.floor((seed / 2 ** 31) * 4_102_444_800_000)));
    }
    for (const d of instants) {
      expect(w3c(d, 'WIB')).toBe(reference(d, 7));
      expect(w3c(d, 'WITA')).toBe(reference(d, 8));
      expect(w3c(d, 'WIT')).toBe(reference(d, 9));
    }
    expect(w3c(null)).toBe('');
  });
});
