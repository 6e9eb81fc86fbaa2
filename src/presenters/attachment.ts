/**
 * The name an attachment is shown under. A reporter's own file name can identify them ("KTP_Sekar.jpg",
 * "rumah-pak-budi.jpg"), so a caller who may not see who reported (an agency on an anonymous report) gets a
 * neutral name instead; the reporter, verifiers allowed to see the reporter and staff files keep theirs.
 */
const EXTENSIONS: Record<string, string> = {
  'image/jpeg': 'jpg',
  'image/png': 'png',
  'image/webp': 'webp',
  'application/pdf': 'pdf',
};

/** The file name to show for an attachment. */
export function attachmentFilename(
  file: { id: string; filename: string; mime: string; uploadedBy: string },
  mayViewReporter: boolean,
): string {
  if (file.uploadedBy !== 'reporter' || mayViewReporter) return file.filename;
  return neutralFilename(file);
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
