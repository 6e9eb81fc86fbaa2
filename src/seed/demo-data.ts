/**
 * The synthetic Kalimantan Timur demo (docs/api-v1.md "Demo mode"). Every name, text and person here is
 * invented; real LAPOR! data is never used for demo content.
 */
import type { AgencyKind, Classification, Role, ZoneName } from '../domain/report/report.ts';

export interface DemoAgency {
  id: string;
  name: string;
  shortName?: string;
  kind: AgencyKind;
  parentId?: string;
  regionCode: string | null;
  zone: ZoneName;
  isCoordinator?: boolean;
  smsKeyword?: string;
}

const KABKOTA: Array<[code: string, slug: string, name: string]> = [
  ['64.01', 'paser', 'Kabupaten Paser'],
  ['64.02', 'kukar', 'Kabupaten Kutai Kartanegara'],
  ['64.03', 'berau', 'Kabupaten Berau'],
  ['64.07', 'kubar', 'Kabupaten Kutai Barat'],
  ['64.08', 'kutim', 'Kabupaten Kutai Timur'],
  ['64.09', 'ppu', 'Kabupaten Penajam Paser Utara'],
  ['64.11', 'mahulu', 'Kabupaten Mahakam Ulu'],
  ['64.71', 'balikpapan', 'Kota Balikpapan'],
  ['64.72', 'samarinda', 'Kota Samarinda'],
  ['64.74', 'bontang', 'Kota Bontang'],
];

const PERANGKAT_DAERAH: Array<[slug: string, name: string, short: string, unit: string]> = [
  ['pupr', 'Dinas Pekerjaan Umum dan Penataan Ruang', 'Dinas PUPR', 'Bidang Bina Marga'],
  ['dinkes', 'Dinas Kesehatan', 'Dinkes', 'Bidang Pelayanan Kesehatan'],
  ['disdik', 'Dinas Pendidikan dan Kebudayaan', 'Disdikbud', 'Bidang Pembinaan SMA'],
  ['dishub', 'Dinas Perhubungan', 'Dishub', 'Bidang Lalu Lintas Jalan'],
  ['bpkad', 'Badan Pengelolaan Keuangan dan Aset Daerah', 'BPKAD', 'Bidang Aset'],
  ['bapenda', 'Badan Pendapatan Daerah', 'Bapenda', 'UPTD Samsat Samarinda'],
  ['dpmptsp', 'Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu', 'DPMPTSP', 'Bidang Perizinan'],
];

/** The agency tree of the demo. */
export const DEMO_AGENCIES: DemoAgency[] = [
  {
    id: 'kemenpanrb',
    name: 'Kementerian PANRB',
    shortName: 'KemenPANRB',
    kind: 'kementerian',
    regionCode: null,
    zone: 'WIB',
  },
  {
    id: 'ombudsman-kaltim',
    name: 'Ombudsman RI Perwakilan Kalimantan Timur',
    shortName: 'Ombudsman Kaltim',
    kind: 'ombudsman',
    regionCode: '64',
    zone: 'WITA',
  },
  {
    id: 'pemprov-kaltim',
    name: 'Pemerintah Provinsi Kalimantan Timur',
    shortName: 'Pemprov Kaltim',
    kind: 'pemerintah_provinsi',
    regionCode: '64',
    zone: 'WITA',
    smsKeyword: 'KALTIM',
  },
  {
    id: 'diskominfo-kaltim',
    name: 'Dinas Komunikasi dan Informatika Provinsi Kalimantan Timur',
    shortName: 'Diskominfo Kaltim',
    kind: 'perangkat_daerah',
    parentId: 'pemprov-kaltim',
    regionCode: '64',
    zone: 'WITA',
    isCoordinator: true,
  },
  ...PERANGKAT_DAERAH.flatMap(([slug, name, short, unit]): DemoAgency[] => [
    {
      id: `${slug}-kaltim`,
      name: `${name} Provinsi Kalimantan Timur`,
      shortName: `${short} Kaltim`,
      kind: 'perangkat_daerah',
      parentId: 'pemprov-kaltim',
      regionCode: '64',
      zone: 'WITA',
      ...(slug === 'pupr' ? { smsKeyword: 'PUPR' } : {}),
    },
    {
      id: `${slug}-kaltim-unit`,
      name: `${unit}, ${short} Kaltim`,
      kind: 'unit',
      parentId: `${slug}-kaltim`,
      regionCode: '64',
      zone: 'WITA',
    },
  ]),
  // A second unit in Dinas PUPR, so the demo's dispose form has a choice to suggest (seedDemoUnitHistory).
  {
    id: 'pupr-kaltim-cipta-karya',
    name: 'Bidang Cipta Karya, Dinas PUPR Kaltim',
    kind: 'unit',
    parentId: 'pupr-kaltim',
    regionCode: '64',
    zone: 'WITA',
  },
  ...KABKOTA.flatMap(([code, slug, name]): DemoAgency[] => [
    {
      id: `pemkab-${slug}`,
      name: `Pemerintah ${name}`,
      kind: 'pemerintah_kabupaten_kota',
      regionCode: code,
      zone: 'WITA',
      smsKeyword: slug.toUpperCase(),
    },
    {
      id: `diskominfo-${slug}`,
      name: `Dinas Komunikasi dan Informatika ${name}`,
      shortName: `Diskominfo ${name.replace(/^(Kabupaten|Kota) /, '')}`,
      kind: 'perangkat_daerah',
      parentId: `pemkab-${slug}`,
      regionCode: code,
      zone: 'WITA',
      isCoordinator: true,
    },
  ]),
];

