/**
 * The shared CSV reader (src/commands/csv-reader.ts) on the files real offices send: Excel on Indonesian Windows
 * ("CSV": semicolons in windows-1252; "Unicode text": UTF-16LE with a BOM and tabs; "CSV UTF-8": a BOM), plain
 * UTF-8 with commas, UTF-16BE; quoted fields holding the delimiter; and what is not a CSV file at all (an .xlsx or
 * .xls workbook, binary data, an empty file, a text once decoded wrongly, a header without the required columns).
 */
import { describe, expect, it } from 'vitest';
import {
  decodeCsv,
  decodeWindows1252,
  detectDelimiter,
  normaliseColumn,
  readCsv,
  utf16WithoutBom,
  type CsvTable,
} from './csv-reader.ts';

const COLUMNS = ['id', 'name', 'kind', 'active'] as const;
const OPTS = { known: COLUMNS, required: ['name', 'kind'] };
const NAME = 'Ka. Bidang Pelayanan – Sekretariat, Dinas PU & Penataan Ruang (café €)';

/** windows-1252 bytes of a text (Latin-1 plus the few characters 0x80–0x9F that occur here). */
function cp1252(text: string): Buffer {
  const high: Record<string, number> = { '–': 0x96, '€': 0x80, '’': 0x92, '“': 0x93, '”': 0x94 };
  return Buffer.from(
    [...text].map((c) => {
      if (c in high) return high[c]!;
      const code = c.charCodeAt(0);
      if (code > 0xff) throw new Error(`not in windows-1252: ${c}`);
      return code;
    }),
  );
}
const utf16le = (text: string) => Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
const utf16be = (text: string) => {
  const le = Buffer.from(text, 'utf16le');
  for (let i = 0; i < le.length; i += 2) [le[i], le[i + 1]] = [le[i + 1]!, le[i]!];
  return Buffer.concat([Buffer.from([0xfe, 0xff]), le]);
};

function table(bytes: Uint8Array): CsvTable {
  const r = readCsv(bytes, OPTS);
  expect(r.problem).toBeUndefined();
  return r.table!;
}

describe('decoding', () => {
  it('UTF-8 with and without a BOM, the BOM dropped from the first column name', () => {
    const plain = table(Buffer.from(`id,name,kind\nx,"${NAME}",unit\n`));
    expect(plain).toMatchObject({ encoding: 'utf-8', notUtf8: false, delimiter: ',' });
    expect(plain.rows).toEqual([{ line: 2, values: { id: 'x', name: NAME, kind: 'unit' } }]);
    const bom = table(Buffer.from(`\ufeffid,name,kind\r\nx,"${NAME}",unit\r\n`));
    expect(bom.columns).toEqual(['id', 'name', 'kind']);
    expect(bom.rows[0]!.values.name).toBe(NAME);
  });

  it('windows-1252 (not valid UTF-8) is decoded as such, flagged, and leaves no U+FFFD', () => {
    const bytes = cp1252(`id;name;kind\r\nx;${NAME};unit\r\ny;“Dinas Pekerjaan Umum” – Bontang;unit\r\n`);
    expect(() => new TextDecoder('utf-8', { fatal: true }).decode(bytes)).toThrow();
    const t = table(bytes);
    expect(t).toMatchObject({ encoding: 'windows-1252', notUtf8: true, delimiter: ';' });
    expect(t.rows.map((r) => r.values.name)).toEqual([NAME, '“Dinas Pekerjaan Umum” – Bontang']);
    expect(JSON.stringify(t.rows)).not.toContain('\ufffd');
  });

  it('windows-1252 bytes 0x80–0x9F are the punctuation Excel writes, not Latin-1 control characters', () => {
    expect(
      decodeWindows1252(
        Buffer.from([0x80, 0x85, 0x91, 0x92, 0x93, 0x94, 0x96, 0x97, 0x99, 0xe9, 0xa0, 0xff]),
      ),
    ).toBe('€…‘’“”–—™é\u00a0ÿ');
  });

  it('pure ASCII is UTF-8, with no notice', () => {
    expect(table(cp1252('id;name;kind\nx;Dinas Kesehatan;unit\n'))).toMatchObject({
      encoding: 'utf-8',
      notUtf8: false,
    });
  });

  it('UTF-16LE with a BOM (Excel "Unicode text", tab-separated) and UTF-16BE with a BOM', () => {
    const le = table(utf16le(`id\tname\tkind\r\nx\t${NAME}\tunit\r\n`));
    expect(le).toMatchObject({ encoding: 'utf-16le', notUtf8: false, delimiter: '\t' });
    expect(le.rows).toEqual([{ line: 2, values: { id: 'x', name: NAME, kind: 'unit' } }]);
    const be = table(utf16be(`name,kind\n${'"Dinas, Kesehatan"'},unit\n`));
    expect(be).toMatchObject({ encoding: 'utf-16be', delimiter: ',' });
    expect(be.rows[0]!.values.name).toBe('Dinas, Kesehatan');
  });

  it('UTF-16 without a BOM (written by a script) is recognised by its zero bytes, either byte order', () => {
    const le = Buffer.from(`name\tkind\r\n${NAME}\tunit\r\n`, 'utf16le');
    expect(utf16WithoutBom(le)).toBe('utf-16le');
    expect(table(le)).toMatchObject({
      encoding: 'utf-16le',
      delimiter: '\t',
      rows: [{ line: 2, values: { name: NAME } }],
    });
    const be = utf16be(`name;kind\n${NAME};unit\n`).subarray(2);
    expect(table(be)).toMatchObject({
      encoding: 'utf-16be',
      delimiter: ';',
      rows: [{ values: { name: NAME } }],
    });
    // Not UTF-16: plain text, a file with only a few zero bytes, one with a zero code unit, an odd length.
    expect(utf16WithoutBom(Buffer.from('name,kind\n'))).toBeNull();
    expect(utf16WithoutBom(Buffer.from([0x6e, 0x00, 0x61, 0x62, 0x63, 0x64, 0x65, 0x66]))).toBeNull();
    expect(utf16WithoutBom(Buffer.from([0x6e, 0x00, 0x00, 0x00, 0x61, 0x00]))).toBeNull();
    expect(utf16WithoutBom(Buffer.from([0x6e, 0x00, 0x61, 0x00, 0x62]))).toBeNull();
  });

  it('a damaged UTF-16 file (odd length, lone surrogate) is refused', () => {
    expect(decodeCsv(Buffer.concat([utf16le('name,kind\n'), Buffer.from([0x41])]))).toEqual({
      key: 'bad_utf16',
    });
    expect(decodeCsv(Buffer.concat([utf16le('name'), Buffer.from([0x00, 0xd8, 0x41, 0x00])]))).toEqual({
      key: 'bad_utf16',
    });
  });
});

