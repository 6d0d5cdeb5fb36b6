"""Demo data drawn from the field reports in shared/seeds (Sumenep, Purbalingga, Tamanan, miniatures).

Names of inmates here are invented. The miniature-aircraft facility is not named in its report, so
the demo calls it "Lapas Kelas IIA Dirgantara".
"""

from typing import Any, TypeAlias

# (sku, variant name, price in rupiah, weight in grams)
VariantSpec: TypeAlias = tuple[str, str, int, int]
# (name, category slug, description, materials, technique, variants, extra product fields)
ProductSpec: TypeAlias = tuple[str, str, str, str, str, list[VariantSpec], dict[str, Any]]
# (name, category slugs, public story, members count, products)
GroupSpec: TypeAlias = tuple[str, list[str], str, int, list[ProductSpec]]

DEMO_PASSWORD = "binakarya-demo"

CATEGORIES: list[tuple[str, str, str, str]] = [
    # slug, name, English name, default HS code
    ("batik-tulis", "Batik Tulis", "Hand-drawn batik", "5208"),
    ("batik-cap", "Batik Cap", "Stamped batik", "5208"),
    ("pecut", "Pecut", "Whips", "6602.00"),
    ("rajutan", "Rajutan", "Knitted toys", "9503"),
    ("layang-layang", "Layang-layang", "Kites", "9503"),
    ("anyaman-bambu", "Anyaman Bambu", "Bamboo crafts", "4602"),
    ("miniatur", "Miniatur Pesawat", "Miniature aircraft", "4420"),
]