export interface DemoUser {
  email: string;
  name: string;
  role: Role;
  agencyId: string | null;
}

/** The demo accounts of docs/api-v1.md; all use ADUAN_DEMO_PASSWORD. */
export const DEMO_USERS: DemoUser[] = [
  {
    email: 'nasional@demo.aduan.id',
    name: 'Admin Nasional (Demo)',
    role: 'national_admin',
    agencyId: 'kemenpanrb',
  },
  {
    email: 'diskominfo.kaltim@demo.aduan.id',
    name: 'Koordinator Diskominfo Kaltim (Demo)',
    role: 'coordinator',
    agencyId: 'diskominfo-kaltim',
  },
  {
    email: 'pupr.kaltim@demo.aduan.id',
    name: 'Admin Dinas PUPR Kaltim (Demo)',
    role: 'agency_admin',
    agencyId: 'pupr-kaltim',
  },
  {
    email: 'petugas.pupr.kaltim@demo.aduan.id',
    name: 'Petugas Bina Marga (Demo)',
    role: 'officer',
    agencyId: 'pupr-kaltim-unit',
  },
  {
    email: 'dinkes.kaltim@demo.aduan.id',
    name: 'Admin Dinkes Kaltim (Demo)',
    role: 'agency_admin',
    agencyId: 'dinkes-kaltim',
  },
  {
    email: 'diskominfo.balikpapan@demo.aduan.id',
    name: 'Koordinator Diskominfo Balikpapan (Demo)',
    role: 'coordinator',
    agencyId: 'diskominfo-balikpapan',
  },
  {
    email: 'ombudsman@demo.aduan.id',
    name: 'Asisten Ombudsman (Demo)',
    role: 'ombudsman',
    agencyId: 'ombudsman-kaltim',
  },
  {
    email: 'penilai@demo.aduan.id',
    name: 'Tim Penilai (Demo)',
    role: 'assessor',
    agencyId: 'diskominfo-kaltim',
  },
  { email: 'warga@demo.aduan.id', name: 'Warga Demo', role: 'citizen', agencyId: null },
];

/**
 * A synthetic report text: [agency id, category name, region code, title, body, classification]. The classification
 * fits the text (a complaint, a suggestion or a question), so the demo's classification model learns from the words.
 */
export type DemoText = [string, string, string, string, string, Classification];

