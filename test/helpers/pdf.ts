/** PDFs for attachment tests: a minimal valid one, one full of author metadata, an encrypted one. */
import { decodePDFRawStream, PDFDocument, PDFName, PDFRawStream, PDFString } from 'pdf-lib';
import sharp from 'sharp';

/** The smallest PDF aduan accepts: a catalog, a page tree and one empty page. */
export const MINIMAL_PDF =
  '%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n' +
  '3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n';

/** A small JPEG photo whose EXIF names `author` (and `copyright`) and carries a GPS position (in Balikpapan). */
export async function photoWithGps(author: string, copyright?: string): Promise<Buffer> {
  return sharp({ create: { width: 16, height: 16, channels: 3, background: { r: 40, g: 90, b: 200 } } })
    .jpeg()
    .withExif({
      IFD0: { Artist: author, ...(copyright ? { Copyright: copyright } : {}) },
      IFD3: {
        GPSLatitudeRef: 'S',
        GPSLatitude: '1/1 14/1 0/1',
        GPSLongitudeRef: 'E',
        GPSLongitude: '116/1 50/1 0/1',
      },
    })
    .toBuffer();
}

/**
 * A two-page PDF naming `author` everywhere metadata hides: the Info dictionary, an XMP stream on the catalog
 * and on a page, the page's PieceInfo, a comment's author label and the EXIF of a photo on the page (as a phone
 * photo saved as PDF keeps it). Written without object streams, so the name can be found in the raw bytes.
 */
export async function pdfWithMetadata(author: string, account: string): Promise<Buffer> {
  const doc = await PDFDocument.create({ updateMetadata: false });
  doc.setAuthor(author);
  doc.setCreator(`Microsoft Word (${account})`);
  doc.setProducer('Microsoft: Print To PDF');
  doc.setTitle(`Surat pengaduan ${author}`);
  doc.setSubject(`Pengaduan oleh ${author}`);
  doc.setKeywords([author, 'pengaduan']);
  const page = doc.addPage([300, 300]);
  page.drawText('Jalan rusak di depan pasar', { x: 20, y: 150, size: 12 });
  page.drawImage(await doc.embedJpg(await photoWithGps(author)), { x: 20, y: 20, width: 64, height: 64 });
  doc.addPage([300, 300]);
  const xmp = (who: string) =>
    doc.context.register(
      doc.context.stream(
        `<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF><dc:creator>${who}</dc:creator></rdf:RDF></x:xmpmeta>`,
        { Type: 'Metadata', Subtype: 'XML' },
      ),
    );
  doc.catalog.set(PDFName.of('Metadata'), xmp(author));
  page.node.set(PDFName.of('Metadata'), xmp(account));
  page.node.set(
    PDFName.of('PieceInfo'),
    doc.context.obj({ Word: { Private: { User: PDFString.of(account) } } }),
  );
  const note = doc.context.obj({
    Type: 'Annot',
    Subtype: 'Text',
    Rect: [10, 10, 30, 30],
    Contents: PDFString.of('Lihat foto'),
    T: PDFString.of(author),
  });
  page.node.set(PDFName.of('Annots'), doc.context.obj([doc.context.register(note)]));
  return Buffer.from(await doc.save({ useObjectStreams: false }));
}

/** A one-page PDF whose trailer names an encryption dictionary (pdf-lib cannot decrypt it, nor can aduan clean it). */
export async function encryptedPdf(): Promise<Buffer> {
  const doc = await PDFDocument.create({ updateMetadata: false });
  doc.addPage();
  doc.context.trailerInfo.Encrypt = doc.context.register(
    doc.context.obj({ Filter: 'Standard', V: 1, R: 2, P: -4 }),
  );
  return Buffer.from(await doc.save({ useObjectStreams: false }));
}

/**
 * Everything a PDF holds as text, streams decompressed (a cleaned PDF is written with compressed object
 * streams, so searching its raw bytes would prove nothing), plus its page count.
 */
export async function pdfContents(bytes: Uint8Array): Promise<{ pages: number; text: string }> {
  const doc = await PDFDocument.load(bytes, { updateMetadata: false });
  const parts: string[] = [doc.context.trailerInfo.Info ? 'INFO-DICTIONARY' : ''];
  for (const [, obj] of doc.context.enumerateIndirectObjects()) {
    parts.push(obj.toString());
    if (obj instanceof PDFRawStream) parts.push(Buffer.from(decoded(obj)).toString('latin1'));
  }
  return { pages: doc.getPageCount(), text: parts.join('\n') };
}

/** A stream's decoded bytes; a JPEG (DCTDecode, which pdf-lib does not decode) as it is stored. */
function decoded(stream: PDFRawStream): Uint8Array {
  try {
    return decodePDFRawStream(stream).decode();
  } catch {
    return stream.contents;
  }
}

/** The JPEG images of a PDF, as stored. */
export async function pdfJpegs(bytes: Uint8Array): Promise<Buffer[]> {
  const doc = await PDFDocument.load(bytes, { updateMetadata: false });
  return doc.context
    .enumerateIndirectObjects()
    .flatMap(([, obj]) =>
      obj instanceof PDFRawStream && obj.dict.get(PDFName.of('Filter')) === PDFName.of('DCTDecode')
        ? [Buffer.from(obj.contents)]
        : [],
    );
}