ORGANIZATIONS: list[dict[str, str]] = [
    {
        "slug": "rutan-sumenep",
        "code": "SMP",
        "kind": "FACILITY",
        "name": "Rutan Kelas IIB Sumenep",
        "facility_type": "RUTAN",
        "facility_class": "IIB",
        "regency": "Sumenep",
        "province": "Jawa Timur",
        "phone": "6281231230001",
        "description": "Rumah tahanan negara dengan empat kelompok kreatif warga binaan: batik tulis, pecut, "
        "rajutan dan layang-layang.",
    },
    {
        "slug": "rutan-purbalingga",
        "code": "PBG",
        "kind": "FACILITY",
        "name": "Rutan Kelas IIB Purbalingga",
        "facility_type": "RUTAN",
        "facility_class": "IIB",
        "regency": "Purbalingga",
        "province": "Jawa Tengah",
        "phone": "6281231230002",
        "description": "Program pelatihan kemandirian: warga binaan mengolah bambu menjadi tempat sampah, "
        "pengki dan sapu glagah.",
    },
    {
        "slug": "lapas-dirgantara",
        "code": "DRG",
        "kind": "FACILITY",
        "name": "Lapas Kelas IIA Dirgantara",
        "facility_type": "LAPAS",
        "facility_class": "IIA",
        "regency": "Kota Tangerang",
        "province": "Banten",
        "phone": "6281231230003",
        "description": "Bengkel miniatur pesawat terbang untuk cendera mata dan pajangan maskapai.",
    },
    {
        "slug": "disperindag-sumenep",
        "kind": "AGENCY",
        "name": "Disperindag Kabupaten Sumenep",
        "regency": "Sumenep",
        "province": "Jawa Timur",
    },
    {
        "slug": "dlh-pkp-purbalingga",
        "kind": "AGENCY",
        "name": "DLH PKP Kabupaten Purbalingga",
        "regency": "Purbalingga",
        "province": "Jawa Tengah",
    },
    {
        "slug": "diskoperindag-bondowoso",
        "kind": "AGENCY",
        "name": "Diskoperindag Kabupaten Bondowoso",
        "regency": "Bondowoso",
        "province": "Jawa Timur",
    },
    {
        "slug": "polres-sumenep",
        "kind": "AGENCY",
        "name": "Polres Sumenep",
        "regency": "Sumenep",
        "province": "Jawa Timur",
    },
    {
        "slug": "kemendag-pen",
        "kind": "AGENCY",
        "name": "Kementerian Perdagangan, Ditjen PEN",
        "regency": "Jakarta Pusat",
        "province": "DKI Jakarta",
    },
    {
        "slug": "kanwil-jatim",
        "kind": "AGENCY",
        "name": "Kanwil Ditjenpas Jawa Timur",
        "regency": "Surabaya",
        "province": "Jawa Timur",
    },
    {
        "slug": "ditjenpas",
        "kind": "AGENCY",
        "name": "Direktorat Jenderal Pemasyarakatan",
        "regency": "Jakarta Selatan",
        "province": "DKI Jakarta",
    },
    {
        "slug": "gerai-disperindag-sumenep",
        "kind": "OUTLET",
        "outlet_type": "GALLERY",
        "name": "Gerai Produk Unggulan Disperindag Sumenep",
        "regency": "Sumenep",
        "province": "Jawa Timur",
        "parent": "disperindag-sumenep",
        "phone": "6281231230010",
    },
    {
        "slug": "hotel-keraton-sumenep",
        "kind": "OUTLET",
        "outlet_type": "HOTEL",
        "name": "Hotel Keraton Sumenep",
        "regency": "Sumenep",
        "province": "Jawa Timur",
    },
    {
        "slug": "wisata-pantai-lombang",
        "kind": "OUTLET",
        "outlet_type": "TOURIST_SITE",
        "name": "Kios Wisata Pantai Lombang",
        "regency": "Sumenep",
        "province": "Jawa Timur",
    },
    {
        "slug": "pasar-segamas",
        "kind": "OUTLET",
        "outlet_type": "MARKET",
        "name": "Pasar Segamas Purbalingga",
        "regency": "Purbalingga",
        "province": "Jawa Tengah",
    },
    {
        "slug": "owabong",
        "kind": "OUTLET",
        "outlet_type": "TOURIST_SITE",
        "name": "Perumda Owabong",
        "regency": "Purbalingga",
        "province": "Jawa Tengah",
    },
    # The Tamanan batik cluster, Bondowoso: UMKM producers under Diskoperindag's guidance.
    {
        "slug": "batik-sekar-kopi",
        "code": "BSK",
        "kind": "PRODUCER",
        "name": "Batik Sekar Kopi Tamanan",
        "regency": "Bondowoso",
        "province": "Jawa Timur",
        "phone": "6285236110001",
        "parent": "diskoperindag-bondowoso",
        "description": "Perajin batik tulis motif daun dan bunga kopi khas Bondowoso di Kecamatan Tamanan.",
    },
    {
        "slug": "batik-raung-tamanan",
        "code": "BRT",
        "kind": "PRODUCER",
        "name": "Batik Raung Tamanan",
        "regency": "Bondowoso",
        "province": "Jawa Timur",
        "phone": "6285236110002",
        "parent": "diskoperindag-bondowoso",
        "description": "Usaha batik cap dan kombinasi dengan motif Gunung Raung dan singo ulung.",
    },
    {
        "slug": "batik-kluster-tamanan",
        "code": "SBKT",
        "kind": "PRODUCER",
        "name": "Sanggar Batik Kluster Tamanan",
        "regency": "Bondowoso",
        "province": "Jawa Timur",
        "phone": "6285236110003",
        "parent": "diskoperindag-bondowoso",
        "description": "Sanggar yang juga menerima kunjungan wisata belajar membatik.",
    },
]