/** Synthetic report texts. */
export const DEMO_REPORT_TEXTS: DemoText[] = [
  [
    'pupr-kaltim',
    'PEKERJAAN UMUM DAN PENATAAN RUANG',
    '64.72.02',
    'Jalan provinsi berlubang dekat jembatan',
    'Jalan provinsi di dekat jembatan sudah berlubang besar sejak dua bulan, banyak pengendara motor terjatuh saat hujan. Mohon segera diperbaiki.',
    'pengaduan',
  ],
  [
    'pupr-kaltim',
    'PEKERJAAN UMUM DAN PENATAAN RUANG',
    '64.71.01',
    'Drainase tersumbat menyebabkan banjir',
    'Saluran drainase di tepi jalan tersumbat sampah dan lumpur sehingga setiap hujan deras air meluap ke rumah warga. Mohon dinormalisasi.',
    'pengaduan',
  ],
  [
    'pupr-kaltim',
    'PEKERJAAN UMUM DAN PENATAAN RUANG',
    '64.02.01',
    'Lampu penerangan jalan mati',
    'Lampu penerangan jalan umum sepanjang ruas jalan poros sudah mati lebih dari sebulan sehingga rawan kecelakaan pada malam hari.',
    'pengaduan',
  ],
  [
    'dinkes-kaltim',
    'KESEHATAN',
    '64.72.01',
    'Usul nomor antrean daring di puskesmas',
    'Kami mengusulkan agar puskesmas memakai nomor antrean daring dan loket khusus lansia, supaya pendaftaran tidak perlu menunggu berjam-jam.',
    'aspirasi',
  ],
  [
    'dinkes-kaltim',
    'KESEHATAN',
    '64.74.01',
    'Stok obat di puskesmas kosong',
    'Beberapa obat untuk penyakit kronis kosong di puskesmas sejak tiga minggu, pasien diminta membeli sendiri di apotek.',
    'pengaduan',
  ],
  [
    'disdik-kaltim',
    'PENDIDIKAN DAN KEBUDAYAAN',
    '64.72.02',
    'Pungutan seragam di SMA negeri',
    'Orang tua murid diminta membayar biaya seragam dan kegiatan yang cukup besar tanpa penjelasan rinci dari pihak sekolah.',
    'pengaduan',
  ],
  [
    'disdik-kaltim',
    'PENDIDIKAN DAN KEBUDAYAAN',
    '64.03.01',
    'Ruang kelas rusak belum diperbaiki',
    'Atap ruang kelas bocor dan plafon hampir runtuh, murid terpaksa belajar di teras sekolah ketika hujan.',
    'pengaduan',
  ],
  [
    'dishub-kaltim',
    'PERHUBUNGAN',
    '64.71.02',
    'Saran penambahan halte angkutan umum',
    'Sebaiknya halte angkutan umum ditambah di ruas jalan yang ramai dan angkutan diwajibkan berhenti di halte, agar penumpang tidak naik turun di tengah jalan.',
    'aspirasi',
  ],
  [
    'dishub-kaltim',
    'PERHUBUNGAN',
    '64.72.01',
    'Rambu lalu lintas hilang di persimpangan',
    'Rambu larangan belok di persimpangan besar sudah hilang sehingga banyak kendaraan melanggar dan hampir terjadi tabrakan.',
    'pengaduan',
  ],
  [
    'bapenda-kaltim',
    'EKONOMI DAN KEUANGAN',
    '64.72.02',
    'Jadwal samsat keliling untuk pajak kendaraan',
    'Mohon informasi jadwal dan lokasi samsat keliling bulan ini. Apakah pajak kendaraan bermotor tahunan bisa dibayar di sana tanpa BPKB asli?',
    'permintaan_informasi',
  ],
  [
    'dpmptsp-kaltim',
    'EKONOMI DAN KEUANGAN',
    '64.71.01',
    'Izin usaha tidak kunjung terbit',
    'Permohonan izin usaha sudah lengkap diajukan sejak satu bulan lalu tetapi statusnya belum berubah dan tidak ada kabar.',
    'pengaduan',
  ],
  [
    'bpkad-kaltim',
    'EKONOMI DAN KEUANGAN',
    '64.72.01',
    'Informasi aset tanah pemerintah',
    'Mohon informasi status lahan kosong di samping kantor kelurahan, apakah termasuk aset pemerintah provinsi dan boleh dimanfaatkan warga?',
    'permintaan_informasi',
  ],
];

/**
 * Synthetic reports for the demo's routing history (other wording than `DEMO_REPORT_TEXTS`, so the suggestions
 * are not read off identical texts).
 */
