/** PDF cleaning: what a rewrite must not carry over (orphans of earlier revisions), and why a PDF is refused. */
import { PDFDocument } from 'pdf-lib';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import {
  encryptedPdf,
  MINIMAL_PDF,
  pdfContents,
  pdfJpegs,
  pdfWithMetadata,
  photoWithGps,
} from '../../test/helpers/pdf.ts';
import { cleanPdf, stripJpegSegments, UnreadablePdfError } from './pdf-metadata.ts';

describe('cleanPdf', () => {
  it('drops objects nothing references, such as the Info dictionary of an earlier revision', async () => {
    const current = await pdfWithMetadata('Penulis Baru', 'PC-BARU\\baru');
    // An incremental save leaves the previous Info dictionary in the file, referenced by no trailer any more.
    const text = current.toString('latin1');
    const at = text.indexOf('xref');
    const orphan = '90 0 obj\n<< /Author (Sekar Revisi Lama) /Creator (PC-LAMA) >>\nendobj\n';
    const withOrphan = Buffer.concat([current.subarray(0, at), Buffer.from(orphan), current.subarray(at)]);
    expect((await pdfContents(withOrphan)).text).toContain('Sekar Revisi Lama');

    const cleaned = await pdfContents(await cleanPdf(withOrphan));
    expect(cleaned.pages).toBe(2);
    for (const secret of ['Sekar Revisi Lama', 'PC-LAMA', 'Penulis Baru', 'PC-BARU'])
      expect(cleaned.text, secret).not.toContain(secret);
  });

  it('drops the EXIF (GPS, author) of a photo inside the PDF and keeps the photo', async () => {
    const original = await pdfWithMetadata('Sekar Fotowati', 'PC\\sekar');
    const [before] = await pdfJpegs(original);
    expect((await sharp(before!).metadata()).exif).toBeDefined();

    const [after, ...more] = await pdfJpegs(await cleanPdf(original));
    expect(more).toHaveLength(0);
    const meta = await sharp(after!).metadata();
    expect(meta.exif).toBeUndefined();
    expect(meta.width).toBe(16);
    expect(after!.includes(Buffer.from('Sekar Fotowati'))).toBe(false);
    // Only metadata segments go: the image data is byte for byte the same.
    expect(after!.subarray(after!.length - 200).equals(before!.subarray(before!.length - 200))).toBe(true);
  });

  it('refuses to pass a JPEG whose segments it cannot follow', async () => {
    const photo = await photoWithGps('Sekar');
    expect(() => stripJpegSegments(photo.subarray(0, 30))).toThrow();
    expect(() => stripJpegSegments(Buffer.from('bukan jpeg'))).toThrow();
  });

  it('writes no Producer or dates of its own, and keeps a minimal PDF readable', async () => {
    const out = await cleanPdf(Buffer.from(MINIMAL_PDF));
    const doc = await PDFDocument.load(out, { updateMetadata: false });
    expect(doc.getPageCount()).toBe(1);
    expect(doc.getProducer()).toBeUndefined();
    expect(doc.getCreationDate()).toBeUndefined();
  });

  it('refuses an encrypted PDF and one without pages, saying which', async () => {
    const reason = (data: Uint8Array) =>
      cleanPdf(data).then(
        () => 'cleaned',
        (e: unknown) => (e instanceof UnreadablePdfError ? e.reason : String(e)),
      );
    expect(await reason(await encryptedPdf())).toBe('encrypted');
    expect(await reason(Buffer.from('%PDF-1.7\n%%EOF\n'))).toBe('unreadable');
    expect(
      await reason(Buffer.from('%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n')),
    ).toBe('unreadable');
  });
});