# facility slug -> groups: (name, category slugs, public story, members count, products)
# product: (name, category, description, materials, technique, variants [(sku, variant name, price, weight g)],
#           extra fields)
GROUPS: dict[str, list[GroupSpec]] = {
    "rutan-sumenep": [
        (
            "Kelompok Batik Tulis",
            ["batik-tulis"],
            "Kelompok batik tulis Rutan Sumenep menggambar motif khas Madura dengan canting. Produksinya "
            "masih terbatas karena modal, sehingga setiap kain dibuat dengan teliti.",
            8,
            [
                (
                    "Kain Batik Tulis Motif Sekar Jagad Madura",
                    "batik-tulis",
                    "Kain batik tulis 2 x 1,15 m, warna sogan dan merah khas Madura.",
                    "katun primisima, malam, pewarna sintetis",
                    "batik tulis canting",
                    [("SMP-BTK-001", "", 450_000, 350)],
                    {"certifications": "Batikmark"},
                ),
                (
                    "Kain Batik Tulis Motif Kerapan Sapi",
                    "batik-tulis",
                    "Motif kerapan sapi, ikon Madura, pada kain katun halus.",
                    "katun primisima, malam",
                    "batik tulis canting",
                    [("SMP-BTK-002", "", 525_000, 350)],
                    {},
                ),
                (
                    "Selendang Batik Tulis Pewarna Alam",
                    "batik-tulis",
                    "Selendang 2 m dengan pewarna alam dari kulit mahoni dan indigo.",
                    "sutra, malam, pewarna alam",
                    "batik tulis, pewarna alam",
                    [("SMP-BTK-003", "", 375_000, 150)],
                    {"made_to_order": True, "lead_time_days": 21},
                ),
            ],
        ),
        (
            "Kelompok Pecut",
            ["pecut"],
            "Pecut khas Madura dianyam dari kulit dan benang, dipakai dalam kerapan sapi dan sebagai hiasan.",
            7,
            [
                (
                    "Pecut Kerapan Sapi Kulit 1,5 m",
                    "pecut",
                    "Pecut kulit sapi dengan gagang rotan berbalut benang.",
                    "kulit sapi, rotan, benang nilon",
                    "anyam",
                    [("SMP-PCT-001", "1,5 m", 85_000, 300), ("SMP-PCT-002", "2 m", 110_000, 380)],
                    {"hs_code": "6602.00"},
                ),
                (
                    "Pecut Hias Mini Suvenir",
                    "pecut",
                    "Pecut kecil untuk oleh-oleh dan gantungan.",
                    "benang, rotan",
                    "anyam",
                    [("SMP-PCT-003", "", 25_000, 60)],
                    {"hs_code": "6602.00", "moq": 10},
                ),
            ],
        ),
        (
            "Kelompok Rajutan",
            ["rajutan"],
            "Boneka rajut berbentuk hewan peliharaan, dijual di toko, hotel dan tempat wisata Sumenep.",
            9,
            [
                (
                    "Boneka Rajut Kucing",
                    "rajutan",
                    "Boneka kucing rajut 20 cm, lembut dan aman untuk anak.",
                    "benang katun susu, dakron",
                    "rajut crochet",
                    [("SMP-RJT-001", "", 65_000, 120)],
                    {"hs_code": "9503"},
                ),
                (
                    "Boneka Rajut Kelinci",
                    "rajutan",
                    "Kelinci rajut 25 cm dengan telinga panjang.",
                    "benang katun susu, dakron",
                    "rajut crochet",
                    [("SMP-RJT-002", "", 70_000, 130)],
                    {"hs_code": "9503"},
                ),
                (
                    "Gantungan Kunci Rajut Hewan",
                    "rajutan",
                    "Gantungan kunci rajut berbagai hewan.",
                    "benang katun",
                    "rajut crochet",
                    [("SMP-RJT-003", "", 15_000, 20)],
                    {"hs_code": "9503", "moq": 12},
                ),
            ],
        ),
        (
            "Kelompok Layang-layang",
            ["layang-layang"],
            "Layang-layang hias dan aduan dari bambu dan kertas minyak, dipasarkan di objek wisata pantai.",
            6,
            [
                (
                    "Layang-layang Hias Naga",
                    "layang-layang",
                    "Layang-layang naga 3 m dengan ekor panjang.",
                    "bambu, kain parasut",
                    "rakit tangan",
                    [("SMP-LYG-001", "", 150_000, 400)],
                    {"hs_code": "9503"},
                ),
                (
                    "Layang-layang Aduan Kertas",
                    "layang-layang",
                    "Layang-layang aduan ringan khas Madura.",
                    "bambu, kertas minyak",
                    "rakit tangan",
                    [("SMP-LYG-002", "", 20_000, 50)],
                    {"hs_code": "9503"},
                ),
            ],
        ),
    ],
    "rutan-purbalingga": [
        (
            "Bengkel Bambu Rutan Purbalingga",
            ["anyaman-bambu"],
            "Program pelatihan kemandirian: warga binaan mengolah bambu menjadi perlengkapan kebersihan "
            "yang dipakai di taman-taman kota Purbalingga.",
            10,
            [
                (
                    "Tempat Sampah Bambu Anyam 40 L",
                    "anyaman-bambu",
                    "Tempat sampah bambu anyam untuk taman dan ruang publik, dengan rangka kuat.",
                    "bambu apus, rotan",
                    "anyam",
                    [("PBG-BMB-001", "", 175_000, 2500)],
                    {"moq": 1},
                ),
                (
                    "Pengki Bambu",
                    "anyaman-bambu",
                    "Pengki bambu anyam dengan gagang kayu.",
                    "bambu, kayu",
                    "anyam",
                    [("PBG-BMB-002", "", 25_000, 400)],
                    {},
                ),
                (
                    "Sapu Glagah",
                    "anyaman-bambu",
                    "Sapu glagah (sapu lantai) dari bunga rumput glagah.",
                    "glagah, bambu",
                    "ikat",
                    [("PBG-BMB-003", "", 30_000, 450)],
                    {},
                ),
            ],
        ),
    ],
    "lapas-dirgantara": [
        (
            "Kelompok Miniatur Pesawat",
            ["miniatur"],
            "Miniatur pesawat dari kayu dan resin, dipasarkan hingga mancanegara sebagai cendera mata dan "
            "pajangan maskapai.",
            6,
            [
                (
                    "Miniatur Pesawat Kayu 20 cm",
                    "miniatur",
                    "Miniatur pesawat kayu mahoni untuk meja kerja.",
                    "kayu mahoni, cat",
                    "ukir dan cat tangan",
                    [("DRG-MIN-001", "", 100_000, 250)],
                    {},
                ),
                (
                    "Miniatur Pesawat Boeing 737 Skala 1:100",
                    "miniatur",
                    "Replika detail dengan livery pilihan.",
                    "kayu, resin, cat",
                    "ukir dan cat tangan",
                    [("DRG-MIN-002", "", 1_250_000, 900)],
                    {},
                ),
                (
                    "Miniatur Pesawat Airbus A330 Skala 1:50 untuk Pajangan Maskapai",
                    "miniatur",
                    "Pajangan kantor maskapai, dengan dudukan dan plakat.",
                    "resin, kayu, cat",
                    "cetak resin dan cat tangan",
                    [("DRG-MIN-003", "", 12_500_000, 6000), ("DRG-MIN-004", "dengan kotak kaca", 15_000_000, 9000)],
                    {"made_to_order": True, "lead_time_days": 45},
                ),
                (
                    "Miniatur Pesawat Skala 1:20 Pesanan Khusus",
                    "miniatur",
                    "Model besar untuk lobi dan pameran, dibuat sesuai pesanan.",
                    "resin, aluminium, cat",
                    "cetak resin dan cat tangan",
                    [("DRG-MIN-005", "", 45_000_000, 25000)],
                    {"made_to_order": True, "lead_time_days": 90},
                ),
            ],
        ),
    ],
}

