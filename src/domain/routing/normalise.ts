/**
 * Indonesian text normalisation for routing: lowercasing, removal of personal data patterns
 * (URLs, e-mail addresses, phone numbers, NIK-like digit runs), expansion of informal spellings
 * and abbreviations, stopword removal and tokenisation. Pure: no I/O.
 */

/** Informal spellings and abbreviations common in LAPOR! reports, mapped to their standard form. */
export const ABBREVIATIONS: Readonly<Record<string, string>> = {
  yg: 'yang',
  yng: 'yang',
  tdk: 'tidak',
  tak: 'tidak',
  gak: 'tidak',
  nggak: 'tidak',
  ngga: 'tidak',
  engga: 'tidak',
  enggak: 'tidak',
  ga: 'tidak',
  gk: 'tidak',
  g: 'tidak',
  kagak: 'tidak',
  dgn: 'dengan',
  dg: 'dengan',
  jln: 'jalan',
  jl: 'jalan',
  jalanan: 'jalan',
  utk: 'untuk',
  untk: 'untuk',
  sdh: 'sudah',
  udah: 'sudah',
  udh: 'sudah',
  dah: 'sudah',
  blm: 'belum',
  blum: 'belum',
  krn: 'karena',
  karna: 'karena',
  dll: 'dan lain lain',
  dsb: 'dan sebagainya',
  bpk: 'bapak',
  bp: 'bapak',
  pak: 'bapak',
  ibu: 'ibu',
  bu: 'ibu',
  kel: 'kelurahan',
  kec: 'kecamatan',
  kab: 'kabupaten',
  kota: 'kota',
  pemkot: 'pemerintah kota',
  pemkab: 'pemerintah kabupaten',
  pemprov: 'pemerintah provinsi',
  pemda: 'pemerintah daerah',
  prov: 'provinsi',
  rs: 'rumah sakit',
  rsud: 'rumah sakit umum daerah',
  puskes: 'puskesmas',
  ktp: 'ktp',
  ektp: 'ktp',
  kk: 'kartu keluarga',
  sim: 'sim',
  dr: 'dari',
  dri: 'dari',
  sm: 'sama',
  sma: 'sma',
  tsb: 'tersebut',
  trs: 'terus',
  trus: 'terus',
  lg: 'lagi',
  lgi: 'lagi',
  bgt: 'banget',
  bnyk: 'banyak',
  byk: 'banyak',
  org: 'orang',
  tp: 'tapi',
  tpi: 'tapi',
  sy: 'saya',
  sya: 'saya',
  aq: 'aku',
  km: 'kamu',
  kmi: 'kami',
  ak: 'aku',
  sbg: 'sebagai',
  spt: 'seperti',
  sprt: 'seperti',
  hrs: 'harus',
  msh: 'masih',
  masi: 'masih',
  skrg: 'sekarang',
  skg: 'sekarang',
  sekrg: 'sekarang',
  bln: 'bulan',
  thn: 'tahun',
  th: 'tahun',
  tgl: 'tanggal',
  hr: 'hari',
  mhn: 'mohon',
  kpd: 'kepada',
  pd: 'pada',
  dpt: 'dapat',
  bs: 'bisa',
  bsa: 'bisa',
  jg: 'juga',
  jga: 'juga',
  klo: 'kalau',
  kalo: 'kalau',
  kl: 'kalau',
  gmn: 'bagaimana',
  gimana: 'bagaimana',
  knp: 'kenapa',
  brp: 'berapa',
  sj: 'saja',
  aja: 'saja',
  aj: 'saja',
  ato: 'atau',
  atw: 'atau',
  ttg: 'tentang',
  trkait: 'terkait',
  bbrp: 'beberapa',
  sblm: 'sebelum',
  stlh: 'setelah',
  smp: 'sampai',
  sampe: 'sampai',
  krj: 'kerja',
  kntr: 'kantor',
  pns: 'pegawai negeri sipil',
  asn: 'aparatur sipil negara',
  bumn: 'bumn',
  pln: 'pln',
  pdam: 'pdam',
  lampu: 'lampu',
  pju: 'penerangan jalan umum',
  angkot: 'angkutan kota',
  motor: 'motor',
  mobil: 'mobil',
  sekolah: 'sekolah',
  skolah: 'sekolah',
  sklh: 'sekolah',
  disdik: 'dinas pendidikan',
  dishub: 'dinas perhubungan',
  disdukcapil: 'dinas kependudukan pencatatan sipil',
  dukcapil: 'kependudukan pencatatan sipil',
  satpol: 'satuan polisi',
  pp: 'pamong praja',
  bpjs: 'bpjs',
  bpjsk: 'bpjs kesehatan',
  jkn: 'jaminan kesehatan nasional',
  kis: 'kartu indonesia sehat',
  kip: 'kartu indonesia pintar',
  pkh: 'program keluarga harapan',
  rt: 'rukun tetangga',
  rw: 'rukun warga',
  no: 'nomor',
  nmr: 'nomor',
};

