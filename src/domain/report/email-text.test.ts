import { describe, expect, it } from 'vitest';
import {
  cutSignOff,
  cutSignature,
  dropForwardedHeaders,
  EMAIL_MASK,
  FALLBACK_TITLE,
  filingText,
  isFooterLine,
  maskSender,
  replyText,
  stripQuoted,
} from './email-text.ts';
import { maskNik } from './pii-hints.ts';

const COMPLAINT = 'Lampu jalan di Jalan Juanda mati sejak dua minggu.';
const SENDER = { address: 'rina.w@contoh.aduan.id', name: 'Rina Wulandari' };

describe('cutSignature', () => {
  it('cuts from an RFC 3676 delimiter line to the end, with or without its trailing space', () => {
    for (const delimiter of ['-- ', '--', '--\u00a0', '--  ']) {
      const text = [
        COMPLAINT,
        '',
        delimiter,
        'Rina Wulandari',
        'HP 081299887721',
        'rina.w@contoh.aduan.id',
      ].join('\r\n');
      expect(cutSignature(text)).toBe(COMPLAINT);
    }
  });

  it('keeps lines that only look like a delimiter', () => {
    const text = `${COMPLAINT}\n--- catatan ---\nnomor kantor 0541-123456\n-- selesai`;
    expect(cutSignature(text)).toBe(text);
  });

  it('cuts from a mobile or webmail footer, Indonesian and English', () => {
    const footers = [
      'Sent from my iPhone',
      'Sent from my Samsung Galaxy smartphone.',
      'Sent from Yahoo Mail on Android',
      'Sent from Mail for Windows',
      'Sent with Proton Mail secure email.',
      'Get Outlook for Android',
      'Get Outlook for iOS<https://aka.ms/o0ukef>',
      'Dikirim dari Yahoo Mail',
      'Dikirim dari Yahoo Mail di Android',
      'Dikirim dari iPhone saya',
      'Dikirim dari ponsel Samsung',
      'Dikirim dari ponsel cerdas Samsung Galaxy saya.',
      'Dikirim dari perangkat seluler saya',
      'Dikirim dari Outlook untuk Android',
      'Dapatkan Outlook untuk iOS',
      'Sent from [Yahoo Mail for iPhone]',
    ];
    for (const footer of footers) {
      expect(isFooterLine(footer), footer).toBe(true);
      expect(cutSignature(`${COMPLAINT}\n\n${footer}\nRina W. 0812 9988 7721`), footer).toBe(COMPLAINT);
    }
  });

  it('does not take a sentence of the complaint for a footer', () => {
    for (const line of [
      'Dikirim dari kantor kelurahan ke dinas, tidak ada balasan.',
      'Sent from the district office to the agency in March.',
      'Dikirim dari Samarinda lewat ekspedisi tapi tidak sampai',
      'Surat dikirim dari iPhone saya ke dinas tanggal 3 Maret 2026 tetapi sampai sekarang belum ada tanggapan.',
    ])
      expect(isFooterLine(line), line).toBe(false);
    const text = `${COMPLAINT}\nDikirim dari kantor kelurahan ke dinas, tidak ada balasan.\nMohon ditindaklanjuti.`;
    expect(cutSignature(text)).toBe(text);
  });

  it('keeps other numbers in the complaint text: only the cut block goes', () => {
    const text = 'Pengaduan ke kantor (0541) 741234 tidak dijawab, denda Rp 1.500.000 dan NIK tidak diminta.';
    expect(cutSignature(`${text}\n-- \nRina\nHP 081299887721`)).toBe(text);
  });

  it('a message that is only a signature leaves nothing; a footer above the message is dropped alone', () => {
    expect(cutSignature('-- \nRina Wulandari\nHP 081299887721\nrina.w@contoh.aduan.id')).toBe('');
    expect(cutSignature('Sent from my iPhone')).toBe('');
    expect(cutSignature('\n\nDikirim dari Yahoo Mail di Android\n')).toBe('');
    expect(cutSignature(`Dikirim dari iPhone saya\n\n${COMPLAINT}`)).toBe(COMPLAINT);
    expect(cutSignature(`Sent from my iPhone\n${COMPLAINT}\n-- \nRina`)).toBe(COMPLAINT);
  });

  it('a forwarded original after the forwarder signature is kept, its own signature cut', () => {
    const text = [
      'Mohon ditindaklanjuti.',
      '',
      'Sent from my iPhone',
      '',
      'Begin forwarded message:',
      '',
      'Subject: Jalan rusak',
      '',
      'Jalan di depan pasar rusak parah.',
      '-- ',
      'Pak Darto, RT 05',
    ].join('\n');
    expect(cutSignature(text)).toBe(
      'Mohon ditindaklanjuti.\n\nBegin forwarded message:\n\nSubject: Jalan rusak\n\nJalan di depan pasar rusak parah.',
    );
  });
});

