/**
 * The name an attachment is shown under. A reporter's own file name can identify them ("KTP_Sekar.jpg",
 * "rumah-pak-budi.jpg"), so a caller who may not see who reported (an agency on an anonymous report) gets a
 * neutral name instead; the reporter, verifiers allowed to see the reporter and staff files keep theirs. The
 * uploader's own name is stored only sealed (`filename_enc`); the `filename` column holds the neutral name, so a
 * reader that does not open the seal can show nothing else (docs/security.md).
 */
import type { Sealer } from '../integrations/crypto.ts';

const EXTENSIONS: Record<string, string> = {
  'image/jpeg': 'jpg',
  'image/png': 'png',
  'image/webp': 'webp',
  'application/pdf': 'pdf',
};

/** An attachment row as far as its names go (`filenameEnc` null: a row stored before names were sealed). */
export interface StoredName {
  id: string;
  filename: string;
  filenameEnc: string | null;
  mime: string;
  uploadedBy: string;
}

/**
 * The file name to show for an attachment. Without a sealer a sealed name cannot be opened, so the neutral
 * name is shown (fails closed); pass `svc.sealer` wherever the original may be shown.
 */
export function attachmentFilename(
  file: StoredName,
  mayViewReporter: boolean,
  sealer?: Pick<Sealer, 'open'>,
): string {
  if (file.uploadedBy !== 'reporter' || mayViewReporter) return originalFilename(file, sealer);
  return neutralFilename(file);
}

/**
 * The uploader's own name, opened from `filename_enc`; a row stored before names were sealed still holds it in
 * `filename`. An envelope that cannot be opened (no sealer given, or a key removed too early) gives the neutral
 * name, not a 500.
 */
export function originalFilename(file: StoredName, sealer?: Pick<Sealer, 'open'>): string {
  if (file.filenameEnc === null) return file.filename;
  try {
    return sealer ? sealer.open<string>(file.filenameEnc) : neutralFilename(file);
  } catch {
    return neutralFilename(file);
  }
}

/** True when showing this file's name to a caller who is not its reporter reveals something about the reporter. */
export function revealsReporterName(
  file: StoredName,
  mayViewReporter: boolean,
  isReporter: boolean,
): boolean {
  return file.uploadedBy === 'reporter' && mayViewReporter && !isReporter;
}

/**
 * Whether an image from the body of an emailed complaint (`email_inline`: a signature logo, the sender's photo) is
 * withheld from this caller: on an anonim report, until a verifier releases it, only those who may see the reporter
 * (the reporter, verifiers in scope) list or open it; an agency role, the Ombudsman and the public never do.
 */
export function withheldInline(
  file: { emailInline: boolean; releasedAt: Date | null },
  anonymous: boolean,
  mayViewReporter: boolean,
): boolean {
  return file.emailInline && file.releasedAt === null && anonymous && !mayViewReporter;
}

/**
 * `lampiran-<first 8 of the id>.<ext>`: the name the public sees for every file (an agency's file name can name
 * the reporter or a resident too, e.g. "balasan-untuk-bu-sekar.pdf").
 */
export function neutralFilename(file: { id: string; mime: string }): string {
  return `lampiran-${file.id.slice(0, 8)}.${EXTENSIONS[file.mime] ?? 'bin'}`;
}

/**
 * A Content-Disposition header value for a stored name: an ASCII fallback plus the UTF-8 name (RFC 6266/5987),
 * since Node refuses header values outside Latin-1 (a name like "jembatan_桥.jpg" would otherwise answer 500).
 */
export function inlineDisposition(name: string): string {
  const ascii = name.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '');
  const utf8 = encodeURIComponent(name).replace(
    /['()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `inline; filename="${ascii}"; filename*=UTF-8''${utf8}`;
}
