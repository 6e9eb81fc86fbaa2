/**
 * Removes from a PDF what describes who made it rather than what it shows: the Info dictionary (Author,
 * Creator, Producer, Title, Subject, Keywords, dates), XMP metadata streams (`/Metadata` on the catalog, pages,
 * images, fonts: often the author's name or Windows account), application private data (`/PieceInfo`) and the
 * author label (`/T`) of comments and other markup annotations, and the EXIF, XMP, IPTC and comment segments of
 * JPEG images in the file (a phone photo saved as PDF keeps its GPS position there). An anonymous reporter's name
 * in a PDF's Author once reached the agency on download.
 *
 * The document is parsed and written out anew, and only objects reachable from the catalog are written: an
 * earlier revision's Info dictionary or a detached XMP stream left in the file by an incremental save would
 * otherwise survive as an orphan object. Page content, forms and bookmarks are kept.
 */
import {
  PDFArray,
  PDFDict,
  PDFDocument,
  PDFName,
  PDFRawStream,
  PDFRef,
  PDFStream,
  type PDFContext,
  type PDFObject,
} from 'pdf-lib';

/** Why a PDF could not be cleaned (and so must not be stored). */
export type UnreadablePdfReason = 'encrypted' | 'unreadable';

/** A PDF that cannot be cleaned: encrypted, or not parsed into a document with pages. */
export class UnreadablePdfError extends Error {
  constructor(public readonly reason: UnreadablePdfReason) {
    super(`PDF ${reason}`);
    this.name = 'UnreadablePdfError';
  }
}

/** Keys that hold metadata or private application data on any dictionary or stream. */
const PRIVATE_KEYS = [PDFName.of('Metadata'), PDFName.of('PieceInfo')];

/**
 * Annotation subtypes whose `/T` is the author's name: markup annotations (ISO 32000-1 §12.5.6.2), and popups,
 * which some writers label the same way. Widgets are not among them: on a form field `/T` is the field's name,
 * which the form needs.
 */
const MARKUP_SUBTYPES = new Set(
  [
    'Text',
    'FreeText',
    'Line',
    'Square',
    'Circle',
    'Polygon',
    'PolyLine',
    'Highlight',
    'Underline',
    'Squiggly',
    'StrikeOut',
    'Stamp',
    'Caret',
    'Ink',
    'FileAttachment',
    'Sound',
    'Redact',
    'Popup',
  ].map((s) => PDFName.of(s)),
);
const SUBTYPE = PDFName.of('Subtype');
const AUTHOR = PDFName.of('T');
const FILTER = PDFName.of('Filter');
const DCT = PDFName.of('DCTDecode');

/** The PDF without its metadata; throws UnreadablePdfError when it cannot be cleaned. */
export async function cleanPdf(data: Uint8Array): Promise<Buffer> {
  const doc = await loadPdf(data);
  try {
    return await rewrite(doc);
  } catch {
    throw new UnreadablePdfError('unreadable');
  }
}

async function loadPdf(data: Uint8Array): Promise<PDFDocument> {
  let doc: PDFDocument;
  try {
    // updateMetadata: false, or pdf-lib itself writes a Producer, Creator and dates into the Info dictionary.
    // ignoreEncryption: true only to tell an encrypted file apart below (pdf-lib's own EncryptedPDFError fails
    // `instanceof`, being an ES5 subclass of Error).
    doc = await PDFDocument.load(data, { updateMetadata: false, ignoreEncryption: true });
  } catch {
    throw new UnreadablePdfError('unreadable');
  }
  // pdf-lib cannot decrypt: an encrypted file could only be stored as it came, metadata included.
  if (doc.isEncrypted) throw new UnreadablePdfError('encrypted');
  return doc;
}