export const DEMO_ROUTING_TEXTS: DemoText[] = [
  [
    'pupr-kaltim',
    'PEKERJAAN UMUM DAN PENATAAN RUANG',
    '64.72.01',
    'Aspal jalan poros mengelupas',
    'Aspal di jalan poros antar kecamatan mengelupas dan berlubang, kendaraan harus melambat dan sering terjadi kecelakaan.',
    'pengaduan',
  ],
  [
    'dinkes-kaltim',
    'KESEHATAN',
    '64.71.02',
    'Usul tambahan dokter jaga pagi di puskesmas',
    'Kami menyarankan puskesmas menambah dokter jaga pada pagi hari, karena pasien menunggu lebih dari tiga jam saat hanya satu dokter bertugas.',
    'aspirasi',
  ],
  [
    'disdik-kaltim',
    'PENDIDIKAN DAN KEBUDAYAAN',
    '64.72.02',
    'Atap ruang kelas SMA bocor',
    'Atap dua ruang kelas di sekolah menengah atas bocor setiap hujan sehingga siswa belajar di lorong.',
    'pengaduan',
  ],
  [
    'dishub-kaltim',
    'PERHUBUNGAN',
    '64.71.01',
    'Lampu lalu lintas simpang mati',
    'Lampu lalu lintas di simpang empat mati sejak kemarin sore, arus kendaraan semrawut pada jam sibuk.',
    'pengaduan',
  ],
  [
    'bapenda-kaltim',
    'EKONOMI DAN KEUANGAN',
    '64.72.01',
    'Cara menghitung denda pajak kendaraan',
    'Bagaimana cara menghitung denda pajak kendaraan bermotor yang terlambat dibayar di samsat? Mohon informasi besarnya denda per bulan.',
    'permintaan_informasi',
  ],
  [
    'pupr-kaltim',
    'PEKERJAAN UMUM DAN PENATAAN RUANG',
    '64.71.02',
    'Gorong-gorong ambruk di pinggir jalan',
    'Gorong-gorong di pinggir jalan ambruk dan membentuk lubang dalam, berbahaya bagi pejalan kaki pada malam hari.',
    'pengaduan',
  ],
  [
    'dinkes-kaltim',
    'KESEHATAN',
    '64.72.02',
    'Stok vaksin di posyandu kosong',
    'Imunisasi anak di posyandu ditunda dua kali karena stok vaksin kosong dan tidak ada kabar kapan tersedia.',
    'pengaduan',
  ],
  [
    'dishub-kaltim',
    'PERHUBUNGAN',
    '64.72.01',
    'Usul trayek angkutan kota sampai terminal',
    'Kami mengusulkan agar trayek angkutan kota diperpanjang sampai terminal baru, supaya warga perumahan tidak perlu berjalan jauh ke jalan raya.',
    'aspirasi',
  ],
  [
    'disdik-kaltim',
    'PENDIDIKAN DAN KEBUDAYAAN',
    '64.71.01',
    'Aturan pembelian seragam di sekolah negeri',
    'Apakah sekolah negeri boleh mewajibkan orang tua murid membeli seragam dan buku dari sekolah? Mohon informasi aturannya.',
    'permintaan_informasi',
  ],
  [
    'disdik-kaltim',
    'PENDIDIKAN DAN KEBUDAYAAN',
    '64.72.02',
    'Beasiswa siswa SMA belum cair',
    'Beasiswa untuk siswa kurang mampu di SMA negeri belum cair sejak semester lalu, pihak sekolah tidak memberi penjelasan kepada orang tua murid.',
    'pengaduan',
  ],
  [
    'dinkes-kaltim',
    'KESEHATAN',
    '64.71.02',
    'Obat di apotek rumah sakit habis',
    'Obat untuk pasien penyakit kronis di apotek rumah sakit daerah habis, pasien diminta membeli di luar.',
    'pengaduan',
  ],
];

/**
 * Synthetic reports left waiting for verification at the end of the demo, in other words than the history, so the
 * verify queue shows suggestions beyond the duplicate road reports: a question its citizen filed as a pengaduan (the
 * suggested classification corrects it) and a suggestion.
 */
export const DEMO_WAITING_TEXTS: DemoText[] = [
  [
    'bapenda-kaltim',
    'EKONOMI DAN KEUANGAN',
    '64.72.01',
    'Syarat balik nama kendaraan dari luar provinsi',
    'Bagaimana cara balik nama kendaraan bermotor bekas yang dibeli dari luar provinsi? Mohon informasi syarat dan biaya yang harus dibayar di samsat.',
    'permintaan_informasi',
  ],
  [
    'dinkes-kaltim',
    'KESEHATAN',
    '64.71.01',
    'Usul posyandu lansia dibuka hari Sabtu',
    'Kami mengusulkan agar posyandu lansia juga dibuka pada hari Sabtu, supaya anak yang bekerja bisa mengantar orang tuanya memeriksa kesehatan.',
    'aspirasi',
  ],
];

