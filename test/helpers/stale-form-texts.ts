/**
 * What the stale-form tests post and expect (src/http/web/stale-form.ts): a token that never held, and the messages
 * a form re-rendered after a refused token shows, as the locale files word them.
 */

/** A form token no session ever issued. */
export const FORGED = 'bukan-token-yang-benar';

/** The message of a form that came back with what was typed. */
export const STALE = {
  id: 'Formulir kedaluwarsa demi keamanan, jadi belum ada yang dikirim. Isian Anda masih ada; periksa lalu kirim lagi.',
  en: 'The form expired for your security, so nothing was sent. What you typed is still here: check it, then send it again.',
};

/** The message when passwords or keys were typed (never given back). */
export const STALE_SECRETS = {
  id: 'Isian Anda masih ada, kecuali kata sandi dan kunci akses: ketik lagi, lalu kirim lagi.',
  en: 'What you typed is still here, except passwords and access keys: type them again, then send it again.',
};

/** The message when files were chosen (a browser cannot keep them). */
export const STALE_FILES = {
  id: 'Formulir kedaluwarsa demi keamanan, jadi belum ada yang dikirim. Isian Anda masih ada; periksa, pilih lagi berkas Anda (berkas tidak dapat disimpan oleh peramban), lalu kirim lagi.',
  en: 'The form expired for your security, so nothing was sent. What you typed is still here: check it, choose your files again (a browser cannot keep them), then send it again.',
};