/** Common Indonesian function words (plus a few report-template words) removed before feature extraction. */
export const STOPWORDS: ReadonlySet<string> = new Set(
  (
    'ada adalah adanya agar akan akankah aku akhirnya amat anda antara apa apakah apabila atas atau ' +
    'bagaimana bagi bahkan bahwa banget banyak baru begitu belum beberapa berapa bersama biasa bila ' +
    'bisa boleh buat bukan cukup dalam dan dapat dari daripada demikian dengan di dia diri dulu ' +
    'guna hal hampir hanya harus hingga ia ialah ini itu jadi jika juga justru kalau kami kamu ' +
    'kapan karena kata ke kecuali kemudian kenapa kepada ketika kita lagi lain lalu lama lebih ' +
    'maka mana masih mau melalui memang mengapa menjadi mereka merupakan meski misalnya mohon ' +
    'mulai namun nya oleh pada padahal para per pernah pula pun saat saja salah sama sambil ' +
    'sampai sangat saya se sebab sebagai sebelum sebelumnya sedang sedangkan sehingga sejak ' +
    'sekali sekarang selama seluruh semua sendiri seperti sering serta setelah setiap sini situ ' +
    'suatu sudah supaya tadi tahu tanpa tapi telah tentang terhadap terjadi tersebut terus tetapi ' +
    'tiap untuk walau walaupun yaitu yakni yang hanya agak bahwasanya begini beliau berbagai ' +
    'demi dimana hendak ingin kah kan kok lah loh mah nah pak bapak ibu sdr saudara terima kasih ' +
    'tolong admin lapor dan lain sebagainya pagi siang sore malam hari ya yah deh dong sih ' +
    'tsb atas nama terimakasih mas mbak'
  ).split(/\s+/),
);

const URL_RE = /\b(?:https?:\/\/|www\.)\S+/g;
const EMAIL_RE = /\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b/g;
// Phone numbers: +62 / 62 / 0 prefixes with optional separators, at least 8 digits in all.
const PHONE_RE = /(?:\+?62|\b0)[\s.-]?\d{2,4}[\s.-]?\d{3,4}[\s.-]?\d{2,5}\b/g;
// NIK (16 digits), account and card numbers: any run of 6 or more digits, possibly masked with [***].
const DIGIT_RUN_RE = /\b\d{6,}\b/g;
const MASK_RE = /\[\*+\]/g;
const TOKEN_RE = /[a-z0-9]+/g;

/**
 * Lowercase the text, drop URLs, e-mail addresses, phone numbers, long digit runs (NIK, account numbers)
 * and masking markers, keep hashtags as plain words and replace punctuation by spaces.
 * Abbreviations are NOT expanded here (see {@link tokenise}).
 */
export function normalise(text: string): string {
  // Each pattern runs only when the text could contain it (a cheap scan first): most reports have
  // no URL, e-mail address or mask, and tokenising is the hot spot of training.
  let t = NON_ASCII_RE.test(text) ? text.normalize('NFKC').toLowerCase() : text.toLowerCase();
  if (t.includes('http') || t.includes('www.')) t = t.replace(URL_RE, ' ');
  if (t.includes('@')) t = t.replace(EMAIL_RE, ' ');
  if (DIGIT_RE.test(t)) t = t.replace(PHONE_RE, ' ').replace(DIGIT_RUN_RE, ' ');
  if (t.includes('[*')) t = t.replace(MASK_RE, ' ');
  // Hashtags stay words: `#` is punctuation like any other.
  return t.replace(/[^a-z0-9]+/g, ' ').trim();
}

const NON_ASCII_RE = /[^\t\n\r\x20-\x7e]/;
const DIGIT_RE = /\d/;
/** ABBREVIATIONS as a map to the expanded words. */
const EXPANSIONS: ReadonlyMap<string, readonly string[]> = new Map(
  Object.entries(ABBREVIATIONS).map(([k, v]) => [k, v.split(' ')]),
);

function isDigits(word: string): boolean {
  for (let i = 0; i < word.length; i++) {
    const c = word.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

/** Options for {@link tokenise}. */
export interface TokeniseOptions {
  /** Remove stopwords (default true). */
  removeStopwords?: boolean;
  /** Drop tokens shorter than this (default 2). */
  minLength?: number;
}

/**
 * Normalise the text and split it into word tokens: abbreviations are expanded (possibly into several
 * words), pure numbers are dropped, stopwords are removed.
 */
export function tokenise(text: string, options: TokeniseOptions = {}): string[] {
  const removeStopwords = options.removeStopwords ?? true;
  const minLength = options.minLength ?? 2;
  const out: string[] = [];
  for (const raw of normalise(text).match(TOKEN_RE) ?? []) {
    if (isDigits(raw)) continue;
    const expanded = EXPANSIONS.get(raw);
    if (expanded === undefined) {
      if (raw.length >= minLength && !(removeStopwords && STOPWORDS.has(raw))) out.push(raw);
      continue;
    }
    for (const word of expanded) {
      if (word.length < minLength) continue;
      if (removeStopwords && STOPWORDS.has(word)) continue;
      out.push(word);
    }
  }
  return out;
}
