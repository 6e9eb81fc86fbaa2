/**
 * A small synthetic training corpus for routing tests: report titles about roads (PUPR) and about health
 * (Dinkes), distinct enough that a model trained on them separates the two.
 */
export const ROADS = [
  'Jalan berlubang dan aspal rusak parah di dekat jembatan',
  'Aspal jalan provinsi mengelupas, lubang besar membahayakan motor',
  'Drainase jalan tersumbat, jalan tergenang dan aspal rusak',
  'Jembatan kayu lapuk dan jalan rusak menuju kampung',
  'Perbaikan jalan rusak berlubang belum dikerjakan kontraktor',
  'Jalan longsor dan aspal retak di tikungan tanjakan',
];
export const HEALTH = [
  'Puskesmas kekurangan obat dan dokter jaga tidak ada',
  'Antrean rumah sakit panjang, perawat tidak ramah kepada pasien',
  'Vaksinasi anak di posyandu ditunda tanpa pemberitahuan',
  'Pasien BPJS ditolak di rumah sakit daerah saat darurat',
  'Puskesmas tutup pada jam pelayanan, pasien menunggu dokter',
  'Obat di apotek puskesmas habis, pasien diminta beli sendiri',
];
