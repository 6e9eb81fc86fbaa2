/**
 * The language to answer an SMS in (pure; src/commands/receive-sms.ts calls it): a scored Indonesian-vs-English
 * decision over the message's own words, Indonesian by default. Why not a general detector (franc-min): on SMS-length
 * texts it takes loan-word Indonesian ("traffic light mati", "area parkir") and bare commands for English and misses
 * "help"; and it knows ~80 languages where aduan answers in two (accuracy of each in docs/channels.md, "Language").
 *
 * Each word scores for one side:
 * - a frequent English function word (`the`, `is`, `have`, `since`, `why`…) 1 for English; a frequent Indonesian one
 *   (`yang`, `sudah`, `tidak`, `di`, `ke`…) or its SMS spelling (`yg`, `udh`, `gak`, `tlg`…) 1 for Indonesian;
 * - a complaint word (`road`, `garbage` / `jalan`, `sampah`…) ½ for its side: place names hold Indonesian ones
 *   ("the lights on Jalan Juanda"), so they weigh less than grammar;
 * - an English word shape (`-ed`, `-ly`, `-tion`) ½ for English; an Indonesian one (`di-…-kan`, `ber-…`, `…-nya`) ½ for
 *   Indonesian, for words in neither list;
 * - English words Indonesians write in Indonesian (`please`, `sorry`, `update`, `traffic`, `light`, `area`, `online`,
 *   `down`, `desk` among others), the command words and the words of both languages (`no`, `status`, `data`, `air`)
 *   score nothing.
 *
 * English needs English and no Indonesian at all (at least 1 point: "help", "Clinic closed again today"), or clearly
 * more: at least 2 points ahead and twice the Indonesian score ("The street lights on Jalan Juanda have been off for a
 * week"). Anything else is Indonesian when it scored, else unknown (null: the caller falls back to the reporter's
 * language, else Indonesian).
 */

const words = (s: string) => new Set(s.trim().split(/\s+/));

/** Frequent English function words, auxiliaries and adverbs (none of them an Indonesian word or loan). */
const EN_FUNCTION = words(`
  the a an and or but if then than because so as of to in on at for with from by about into onto over under after
  before since until near behind between through during without within around across against along toward towards
  is are was were be been being am has have had having do does did doing done will would can cannot could should must
  may might shall not never nothing nobody none neither nor there here this that these those it its they them their
  theirs we us our ours you your yours he she his her hers him i my me mine myself who whom whose what which where
  when why how all any some every each many much more most less least very too also still already yet just only
  again ever even now today tonight yesterday tomorrow ago always often sometimes usually soon anyone anybody someone
  somebody something anything everything everywhere everyone nowhere somewhere another other others such same own
  both either few several hello hi thanks thank dear sir madam yes got get gets getting keep keeps kept make
  makes made need needs needed want wants wanted know knew think told tell says said ask asked come comes came go
  goes went gone going see seen saw look looks looking give given help
`);

/** Complaint words of English (half weight: "road", "garbage"…). */
const EN_CONTENT = words(`
  road roads street streets bridge broken damaged hole holes pothole potholes flood flooded flooding garbage trash
  rubbish waste water pipe pipes leak leaking leaks drain drains gutter sewer electricity power outage blackout
  lamp lamps dark dirty smell smells smoke noise noisy clinic hospital school office officer officers staff queue
  complaint complaints report reported fix fixed repair repaired broke collect collected collects clean cleaned
  cleans bad worse terrible dangerous unsafe closed open stuck blocked fell fallen tree trees house home neighbour
  neighbor children kids people night morning evening week weeks month months day days hour hours money bribe fee
  price late waiting response answer bus stop roof market car cars motorbike bike truck trucks dog dogs quality
  factory sleep bins bin everywhere
`);

/**
 * English words used inside Indonesian texts (loans, set phrases, shop and tech words), and words of both languages:
 * they tell nothing.
 */
const NEUTRAL = words(`
  please sorry update follow up down online offline error login website web app server wifi internet traffic light
  lights area parking parkir mall atm cctv ac phone hp desk free best top ok oke okay no status info data service
  servis refund check cek pak bu mas mbak air
`);