/** Strips the metadata, drops unreachable objects, saves, and checks the result reads back with its pages. */
async function rewrite(doc: PDFDocument): Promise<Buffer> {
  // pdf-lib parses leniently (even a header followed by junk): a document without pages is not a readable PDF.
  const pages = doc.getPageCount();
  if (pages === 0) throw new UnreadablePdfError('unreadable');
  const { context } = doc;
  delete context.trailerInfo.Info;
  const reachable = scrubReachable(context);
  for (const [ref] of context.enumerateIndirectObjects()) {
    if (!reachable.has(ref)) context.delete(ref);
  }
  // updateFieldAppearances: false, so a form is written as it came (regenerating appearances needs its fonts).
  const out = await doc.save({ addDefaultPage: false, updateFieldAppearances: false });
  const check = await PDFDocument.load(out, { updateMetadata: false });
  if (check.getPageCount() !== pages) throw new UnreadablePdfError('unreadable');
  return Buffer.from(out);
}

/**
 * Walks every object reachable from the catalog (iteratively: a page tree can be deep), removing private keys
 * before descending so their values are not reached; returns the indirect objects it reached.
 */
function scrubReachable(context: PDFContext): Set<PDFRef> {
  const seen = new Set<PDFRef>();
  const todo: PDFObject[] = context.trailerInfo.Root ? [context.trailerInfo.Root] : [];
  for (let obj = todo.pop(); obj !== undefined; obj = todo.pop()) {
    if (obj instanceof PDFRef) {
      if (seen.has(obj)) continue;
      seen.add(obj);
      let target = context.lookup(obj);
      if (target instanceof PDFRawStream && isJpeg(target)) {
        target = PDFRawStream.of(target.dict, stripJpegSegments(target.contents));
        context.assign(obj, target);
      }
      if (target) todo.push(target);
    } else if (obj instanceof PDFStream) {
      todo.push(obj.dict);
    } else if (obj instanceof PDFDict) {
      scrubDict(obj);
      for (const [, value] of obj.entries()) todo.push(value);
    } else if (obj instanceof PDFArray) {
      todo.push(...obj.asArray());
    }
  }
  return seen;
}

function scrubDict(dict: PDFDict): void {
  for (const key of PRIVATE_KEYS) dict.delete(key);
  const subtype = dict.get(SUBTYPE);
  if (subtype instanceof PDFName && MARKUP_SUBTYPES.has(subtype)) dict.delete(AUTHOR);
}

/** A stream holding a JPEG as it is (its only filter DCTDecode), as phone photos are embedded. */
function isJpeg(stream: PDFRawStream): boolean {
  const filter = stream.dict.get(FILTER);
  if (filter === DCT) return true;
  return filter instanceof PDFArray && filter.size() === 1 && filter.get(0) === DCT;
}

/**
 * JPEG segments dropped: APP1 (EXIF with GPS, XMP), APP3 to APP13 (IPTC, Photoshop, camera makers' data), APP15
 * and comments. Kept: APP0 (JFIF), APP2 (ICC colour profile) and APP14 (Adobe colour transform), which decoding
 * needs, and everything from the first scan on (the image itself).
 */
function droppedSegment(marker: number): boolean {
  return marker === 0xe1 || (marker >= 0xe3 && marker <= 0xed) || marker === 0xef || marker === 0xfe;
}

/** The JPEG without its metadata segments; throws on a structure it cannot follow (the PDF is then refused). */
export function stripJpegSegments(jpeg: Uint8Array): Buffer {
  if (jpeg[0] !== 0xff || jpeg[1] !== 0xd8) throw new Error('not a JPEG');
  const kept: Uint8Array[] = [jpeg.subarray(0, 2)];
  let at = 2;
  for (;;) {
    if (at + 4 > jpeg.length || jpeg[at] !== 0xff) throw new Error('broken JPEG segment');
    const marker = jpeg[at + 1]!;
    if (marker === 0xff) {
      at += 1; // fill byte before a marker
      continue;
    }
    // Start of scan: the image data follows; metadata segments come before it.
    if (marker === 0xda) break;
    const end = at + 2 + ((jpeg[at + 2]! << 8) | jpeg[at + 3]!);
    if (end < at + 4 || end > jpeg.length) throw new Error('broken JPEG segment');
    if (!droppedSegment(marker)) kept.push(jpeg.subarray(at, end));
    at = end;
  }
  kept.push(jpeg.subarray(at));
  return Buffer.concat(kept);
}