describe('delimiters and quoting', () => {
  it.each([
    [',', 'id,name,kind\nx,"Dinas PU, Bina Marga",unit\n'],
    [';', 'id;name;kind\nx;"Dinas PU; Bina Marga";unit\n'],
    ['\t', 'id\tname\tkind\nx\t"Dinas PU\t Bina Marga"\tunit\n'],
  ])('%j: the delimiter inside a quoted field stays in it', (delimiter, text) => {
    const t = table(Buffer.from(text));
    expect(t.delimiter).toBe(delimiter);
    expect(t.rows[0]!.values).toEqual({
      id: 'x',
      name: `Dinas PU${delimiter} Bina Marga`,
      kind: 'unit',
    });
  });

  it('a semicolon file whose names hold commas is read as semicolons (the header decides)', () => {
    const t = table(Buffer.from('name;kind\nDinas PU, Bina Marga;unit\nDinkes, UPT;unit\n'));
    expect(t.delimiter).toBe(';');
    expect(t.rows.map((r) => r.values.name)).toEqual(['Dinas PU, Bina Marga', 'Dinkes, UPT']);
  });

  it('detectDelimiter counts known names, then fields; a comma when nothing tells them apart', () => {
    expect(detectDelimiter('"id";"name";"kind"', COLUMNS)).toBe(';');
    expect(detectDelimiter('id,name;x', COLUMNS)).toBe(',');
    expect(detectDelimiter('nama;jenis', COLUMNS)).toBe(';');
    expect(detectDelimiter('judul', COLUMNS)).toBe(',');
  });

  it('header names are normalised; Excel trailing separators and blank rows are ignored; lines are the file lines', () => {
    const t = table(Buffer.from(' ID ;"Name";KIND;;\n;;;;\nx;Dinas;unit;;\n\n;;;;\ny;Dinas Dua;unit;;\n'));
    expect(t.columns).toEqual(['id', 'name', 'kind']);
    expect(t.rows).toEqual([
      { line: 3, values: { id: 'x', name: 'Dinas', kind: 'unit' } },
      { line: 6, values: { id: 'y', name: 'Dinas Dua', kind: 'unit' } },
    ]);
    expect(normaliseColumn(' Agency ID ')).toBe('agency_id');
  });

  it("Excel's `sep=` first line names the separator and is skipped; line numbers stay the file's", () => {
    const t = table(Buffer.from('sep=;\r\nname;kind\r\n"Dinas, Kesehatan";unit\r\n'));
    expect(t).toMatchObject({ delimiter: ';', columns: ['name', 'kind'] });
    expect(t.rows).toEqual([{ line: 3, values: { name: 'Dinas, Kesehatan', kind: 'unit' } }]);
    // Quoted, upper case, a tab.
    expect(table(Buffer.from('"SEP=\t"\nname\tkind\nDinas, PU; Bina Marga\tunit\n'))).toMatchObject({
      delimiter: '\t',
      rows: [{ line: 3, values: { name: 'Dinas, PU; Bina Marga', kind: 'unit' } }],
    });
    expect(readCsv(Buffer.from('sep=|\nname|kind\n'), OPTS).problem).toEqual({
      key: 'separator',
      params: { separator: '|', line: 1 },
    });
    expect(readCsv(Buffer.from('sep=;\n\n'), OPTS).problem).toEqual({ key: 'empty' });
    const bad = readCsv(Buffer.from('sep=;\nname;kind\na;b;c\n'), OPTS);
    expect(bad.problem).toEqual({ key: 'field_count', params: { line: 3 } });
  });

  it('aliases name a column differently', () => {
    const r = readCsv(Buffer.from('name;kind;Aktif\nDinas;unit;tidak\n'), {
      ...OPTS,
      known: [...COLUMNS, 'aktif'],
      aliases: { aktif: 'active' },
    });
    expect(r.table!.rows[0]!.values).toEqual({ name: 'Dinas', kind: 'unit', active: 'tidak' });
  });
});