# UMKM producer slug -> (artisans, products)
UMKM: dict[str, tuple[list[str], list[ProductSpec]]] = {
    "batik-sekar-kopi": (
        ["Siti Aminah", "Nur Hasanah"],
        [
            (
                "Kain Batik Tulis Motif Daun Kopi",
                "batik-tulis",
                "Motif daun dan buah kopi khas Bondowoso.",
                "katun primisima, malam, pewarna alam",
                "batik tulis canting",
                [("TMN-SKP-001", "", 350_000, 350)],
                {"certifications": "Batikmark"},
            ),
            (
                "Kemeja Batik Tulis Kopi Pria",
                "batik-tulis",
                "Kemeja lengan pendek, batik tulis motif kopi.",
                "katun",
                "batik tulis",
                [("TMN-SKP-002", "M", 285_000, 250), ("TMN-SKP-003", "L", 295_000, 260)],
                {},
            ),
        ],
    ),
    "batik-raung-tamanan": (
        ["Sulastri", "Rohman"],
        [
            (
                "Kain Batik Cap Motif Singo Ulung",
                "batik-cap",
                "Batik cap motif singo ulung, ikon Bondowoso.",
                "katun",
                "batik cap",
                [("TMN-RNG-001", "", 150_000, 330)],
                {},
            ),
            (
                "Kain Batik Kombinasi Gunung Raung",
                "batik-cap",
                "Kombinasi cap dan tulis, motif Gunung Raung.",
                "katun",
                "batik cap dan tulis",
                [("TMN-RNG-002", "", 225_000, 330)],
                {},
            ),
        ],
    ),
    "batik-kluster-tamanan": (
        ["Muawanah", "Hartini", "Yuliani"],
        [
            (
                "Kain Batik Tulis Tamanan Sogan",
                "batik-tulis",
                "Batik tulis warna sogan klasik.",
                "katun primisima, malam, pewarna alam",
                "batik tulis canting",
                [("TMN-KLS-001", "", 400_000, 350)],
                {"certifications": "Batikmark"},
            ),
            (
                "Paket Belajar Membatik untuk Rombongan",
                "batik-tulis",
                "Kegiatan wisata belajar membatik, termasuk kain dan canting, untuk minimal 10 orang.",
                "kain mori, malam, canting",
                "batik tulis",
                [("TMN-KLS-002", "per orang", 75_000, 0)],
                {"made_to_order": True, "lead_time_days": 3, "moq": 10},
            ),
        ],
    ),
}

