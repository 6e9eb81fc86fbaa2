ALTER TABLE "attachments" ADD COLUMN "filename_enc" text;
-- Existing rows keep their plain name (filename_enc null) until the app seals them: sealing needs the app's key,
-- which SQL does not have (sealLegacyAttachmentFilenames in src/commands/add-attachment.ts; docs/security.md).