/** Frequent Indonesian function words, particles and their usual SMS spellings. */
const ID_FUNCTION = words(`
  yang yg dan dn atau ato tidak tdk tak gak ga gk nggak ngga enggak engga ndak bukan bkn sudah sdh udah udh dah
  belum blm blum ada adanya sejak dekat ini itu tsb tersebut dengan dgn dg untuk utk buat kami kmi sy saya aku gue
  gw kita kamu anda dia mereka karena krn karna pada akan dari dr ke di tetapi tapi tp juga jg bisa bs sangat sekali
  skali banget bgt sering selalu masih msh lagi lg hari minggu bulan tahun thn kemarin kmrn sekarang skrg tadi malam
  pagi siang sore setiap tiap semua banyak sedikit mohon tolong tlg segera cepat agar supaya bagaimana gimana gmn
  kenapa knp mengapa apa siapa kapan dimana mana kok sih dong deh aja saja sj hanya cuma cm jika kalau kalo klo kl
  namun lalu kemudian setelah sebelum sampai smp hingga oleh para bapak ibu kasih atas bawah depan belakang samping
  sebelah antara dalam luar sebagai seperti bahwa lebih paling harus hrs perlu mau mo ingin boleh sedang sdg pernah
  hampir baru lama ya iya yah nya jd jadi trs terus sama tanya lapor melapor mas yth makin semakin kalian beliau
  tolonglah mohonlah nih tuh kan pun hingga begitu begini sini situ sana
`);

/** Complaint and place words of Indonesian (half weight: street and place names hold them). */
const ID_CONTENT = words(`
  jalan jln jl gang gg rumah warga rt rw kelurahan desa kecamatan kampung kota kabupaten rusak lampu mati banjir
  sampah listrik padam bocor macet berlubang lubang parah diperbaiki perbaiki pasar sekolah puskesmas kantor pelayanan
  petugas laporan keluhan sungai jembatan got selokan saluran tersumbat mampet bau kotor antrian antrean uang pungli
  bayar biaya motor mobil anak orang tanah pohon tumbang jatuh hujan kering pipa atap hilang rawan kecelakaan lokasi
  masjid warung toko trotoar halte angkot gelap tinggi rendah besar kecil panjang lambat kosong pejalan kaki aspal
`);

const EN_SHAPE = /^[a-z]{3,}(?:ed|ly|tion|tions)$/;
const ID_SHAPE =
  /^(?:(?:me[mnr]?|meng|meny|di|ber|ter|per|pe[mn]?|peng|ke)[a-z]{3,}(?:kan|an|i|nya)|[a-z]{3,}nya|ber[a-z]{4,})$/;

/** The two scores of a text (exported for the measurements in the tests and docs). */
export function smsLangScores(text: string): { en: number; id: number } {
  let en = 0;
  let id = 0;
  // Initials ("Jl. A. Yani", "M.T. Haryono") and "a/n" (atas nama) are not the English "a" or "I".
  const plain = text.replace(/\b\p{Lu}\./gu, ' ').replace(/\ba\/n\b/gi, ' ');
  for (const word of plain.toLowerCase().split(/[^\p{L}]+/u)) {
    if (!word || NEUTRAL.has(word)) continue;
    if (EN_FUNCTION.has(word)) en += 1;
    else if (ID_FUNCTION.has(word)) id += 1;
    else if (EN_CONTENT.has(word)) en += 0.5;
    else if (ID_CONTENT.has(word)) id += 0.5;
    else if (ID_SHAPE.test(word)) id += 0.5;
    else if (EN_SHAPE.test(word)) en += 0.5;
  }
  return { en, id };
}

/**
 * The language to answer an SMS in: `en` when its words are clearly English, `id` when they read Indonesian or mixed,
 * null when they tell nothing (a bare command such as `STATUS 1234`). Why: replies go in Bahasa Indonesia by default,
 * but an SMS cannot carry both languages within one segment, and a visitor who writes in English needs to understand
 * the answer.
 */
export function smsLang(text: string): 'id' | 'en' | null {
  const { en, id } = smsLangScores(text);
  if (en >= 1 && id === 0) return 'en';
  if (en >= 2 && en - id >= 2 && en >= 2 * id) return 'en';
  return en + id > 0 ? 'id' : null;
}