# Demo users: username -> (organization slug, role, display name)
USERS: list[tuple[str, str, str, str]] = [
    ("admin.sumenep", "rutan-sumenep", "FACILITY_ADMIN", "Admin Rutan Sumenep"),
    ("produksi.sumenep", "rutan-sumenep", "PRODUCTION_OFFICER", "Petugas Produksi Sumenep"),
    ("keuangan.sumenep", "rutan-sumenep", "FINANCE_OFFICER", "Petugas Keuangan Sumenep"),
    ("instruktur.sumenep", "rutan-sumenep", "INSTRUCTOR", "Instruktur Batik Sumenep"),
    ("auditor.sumenep", "rutan-sumenep", "AUDITOR", "Auditor Rutan Sumenep"),
    ("admin.purbalingga", "rutan-purbalingga", "FACILITY_ADMIN", "Admin Rutan Purbalingga"),
    ("admin.dirgantara", "lapas-dirgantara", "FACILITY_ADMIN", "Admin Lapas Dirgantara"),
    ("mitra.gerai", "gerai-disperindag-sumenep", "OUTLET_PARTNER", "Mitra Gerai Disperindag"),
    ("mitra.hotel", "hotel-keraton-sumenep", "OUTLET_PARTNER", "Mitra Hotel Keraton"),
    ("operator.tamanan", "batik-sekar-kopi", "PRODUCER_OPERATOR", "Operator Batik Sekar Kopi"),
    ("kanwil.jatim", "kanwil-jatim", "REGIONAL_VIEWER", "Pemantau Kanwil Jawa Timur"),
    ("ditjenpas", "ditjenpas", "NATIONAL_VIEWER", "Pemantau Ditjenpas"),
    ("diskoperindag.bondowoso", "diskoperindag-bondowoso", "AGENCY_VIEWER", "Pemantau Diskoperindag Bondowoso"),
]

FIRST_NAMES: list[str] = [
    "Ahmad",
    "Budi",
    "Slamet",
    "Hendra",
    "Agus",
    "Rudi",
    "Joko",
    "Fajar",
    "Imam",
    "Yusuf",
    "Dedi",
    "Eko",
    "Hasan",
    "Rizal",
    "Samsul",
    "Taufik",
    "Wahyu",
    "Zainal",
    "Arif",
    "Bambang",
]
LAST_NAMES: list[str] = [
    "Santoso",
    "Hidayat",
    "Wijaya",
    "Prasetyo",
    "Saputra",
    "Kurniawan",
    "Setiawan",
    "Nugroho",
    "Rahman",
    "Syahputra",
    "Gunawan",
    "Firmansyah",
]

# Where each producer consigns stock (outlet organization slugs).
CONSIGNMENTS: dict[str, list[str]] = {
    "rutan-sumenep": ["gerai-disperindag-sumenep", "hotel-keraton-sumenep", "wisata-pantai-lombang"],
    "rutan-purbalingga": ["pasar-segamas", "owabong"],
    "batik-sekar-kopi": [],
}

# Lot sizes where the field reports give them: DLH PKP Purbalingga bought 36 trash bins and 60 dustpans.
LOT_SIZES: dict[str, int] = {"PBG-BMB-001": 45, "PBG-BMB-002": 70}

