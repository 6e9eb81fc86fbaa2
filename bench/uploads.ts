/**
 * `npm run bench:uploads`: what cleaning an upload costs on the request path (`cleanUpload` in
 * src/commands/add-attachment.ts): a phone photo re-encoded without EXIF (sharp), and PDFs rewritten without their
 * metadata (pdf-lib): a 2-page letter, a 20-page scan (one distinct photo per page) and a
 * 200-page text document. Prints Markdown: size, median and p95 time over BENCH_RUNS runs (default 10), and the
 * process's peak RSS.
 */
import sharp from 'sharp';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import { cleanUpload } from '../src/commands/add-attachment.ts';

const RUNS = Number(process.env.BENCH_RUNS ?? 10);

/** A photo-like JPEG (noise, so it does not compress away) of `w`×`h` pixels with EXIF; `seed` varies the noise. */
async function photo(w: number, h: number, seed = 0): Promise<Buffer> {
  const raw = Buffer.alloc(w * h * 3);
  for (let i = 0; i < raw.length; i++) raw[i] = ((i + seed * 7919) * 2654435761) >>> 24;
  return sharp(raw, { raw: { width: w, height: h, channels: 3 } })
    .jpeg({ quality: 80 })
    .withExif({ IFD0: { Artist: 'Pelapor Bench', Model: 'Phone' } })
    .toBuffer();
}

/** One distinct scanned page (a JPEG) per page. */
async function scanPdf(pages: number): Promise<Buffer> {
  const doc = await PDFDocument.create();
  doc.setAuthor('Pelapor Bench');
  for (let i = 0; i < pages; i++) {
    const img = await doc.embedJpg(await photo(620, 877, i + 1));
    doc.addPage([595, 842]).drawImage(img, { x: 0, y: 0, width: 595, height: 842 });
  }
  return Buffer.from(await doc.save());
}

async function textPdf(pages: number): Promise<Buffer> {
  const doc = await PDFDocument.create();
  doc.setAuthor('Pelapor Bench');
  const font = await doc.embedFont(StandardFonts.Helvetica);
  for (let i = 0; i < pages; i++) {
    const page = doc.addPage([595, 842]);
    for (let l = 0; l < 40; l++)
      page.drawText(`Halaman ${i + 1} baris ${l + 1}: jalan rusak di depan pasar sejak dua bulan.`, {
        x: 40,
        y: 800 - l * 19,
        size: 10,
        font,
      });
  }
  return Buffer.from(await doc.save());
}

function quantile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!;
}

async function main() {
  const jpeg12mp = await photo(4000, 3000);
  const cases: Array<[string, Buffer]> = [
    ['JPEG photo 4000×3000 (12 MP)', jpeg12mp],
    ['PDF letter, 2 pages', await textPdf(2)],
    ['PDF scan, 20 pages of photos', await scanPdf(20)],
    ['PDF text, 200 pages', await textPdf(200)],
  ];
  console.log(`| upload | size | median | p95 |\n|---|---|---|---|`);
  for (const [name, data] of cases) {
    await cleanUpload(data); // warm-up
    const times: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const t0 = performance.now();
      await cleanUpload(data);
      times.push(performance.now() - t0);
    }
    times.sort((a, b) => a - b);
    const kb = data.length / 1024;
    const size = kb >= 1024 ? `${(kb / 1024).toFixed(1)} MB` : `${kb.toFixed(0)} KB`;
    console.log(
      `| ${name} | ${size} | ${quantile(times, 0.5).toFixed(0)} ms | ${quantile(times, 0.95).toFixed(0)} ms |`,
    );
  }
  console.log(`\nPeak RSS: ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB; ${RUNS} runs each.`);
}

await main();
