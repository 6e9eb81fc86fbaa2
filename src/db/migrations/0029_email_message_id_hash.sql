-- Inbound emails were matched for retries by their Message-ID, stored in clear; it often carries the sender's host
-- or address. Rows keep the same match as a sha256 of "message-id:<id>" (src/commands/receive-email.ts). Rows that
-- already hold a 64-hex digest (mails without a Message-ID) are left as they are.
UPDATE inbound_messages
SET external_id = encode(sha256(convert_to('message-id:' || external_id, 'UTF8')), 'hex')
WHERE channel = 'email' AND external_id !~ '^[0-9a-f]{64}$';