# Split rules reproducing splits that facilities report (percent of the basis; the rest is PNBP or
# the UMKM's own income). Legal references are the kind of instrument each would cite.
SPLIT_RULES: dict[str, dict[str, Any]] = {
    "rutan-sumenep": {
        "basis": "MARGIN",
        "premi_mode": "PERCENT",
        "premi_bp": 5000,
        "capital_bp": 3500,
        "recover_material_cost": True,
        "legal_reference": "Keputusan Kepala Rutan Kelas IIB Sumenep tentang Pembagian Keuntungan Hasil Kegiatan "
        "Kerja: 50% premi, 35% modal kerja, 15% PNBP dari keuntungan (PP 32/1999 Pasal 29).",
    },
    "rutan-purbalingga": {
        "basis": "REVENUE",
        "premi_mode": "PERCENT",
        "premi_bp": 1500,
        "capital_bp": 6000,
        "recover_material_cost": False,
        "legal_reference": "Keputusan Kepala Rutan Kelas IIB Purbalingga: 15% premi, 60% usaha, 25% PNBP dari "
        "hasil penjualan.",
    },
    "lapas-dirgantara": {
        "basis": "REVENUE",
        "premi_mode": "PERCENT",
        "premi_bp": 3500,
        "capital_bp": 1500,
        "recover_material_cost": False,
        "legal_reference": "Keputusan Kepala Lapas: 35% premi, 15% program pembinaan, 50% PNBP dari penjualan.",
    },
    "batik-sekar-kopi": {
        "basis": "REVENUE",
        "premi_mode": "PER_UNIT",
        "premi_per_unit_idr": 25_000,
        "capital_bp": 1000,
        "recover_material_cost": True,
        "legal_reference": "Kesepakatan upah borongan perajin Batik Sekar Kopi: Rp25.000 per lembar.",
    },
    "batik-raung-tamanan": {
        "basis": "REVENUE",
        "premi_mode": "PER_UNIT",
        "premi_per_unit_idr": 15_000,
        "capital_bp": 1000,
        "recover_material_cost": True,
        "legal_reference": "Kesepakatan upah borongan perajin Batik Raung: Rp15.000 per lembar.",
    },
    "batik-kluster-tamanan": {
        "basis": "MARGIN",
        "premi_mode": "PERCENT",
        "premi_bp": 4000,
        "capital_bp": 2000,
        "recover_material_cost": True,
        "legal_reference": "Aturan sanggar: 40% keuntungan untuk perajin, 20% modal.",
    },
}
# The Sumenep pecut group consigns to the hotel; batik tulis adds its own override (premi per piece).
CATEGORY_RULES: dict[tuple[str, str], dict[str, Any]] = {
    ("rutan-sumenep", "batik-tulis"): {
        "basis": "MARGIN",
        "premi_mode": "PER_UNIT",
        "premi_per_unit_idr": 60_000,
        "capital_bp": 3500,
        "recover_material_cost": True,
        "legal_reference": "Addendum: premi batik tulis Rp60.000 per lembar terjual.",
    },
}

# Sales from the field reports and everyday channels: (facility, location key, channel, [(sku, qty)], buyer slug).
SALES: list[tuple[str, str, str, list[tuple[str, int]], str | None]] = [
    ("rutan-purbalingga", "store", "INSTITUTIONAL", [("PBG-BMB-001", 36), ("PBG-BMB-002", 60)], "dlh-pkp-purbalingga"),
    ("rutan-sumenep", "gerai-disperindag-sumenep", "OUTLET", [("SMP-PCT-001", 1), ("SMP-RJT-001", 1)], None),
    ("rutan-sumenep", "hotel-keraton-sumenep", "OUTLET", [("SMP-RJT-002", 1)], None),
    ("rutan-sumenep", "showroom", "POS", [("SMP-BTK-001", 1), ("SMP-LYG-002", 1)], None),
    ("rutan-sumenep", "showroom", "WHATSAPP", [("SMP-BTK-002", 1)], None),
    ("lapas-dirgantara", "showroom", "MARKETPLACE", [("DRG-MIN-001", 1)], None),
    ("batik-sekar-kopi", "store", "DIRECT", [("TMN-SKP-001", 2)], None),
]
OUTLET_COMMISSION_BP = 1500  # 15%, within the 10-25% the design reports

# Consignment agreements (issue 12), made through consignment.services at the OUTLET locations above:
# (seller, outlet, commission in basis points or None for per product, months since the start, days to its end).
# The gerai keeps 15 %, settles monthly and pays within 14 days; the hotel keeps an amount per product (20 % of
# the catalog price, in whole thousands) and its agreement ends within 30 days, so the overview shows it.
CONSIGNMENT_AGREEMENTS: list[tuple[str, str, int | None, int, int | None]] = [
    ("rutan-sumenep", "gerai-disperindag-sumenep", 1500, 3, None),
    ("rutan-sumenep", "hotel-keraton-sumenep", None, 5, 20),
]