/**
 * Synthetic reports that Dinas PUPR passed down to its units in the demo's history: [unit id, region code, title,
 * body]. Bidang Bina Marga takes roads and bridges, Bidang Cipta Karya drainage, drinking water and sanitation.
 */
export const DEMO_UNIT_TEXTS: Array<[string, string, string, string]> = [
  [
    'pupr-kaltim-unit',
    '64.72.01',
    'Jembatan penghubung desa retak',
    'Lantai jembatan penghubung dua desa retak dan besi pegangannya hilang, truk bermuatan masih melintas setiap hari.',
  ],
  [
    'pupr-kaltim-cipta-karya',
    '64.71.01',
    'Air PDAM tidak mengalir tiga hari',
    'Air bersih di perumahan kami tidak mengalir selama tiga hari, warga harus membeli air galon untuk memasak.',
  ],
  [
    'pupr-kaltim-unit',
    '64.02.01',
    'Jalan provinsi longsor di tikungan',
    'Badan jalan provinsi di tikungan tanjakan longsor separuh lajur, kendaraan harus bergantian melintas.',
  ],
  [
    'pupr-kaltim-cipta-karya',
    '64.72.02',
    'Saluran air permukiman meluap',
    'Saluran air di permukiman padat tersumbat lumpur, setiap hujan air meluap masuk ke rumah warga.',
  ],
  [
    'pupr-kaltim-unit',
    '64.71.02',
    'Aspal jalan bergelombang setelah diperbaiki',
    'Aspal jalan yang baru diperbaiki bulan lalu sudah bergelombang dan berlubang lagi di beberapa titik.',
  ],
  [
    'pupr-kaltim-cipta-karya',
    '64.02.01',
    'Instalasi air limbah komunal rusak',
    'Instalasi pengolahan air limbah komunal di kampung kami rusak, limbah rumah tangga mengalir ke parit.',
  ],
  [
    'pupr-kaltim-unit',
    '64.72.01',
    'Bahu jalan ambles dekat jembatan',
    'Bahu jalan di dekat oprit jembatan ambles sedalam setengah meter, berbahaya bagi pengendara motor.',
  ],
  [
    'pupr-kaltim-cipta-karya',
    '64.71.01',
    'Pipa air bersih bocor di tepi jalan',
    'Pipa distribusi air bersih bocor di tepi jalan, air terbuang dan tekanan air di rumah warga lemah.',
  ],
  [
    'pupr-kaltim-unit',
    '64.02.01',
    'Jalan poros rusak berat',
    'Jalan poros antar kecamatan rusak berat dan berlumpur, ambulans kesulitan lewat saat hujan.',
  ],
  [
    'pupr-kaltim-cipta-karya',
    '64.72.02',
    'Drainase kota tersumbat sampah',
    'Drainase di tepi jalan kota tersumbat sampah plastik sehingga genangan air tidak surut berhari-hari.',
  ],
  [
    'pupr-kaltim-unit',
    '64.71.02',
    'Jembatan gantung putus talinya',
    'Salah satu tali jembatan gantung di kampung kami putus, anak sekolah tetap menyeberang setiap pagi.',
  ],
  [
    'pupr-kaltim-cipta-karya',
    '64.72.01',
    'Sumur bor air bersih tidak berfungsi',
    'Sumur bor air bersih bantuan pemerintah tidak berfungsi sejak pompanya rusak, warga kembali memakai air sungai.',
  ],
  [
    'pupr-kaltim-unit',
    '64.02.01',
    'Lubang besar di jalan menuju pelabuhan',
    'Ada lubang besar di tengah jalan menuju pelabuhan yang tertutup genangan saat hujan, sudah dua mobil patah as.',
  ],
  [
    'pupr-kaltim-cipta-karya',
    '64.71.02',
    'Septic tank komunal meluap',
    'Tangki septik komunal di rumah susun meluap dan baunya menyebar ke seluruh blok, mohon segera disedot.',
  ],
];