describe('files that are not a usable CSV', () => {
  it('an .xlsx/.ods (ZIP) or .xls (OLE2) workbook: "spreadsheet"', () => {
    const xlsx = Buffer.concat([
      Buffer.from('PK\u0003\u0004\u0014\u0000\u0006\u0000', 'latin1'),
      Buffer.alloc(64, 7),
    ]);
    expect(readCsv(xlsx, OPTS).problem).toEqual({ key: 'spreadsheet' });
    const xls = Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0, 0, 0]);
    expect(readCsv(xls, OPTS).problem).toEqual({ key: 'spreadsheet' });
  });

  it('other binary data (NUL bytes, a PDF with control bytes): "binary"', () => {
    expect(readCsv(Buffer.from([0x6e, 0x61, 0x00, 0x6d, 0x65]), OPTS).problem).toEqual({ key: 'binary' });
    expect(readCsv(Buffer.from([0x6e, 0x61, 0x6d, 0x81, 0x65]), OPTS).problem).toEqual({ key: 'binary' });
    expect(readCsv(Buffer.from('%PDF-1.7\n\u0001\u0002\u00e2\u00e3', 'latin1'), OPTS).problem).toEqual({
      key: 'binary',
    });
  });

  it('a few control characters far into a text file (a long SMS glued together) are removed, not refused', () => {
    const rows = Array.from({ length: 60 }, (_, i) => `Dinas ${i},dinas-${i}`).join('\n');
    const glued = `name,kind\n${rows}\nDinas Pendidikan admnistra\u0005\u0000\u0003\u0003\u0002si,dinas-x\n`;
    const read = readCsv(Buffer.from(glued), OPTS);
    expect(read.problem).toBeUndefined();
    expect(read.table!.rows.at(-1)!.values.name).toBe('Dinas Pendidikan admnistrasi');
    // A vertical tab (a line break in an old Excel cell) separates words: a space, not glued.
    const vt = readCsv(Buffer.from(`name,kind\n${rows}\n"Dinas\u000BPendidikan",dinas-y\n`), OPTS);
    expect(vt.table!.rows.at(-1)!.values.name).toBe('Dinas Pendidikan');
    // After a text header but more than one in 100 characters: binary data, not debris.
    const tail = Array.from({ length: 200 }, (_, i) => `Dinas \u0001\u0002\u0003${i},x`).join('\n');
    const often = `name,kind\n${rows}\n${tail}\n`;
    expect(readCsv(Buffer.from(often), OPTS).problem).toEqual({ key: 'binary' });
  });

  it('empty: no bytes, only a BOM, only blank lines', () => {
    for (const bytes of [Buffer.alloc(0), Buffer.from('\ufeff'), Buffer.from('\r\n \n'), utf16le('')])
      expect(readCsv(bytes, OPTS).problem).toEqual({ key: 'empty' });
  });

  it('a U+FFFD already in the text is refused with its line', () => {
    expect(
      readCsv(Buffer.from('name,kind\nDinas,unit\nDinas Pekerjaan Umum \ufffd Bontang,unit\n'), OPTS).problem,
    ).toEqual({
      key: 'replacement',
      params: { line: 3 },
    });
  });

  it('missing required columns are named, with the columns found', () => {
    expect(readCsv(Buffer.from('id;nama;jenis\nx;Dinas;unit\n'), OPTS).problem).toEqual({
      key: 'missing_columns',
      params: { missing: 'name, kind', found: 'id, nama, jenis' },
    });
  });

  it('a row with another number of fields, an unclosed quote', () => {
    expect(readCsv(Buffer.from('name;kind\nDinas;unit\nDinas;unit;x\n'), OPTS).problem).toEqual({
      key: 'field_count',
      params: { line: 3 },
    });
    expect(readCsv(Buffer.from('name;kind\n"Dinas;unit\n'), OPTS).problem).toMatchObject({ key: 'quote' });
  });
});