describe('dropForwardedHeaders', () => {
  it('drops the address lines of a forwarded header block (Gmail and Outlook, English and Indonesian)', () => {
    const gmail = [
      'Tolong dicek.',
      '',
      '---------- Forwarded message ---------',
      'From: Rina Wulandari <rina.w@contoh.aduan.id>',
      'Date: Sun, Mar 8, 2026 at 9:00 AM',
      'Subject: Lampu jalan mati',
      'To: <pak.rt@contoh.aduan.id>,',
      '  Budi <budi@contoh.aduan.id>',
      'Cc: warga@contoh.aduan.id',
      '',
      COMPLAINT,
    ].join('\n');
    const out = dropForwardedHeaders(gmail);
    expect(out).toBe(
      [
        'Tolong dicek.',
        '',
        '---------- Forwarded message ---------',
        'Date: Sun, Mar 8, 2026 at 9:00 AM',
        'Subject: Lampu jalan mati',
        '',
        COMPLAINT,
      ].join('\n'),
    );
    const outlook = [
      'Dari: Rina Wulandari',
      'Dikirim: Minggu, 8 Maret 2026 09.00',
      'Kepada: Pak RT',
      'Subjek: Lampu jalan mati',
      '',
      COMPLAINT,
    ].join('\n');
    expect(dropForwardedHeaders(outlook)).toBe(
      ['Dikirim: Minggu, 8 Maret 2026 09.00', 'Subjek: Lampu jalan mati', '', COMPLAINT].join('\n'),
    );
  });

  it('handles a hostile header line of hundreds of kilobytes in linear time', () => {
    const started = Date.now();
    for (const value of ['a'.repeat(300_000), 'a@'.repeat(150_000), `a@${'a.aa'.repeat(75_000)}1`])
      expect(dropForwardedHeaders(`From: ${value}\n${COMPLAINT}`)).toContain(COMPLAINT);
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('keeps a sentence that merely starts like a header', () => {
    const text = `Rute angkot:\nDari: Terminal Lempake\nKe: Pasar Segiri\n\n${COMPLAINT}`;
    expect(dropForwardedHeaders(text)).toBe(text);
  });
});

describe('maskSender', () => {
  it('masks the address and the display name wherever they occur, ignoring case and spacing', () => {
    const text = 'Saya RINA  WULANDARI (Rina.W@Contoh.Aduan.id) dari\nrina wulandari-nya.';
    expect(maskSender(text, SENDER)).toBe(
      `Saya ${EMAIL_MASK.name} (${EMAIL_MASK.email}) dari\n${EMAIL_MASK.name}-nya.`,
    );
  });

  it('masks the name only as words of its own, and not a name too short to be one', () => {
    expect(maskSender('Warga Ani dan pelayanan manis', { address: 'a@b.id', name: 'Ani' })).toBe(
      `Warga ${EMAIL_MASK.name} dan pelayanan manis`,
    );
    expect(maskSender('Jalan Al Ikhlas', { address: 'a@b.id', name: 'Al' })).toBe('Jalan Al Ikhlas');
    expect(maskSender('a... b', { address: 'a@b.id', name: '...' })).toBe('a... b');
  });

  it('is safe with names holding regular-expression characters', () => {
    expect(maskSender('dari (Budi) S. [x]+?', { address: 'a@b.id', name: '(Budi) S. [x]+?' })).toBe(
      `dari ${EMAIL_MASK.name}`,
    );
  });
});

describe('filingText', () => {
  it('cuts the signature, drops forwarded address lines and masks the sender in title and body', () => {
    const { title, body } = filingText(
      'Keluhan Rina Wulandari: lampu mati',
      `${COMPLAINT}\nKontak saya rina.w@contoh.aduan.id.\n\n-- \nRina Wulandari\nHP 081299887721\nrina.w@contoh.aduan.id`,
      SENDER,
    );
    expect(title).toBe(`Keluhan ${EMAIL_MASK.name}: lampu mati`);
    expect(body).toBe(`${COMPLAINT}\nKontak saya ${EMAIL_MASK.email}.`);
  });

  it('falls back to the subject when the message is only a signature, and to a fixed title without one', () => {
    expect(filingText('Lampu mati', '-- \nRina\nHP 081299887721', SENDER)).toEqual({
      title: 'Lampu mati',
      body: 'Lampu mati',
    });
    expect(filingText('', 'Sent from my iPhone', SENDER)).toEqual({
      title: FALLBACK_TITLE,
      body: FALLBACK_TITLE,
    });
    expect(filingText('', `\n${COMPLAINT}\nSent from my iPhone`, SENDER).title).toBe(COMPLAINT);
  });

  it('masks private-link keys', () => {
    expect(filingText('x', 'http://a.id/lacak/ADU-1?k=Rahasia01', SENDER).body).toBe(
      `http://a.id/lacak/ADU-1?k=${EMAIL_MASK.key}`,
    );
  });
});

describe('replyText', () => {
  it('strips the quote, cuts the signature and masks the sender', () => {
    const text = [
      'Sudah tiga malam padam, hubungi Rina Wulandari.',
      '',
      'Sent from my iPhone',
      'Rina, 081299887721',
      '',
      'On Sun, Mar 8, 2026 at 9:00 AM aduan <noreply@aduan.local> wrote:',
      '> Laporan diterima http://a.id/lacak/X?k=Rahasia',
    ].join('\n');
    expect(replyText(text, SENDER)).toBe(`Sudah tiga malam padam, hubungi ${EMAIL_MASK.name}.`);
    expect(replyText('-- \nRina Wulandari\n081299887721', SENDER)).toBe('');
  });

  it('keeps what stripQuoted keeps', () => {
    const text = 'Masih mati.\n\nPada Kamis menulis:\n> Laporan Anda diterima';
    expect(stripQuoted(text)).toBe('Masih mati.');
    expect(replyText(text, { address: 'x@y.id' })).toBe('Masih mati.');
  });
});

describe('cutSignOff and maskNik', () => {
  it('cuts the signature under a sign-off, keeping the sign-off and the complaint', () => {
    for (const signOff of [
      'Hormat saya,',
      'Salam,',
      'Terima kasih atas perhatiannya.',
      'Wassalamualaikum wr. wb.',
      'Regards,',
    ]) {
      const text = `Jalan rusak di depan sekolah.\n\n${signOff}\nBudi Santoso\nHP 0812 3456 7890\nJl. Merdeka 5`;
      expect(cutSignOff(text), signOff).toBe(`Jalan rusak di depan sekolah.\n\n${signOff}`);
    }
    expect(cutSignOff('Jalan rusak.\n\nSalam,\nBudi Santoso')).toBe('Jalan rusak.\n\nSalam,');
  });

  it('keeps what reads as more complaint after a "terima kasih", and a text that is only a sign-off', () => {
    const more = 'Jalan rusak.\nTerima kasih.\nTapi lubangnya makin besar dan sudah ada korban.';
    expect(cutSignOff(more)).toBe(more);
    expect(cutSignOff('Hormat saya,\nBudi')).toBe('Hormat saya,\nBudi');
    const long = `Jalan rusak.\nSalam,\n${Array.from({ length: 9 }, (_, i) => `HP 08123456789${i}`).join('\n')}`;
    expect(cutSignOff(long)).toBe(long);
  });

  it('masks 16-digit NIKs only', () => {
    expect(maskNik('NIK 6472010101900011, rekening 1234567890, HP 081234567890')).toBe(
      `NIK ${EMAIL_MASK.nik}, rekening 1234567890, HP 081234567890`,
    );
    expect(maskNik('nomor 64720101019000112')).toBe('nomor 64720101019000112');
  });
});
