"""Generate a large, realistic catalog for benchmarks: facilities, UMKM producers, products.

    python manage.py generate_dataset --products 50000 [--seed N] [--batch 2000] [--reset]

Every generated organization, group and producer slug starts with ``gen-``, every product slug
too, and every SKU with ``GEN-``, so nothing collides with the demo data and ``--reset`` can find
and delete exactly what an earlier run made.

Rows are written with ``bulk_create`` in batches. The denormalised product columns (price range,
stock flag, search document, cover) come from ``binakarya.catalog.derived.product_derived``, the
function ``binakarya.catalog.services.product_refresh`` uses too, given the variants and the cover in
memory instead of reading them back; a sample is checked against ``product_refresh`` at the end
(``--verify``). Each category gets one placeholder photo, processed once through ``process_photo``
and stored once; every product has one ``Photo`` row pointing at its category's files, so
``product_refresh`` finds the same ``cover_thumbnail``.
``--photos-only`` just (re)writes those files, e.g. into a fresh MEDIA_ROOT.

On PostgreSQL the tables are vacuumed after ``--reset`` (so new rows reuse the space) and
``VACUUM (ANALYZE)``-ed at the end, leaving statistics and visibility map as autovacuum would.
"""

import itertools
import random
import time
from dataclasses import dataclass
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection, transaction
from django.db.models import ProtectedError, QuerySet, RestrictedError
from django.utils import translation
from django.utils.text import slugify
from tqdm import tqdm

from binakarya.catalog.derived import DERIVED_FIELDS, product_derived
from binakarya.catalog.images import process_photo
from binakarya.catalog.models import Category, Photo, Producer, Product, Variant
from binakarya.catalog.placeholders import placeholder_jpeg
from binakarya.catalog.services import product_refresh
from binakarya.catalog.signals import catalog_changed_send
from binakarya.core.storage import storage_description
from binakarya.makers.models import Group
from binakarya.organizations.models import Organization

PREFIX = "gen-"
SKU_PREFIX = "GEN-"

# slug, name, English name, default HS code: the same rows as the demo loader's.
CATEGORIES = [
    ("batik-tulis", "Batik Tulis", "Hand-drawn batik", "5208"),
    ("batik-cap", "Batik Cap", "Stamped batik", "5208"),
    ("pecut", "Pecut", "Whips", "6602.00"),
    ("rajutan", "Rajutan", "Knitted toys", "9503"),
    ("layang-layang", "Layang-layang", "Kites", "9503"),
    ("anyaman-bambu", "Anyaman Bambu", "Bamboo crafts", "4602"),
    ("miniatur", "Miniatur Pesawat", "Miniature aircraft", "4420"),
]
CATEGORY_SLUGS = [slug for slug, *_rest in CATEGORIES]
SKU_CODES = {
    "batik-tulis": "BTL",
    "batik-cap": "BTC",
    "pecut": "PCT",
    "rajutan": "RJT",
    "layang-layang": "LYG",
    "anyaman-bambu": "AYM",
    "miniatur": "MNT",
}
# Relative share of products per category.
CATEGORY_WEIGHTS = {
    "batik-tulis": 22,
    "batik-cap": 18,
    "pecut": 10,
    "rajutan": 18,
    "layang-layang": 10,
    "anyaman-bambu": 16,
    "miniatur": 6,
}

# (regency or city, province, facility type, class)
FACILITIES = [
    ("Sumenep", "Jawa Timur", "RUTAN", "IIB"),
    ("Pamekasan", "Jawa Timur", "RUTAN", "IIB"),
    ("Bondowoso", "Jawa Timur", "LAPAS", "IIB"),
    ("Surabaya", "Jawa Timur", "LAPAS", "I"),
    ("Malang", "Jawa Timur", "LAPAS", "I"),
    ("Banyuwangi", "Jawa Timur", "LAPAS", "IIA"),
    ("Blitar", "Jawa Timur", "LPKA", "I"),
    ("Madiun", "Jawa Timur", "LAPAS", "I"),
    ("Jember", "Jawa Timur", "LAPAS", "IIA"),
    ("Ponorogo", "Jawa Timur", "LAPAS", "IIB"),
    ("Tulungagung", "Jawa Timur", "RUTAN", "IIB"),
    ("Pekalongan", "Jawa Tengah", "LAPAS", "IIA"),
    ("Surakarta", "Jawa Tengah", "RUTAN", "IA"),
    ("Semarang", "Jawa Tengah", "LAPAS", "I"),
    ("Cilacap", "Jawa Tengah", "LAPAS", "IIB"),
    ("Purbalingga", "Jawa Tengah", "RUTAN", "IIB"),
    ("Kudus", "Jawa Tengah", "LAPAS", "IIB"),
    ("Jepara", "Jawa Tengah", "RUTAN", "IIB"),
    ("Magelang", "Jawa Tengah", "LAPAS", "IIA"),
    ("Purworejo", "Jawa Tengah", "LPKA", "I"),
    ("Yogyakarta", "DI Yogyakarta", "LAPAS", "IIA"),
    ("Bantul", "DI Yogyakarta", "RUTAN", "IIB"),
    ("Sleman", "DI Yogyakarta", "LAPAS", "IIB"),
    ("Gunungkidul", "DI Yogyakarta", "RUTAN", "IIB"),
    ("Bandung", "Jawa Barat", "LAPAS", "I"),
    ("Cirebon", "Jawa Barat", "LAPAS", "I"),
    ("Tasikmalaya", "Jawa Barat", "LAPAS", "IIB"),
    ("Garut", "Jawa Barat", "LAPAS", "IIB"),
    ("Bogor", "Jawa Barat", "LAPAS", "IIA"),
    ("Tangerang", "Banten", "LPKA", "I"),
    ("Serang", "Banten", "LAPAS", "IIA"),
    ("Badung", "Bali", "LAPAS", "IIA"),
    ("Gianyar", "Bali", "RUTAN", "IIB"),
    ("Karangasem", "Bali", "LAPAS", "IIB"),
    ("Mataram", "Nusa Tenggara Barat", "LAPAS", "IIA"),
    ("Makassar", "Sulawesi Selatan", "LAPAS", "I"),
    ("Medan", "Sumatera Utara", "LAPAS", "I"),
    ("Padang", "Sumatera Barat", "LAPAS", "IIA"),
    ("Banjarmasin", "Kalimantan Selatan", "LAPAS", "IIA"),
    ("Samarinda", "Kalimantan Timur", "LAPAS", "IIA"),
]
UMKM_REGIONS = [(regency, province) for regency, province, _t, _c in FACILITIES] + [
    ("Sampang", "Jawa Timur"),
    ("Bangkalan", "Jawa Timur"),
    ("Tuban", "Jawa Timur"),
    ("Sidoarjo", "Jawa Timur"),
    ("Lasem", "Jawa Tengah"),
    ("Banyumas", "Jawa Tengah"),
    ("Klaten", "Jawa Tengah"),
    ("Sragen", "Jawa Tengah"),
    ("Kulon Progo", "DI Yogyakarta"),
    ("Indramayu", "Jawa Barat"),
    ("Sumedang", "Jawa Barat"),
    ("Lombok Tengah", "Nusa Tenggara Barat"),
    ("Sidenreng Rappang", "Sulawesi Selatan"),
    ("Bukittinggi", "Sumatera Barat"),
]
# Group and producer name stems per category.
GROUP_LABELS = {
    "batik-tulis": ["Sanggar Batik Tulis", "Kelompok Batik Tulis"],
    "batik-cap": ["Kelompok Batik Cap", "Bengkel Batik Cap"],
    "pecut": ["Kelompok Pecut", "Bengkel Pecut"],
    "rajutan": ["Kelompok Rajut", "Sanggar Rajut"],
    "layang-layang": ["Kelompok Layang-layang", "Sanggar Layang-layang"],
    "anyaman-bambu": ["Kelompok Anyaman Bambu", "Bengkel Bambu"],
    "miniatur": ["Bengkel Miniatur Pesawat", "Kelompok Miniatur Dirgantara"],
}
UMKM_LABELS = {
    "batik-tulis": ["Batik", "Batik Tulis", "Rumah Batik"],
    "batik-cap": ["Batik", "Batik Cap", "Griya Batik"],
    "pecut": ["Pecut", "Kerajinan Pecut"],
    "rajutan": ["Rajut", "Rajutan", "Boneka Rajut"],
    "layang-layang": ["Layangan", "Layang-layang"],
    "anyaman-bambu": ["Anyaman", "Bambu", "Kerajinan Bambu"],
    "miniatur": ["Miniatur", "Replika Pesawat"],
}
# fmt: off
NAME_WORDS = [
    "Sekar Arum", "Tunas Harapan", "Sari Kencana", "Mekar Jaya", "Lestari", "Mandiri", "Barokah",
    "Sejahtera", "Asri", "Citra Kartini", "Cahaya", "Bunda", "Nusantara", "Wangi", "Sumber Rejeki",
    "Karya Abadi", "Puspa", "Rinjani", "Merapi", "Sido Makmur", "Tanjung", "Pelangi", "Melati",
    "Kenanga", "Sri Rejeki", "Mulia", "Berkah", "Anugerah", "Harapan Baru", "Srikandi", "Garuda",
    "Rajawali", "Semeru", "Bengawan", "Segara", "Kusuma", "Tamanan", "Dewi Sri", "Purnama", "Fajar",
]

# Product vocabulary.
MOTIFS_TULIS = [
    "Kawung", "Parang Rusak", "Truntum", "Sekar Jagad", "Mega Mendung", "Sidomukti", "Sidoluhur",
    "Tambal", "Lereng", "Gentongan", "Tanjung Bumi", "Kopi Pecah", "Daun Tembakau", "Semen Rama",
    "Wahyu Tumurun", "Sogan Keraton", "Buketan", "Lasem Tiga Negeri", "Gringsing", "Pring Sedapur",
]
MOTIFS_CAP = [
    "Kawung", "Parang", "Ceplok", "Truntum", "Mega Mendung", "Jlamprang", "Tujuh Rupa", "Sido Asih",
    "Ukel", "Liris", "Daun Kopi", "Kembang Jeruk", "Ikan Koi", "Bunga Melati",
]
COLOURS = [
    "Soga", "Indigo", "Merah Marun", "Hijau Pupus", "Coklat Tanah", "Biru Laut", "Hitam Putih",
    "Kuning Kunyit", "Ungu Terong", "Merah Mengkudu", "Abu-abu", "Krem",
]
ANIMALS = [
    "Kucing", "Kelinci", "Gajah", "Beruang", "Jerapah", "Penyu", "Komodo", "Orangutan", "Burung Hantu",
    "Ayam Jago", "Sapi", "Domba", "Bebek", "Panda", "Ikan Paus", "Monyet", "Harimau", "Rusa",
]
KITES = [
    "Naga", "Garuda", "Kupu-kupu", "Elang", "Ikan Koi", "Burung Merak", "Bebek Bali", "Janggan",
    "Kapal Pinisi", "Kaleng", "Wau Bulan", "Sawangan", "Gurita", "Capung",
]
AIRCRAFT = [
    "Boeing 737", "Boeing 747", "Boeing 777", "Airbus A320", "Airbus A330", "ATR 72", "CN-235",
    "N-219 Nurtanio", "Sukhoi Su-30", "F-16 Fighting Falcon", "Hercules C-130", "Hawk 200",
    "KT-1 Wongbee", "Cessna 172", "Super Tucano",
]
# (scale, price range in rupiah, wingspan in mm for a Boeing 737-size aircraft)
AIRCRAFT_SCALES = [
    (200, (350_000, 900_000), 170),
    (100, (1_500_000, 4_500_000), 340),
    (72, (3_000_000, 8_500_000), 475),
    (50, (6_000_000, 16_000_000), 690),
    (32, (15_000_000, 45_000_000), 1_070),
]
# fmt: on
LIVERIES = ["Garuda Indonesia", "TNI AU", "Merpati", "Pelita Air", "Polos Krom", "Lion Air", "Batik Air"]

GENERIC_SENTENCES = [
    "Setiap potong dikerjakan dengan tangan, sehingga tidak ada dua yang persis sama.",
    "Cocok untuk oleh-oleh, hadiah, atau koleksi pribadi.",
    "Dikemas rapi dengan kardus dan plastik gelembung agar aman selama pengiriman.",
    "Warna pada foto dapat sedikit berbeda karena pencahayaan.",
    "Bisa dipesan dalam jumlah besar untuk suvenir acara atau kantor.",
    "Hasil penjualan dibagi adil dengan para perajin.",
    "Kualitas diperiksa satu per satu sebelum dikirim.",
]
FACILITY_SENTENCES = [
    "Dibuat oleh warga binaan dalam program pembinaan kemandirian.",
    "Setiap pembelian membantu warga binaan menabung untuk bekal setelah bebas.",
    "Para perajin belajar dari instruktur pelatihan keterampilan di bengkel kerja.",
]
UMKM_SENTENCES = [
    "Dibuat oleh perajin usaha keluarga yang meneruskan keahlian turun-temurun.",
    "Usaha kecil ini mempekerjakan ibu-ibu di sekitar desa.",
    "Bahan baku dibeli dari pemasok lokal di sekitar sentra kerajinan.",
]
STORIES_FACILITY = [
    "Kelompok ini dibentuk untuk membekali warga binaan dengan keterampilan yang bisa dipakai setelah bebas.",
    "Di bengkel kerja, warga binaan yang baru bergabung belajar dari rekan yang lebih senior.",
    "Sebagian hasil penjualan menjadi premi bagi warga binaan, sisanya untuk membeli bahan baku.",
]
STORIES_UMKM = [
    "Usaha ini dirintis di rumah dan kini melibatkan belasan perajin dari desa sekitar.",
    "Keahlian ini diwariskan dari orang tua dan terus dikembangkan dengan desain baru.",
    "Produk kami sudah dipamerkan di beberapa pameran kerajinan tingkat provinsi.",
]


@dataclass
class VariantSpec:
    name: str
    price_idr: int
    weight_grams: int
    length_mm: int
    width_mm: int
    height_mm: int
    option: str = ""  # the option picked, kept even when ``name`` is left blank


@dataclass
class ProductSpec:
    name: str
    materials: str
    technique: str
    sentences: list[str]
    variants: list[VariantSpec]
    certifications: str = ""
    made_to_order: bool = False
    lead_time_days: int = 0
    moq: int = 1


def rupiah(value: float) -> int:
    """Round to a price a shop would print: Rp500 steps below Rp100.000, Rp5.000 below Rp1 juta, else Rp50.000."""
    value = max(15_000, value)
    step = 500 if value < 100_000 else 5_000 if value < 1_000_000 else 50_000
    return max(15_000, int(round(value / step)) * step)


def _pick_variants(
    rng: random.Random, options: list[tuple[str, float, float]], base: int, dims: tuple
) -> list[VariantSpec]:
    """1-3 of ``options`` (name, price factor, weight factor), in order."""
    count = min(len(options), rng.choice((1, 1, 2, 2, 3)))
    start = rng.randrange(0, len(options) - count + 1)
    weight, length, width, height = dims
    out = []
    for name, price_factor, size_factor in options[start : start + count]:
        out.append(
            VariantSpec(
                name=name if count > 1 or rng.random() < 0.5 else "",
                price_idr=rupiah(base * price_factor),
                weight_grams=int(weight * size_factor),
                length_mm=int(length * size_factor),
                width_mm=width,
                height_mm=height,
                option=name,
            )
        )
    return out


def spec_batik_tulis(rng: random.Random) -> ProductSpec:
    motif, colour = rng.choice(MOTIFS_TULIS), rng.choice(COLOURS)
    kind = rng.choices(["kain", "kemeja", "selendang", "sarung"], weights=[5, 3, 2, 1])[0]
    natural = rng.random() < 0.5
    materials = "kain katun primissima, " + ("pewarna alam (soga, indigo, tingi)" if natural else "pewarna naptol")
    sentences = [
        f"Batik tulis motif {motif} dengan warna {colour.lower()}, dilukis dengan canting dan malam panas.",
        "Proses pewarnaan berulang kali membuat warnanya dalam dan tahan lama.",
    ]
    if kind == "kain":
        base = rng.randint(350_000, 3_500_000)
        name = f"Kain Batik Tulis Motif {motif} {colour}"
        variants = _pick_variants(
            rng,
            [("2 x 1,15 m", 1, 1), ("2,25 x 1,15 m", 1.12, 1.12), ("2,5 x 1,15 m", 1.25, 1.25)],
            base,
            (350, 2000, 1150, 1),
        )
        materials = materials.replace(
            "kain katun primissima", rng.choice(["kain katun primissima", "kain sutra", "kain katun prima"])
        )
    elif kind == "kemeja":
        base = rng.randint(250_000, 900_000)
        name = f"Kemeja Batik Tulis {motif} Lengan {rng.choice(['Panjang', 'Pendek'])}"
        variants = _pick_variants(
            rng, [("M", 1, 1), ("L", 1, 1.05), ("XL", 1.1, 1.1), ("XXL", 1.15, 1.15)], base, (300, 350, 280, 40)
        )
    elif kind == "selendang":
        base = rng.randint(150_000, 650_000)
        name = f"Selendang Batik Tulis {motif} {colour}"
        variants = _pick_variants(rng, [("", 1, 1)], base, (150, 1800, 500, 1))
    else:
        base = rng.randint(300_000, 1_200_000)
        name = f"Sarung Batik Tulis {motif}"
        variants = _pick_variants(rng, [("Dewasa", 1, 1), ("Anak", 0.7, 0.7)], base, (400, 1700, 1100, 1))
    made_to_order = rng.random() < 0.25
    return ProductSpec(
        name=name,
        materials=materials,
        technique="batik tulis dengan canting",
        sentences=sentences,
        variants=variants,
        certifications="Batikmark" if rng.random() < 0.3 else "",
        made_to_order=made_to_order,
        lead_time_days=rng.randint(14, 45) if made_to_order else 0,
    )


def spec_batik_cap(rng: random.Random) -> ProductSpec:
    motif, colour = rng.choice(MOTIFS_CAP), rng.choice(COLOURS)
    kind = rng.choices(["kain", "kemeja", "daster", "taplak"], weights=[4, 3, 2, 1])[0]
    sentences = [
        f"Batik cap motif {motif} berwarna {colour.lower()}, dicap dengan cap tembaga buatan perajin setempat.",
        "Kainnya adem dan nyaman dipakai sehari-hari.",
    ]
    if kind == "kain":
        base = rng.randint(85_000, 300_000)
        name = f"Kain Batik Cap Motif {motif} {colour}"
        variants = _pick_variants(rng, [("2 m", 1, 1), ("2,5 m", 1.2, 1.25)], base, (300, 2000, 1150, 1))
    elif kind == "kemeja":
        base = rng.randint(120_000, 350_000)
        name = f"Kemeja Batik Cap {motif} {colour}"
        variants = _pick_variants(rng, [("M", 1, 1), ("L", 1, 1.05), ("XL", 1.05, 1.1)], base, (280, 350, 280, 40))
    elif kind == "daster":
        base = rng.randint(65_000, 150_000)
        name = f"Daster Batik Cap {motif}"
        variants = _pick_variants(rng, [("All size", 1, 1), ("Jumbo", 1.15, 1.2)], base, (250, 1100, 700, 1))
    else:
        base = rng.randint(90_000, 250_000)
        name = f"Taplak Meja Batik Cap {motif} {colour}"
        variants = _pick_variants(
            rng, [("150 x 150 cm", 1, 1), ("150 x 220 cm", 1.35, 1.4)], base, (300, 1500, 1500, 1)
        )
    return ProductSpec(
        name=name,
        materials="kain katun, pewarna sintetis",
        technique="batik cap tembaga",
        sentences=sentences,
        variants=variants,
    )


def spec_pecut(rng: random.Random) -> ProductSpec:
    kind = rng.choices(["sapi", "kuda", "reog", "mini"], weights=[4, 3, 2, 1])[0]
    if kind == "mini":
        base = rng.randint(15_000, 35_000)
        name = f"Pecut Mini Suvenir {rng.choice(['Merah Putih', 'Warna-warni', 'Hitam', 'Coklat'])}"
        variants = _pick_variants(rng, [("", 1, 1)], base, (60, 450, 30, 30))
        return ProductSpec(
            name=name,
            materials="benang nilon, rotan",
            technique="anyam kepang",
            sentences=["Pecut kecil untuk suvenir dan hiasan dinding."],
            variants=variants,
            moq=rng.choice((5, 10, 12)),
        )
    label = {"sapi": "Pecut Sapi Kulit", "kuda": "Pecut Kuda Lumping Hias", "reog": "Pecut Samandiman Reog"}[kind]
    base = rng.randint(60_000, 250_000)
    options = [("1 m", 0.8, 0.7), ("1,5 m", 1, 1), ("2 m", 1.3, 1.3), ("2,5 m", 1.6, 1.6), ("3 m", 1.9, 1.9)]
    variants = _pick_variants(rng, options, base, (300, 1500, 40, 40))
    if len(variants) == 1:
        # One length only: it is part of the name ("Pecut Sapi Kulit 1,5 m").
        name = f"{label} {variants[0].option}"
        variants[0].name = ""
    else:
        name = label
    return ProductSpec(
        name=name,
        materials=rng.choice(
            ["kulit sapi, rotan, benang nilon", "kulit kerbau, gagang kayu jati", "benang nilon, rumbai, rotan"]
        ),
        technique="kepang 8 helai",
        sentences=[
            "Dikepang rapat dengan tangan sehingga lentur dan kuat.",
            "Gagangnya dibalut kulit dan diberi hiasan rumbai.",
        ],
        variants=variants,
    )


def spec_rajutan(rng: random.Random) -> ProductSpec:
    colour = rng.choice(COLOURS)
    kind = rng.choices(["boneka", "gantungan", "tas", "topi"], weights=[6, 2, 2, 1])[0]
    if kind == "boneka":
        animal = rng.choice(ANIMALS)
        base = rng.randint(35_000, 160_000)
        name = f"Boneka Rajut {animal}" + (f" {colour}" if rng.random() < 0.3 else "")
        variants = _pick_variants(
            rng, [("15 cm", 0.7, 0.6), ("20 cm", 1, 1), ("30 cm", 1.6, 1.8)], base, (120, 200, 120, 100)
        )
        sentences = [f"Boneka {animal.lower()} dirajut dengan teknik amigurumi, lembut dan aman untuk anak."]
        moq = 1
    elif kind == "gantungan":
        animal = rng.choice(ANIMALS)
        base = rng.randint(15_000, 30_000)
        name = f"Gantungan Kunci Rajut {animal}"
        variants = _pick_variants(rng, [("", 1, 1)], base, (20, 60, 40, 30))
        sentences = ["Gantungan kunci mungil, cocok untuk suvenir acara."]
        moq = rng.choice((6, 10, 12))
    elif kind == "tas":
        base = rng.randint(75_000, 350_000)
        name = f"Tas Rajut {rng.choice(['Selempang', 'Jinjing', 'Pantai', 'Ransel'])} {colour}"
        variants = _pick_variants(
            rng, [("Kecil", 0.8, 0.8), ("Sedang", 1, 1), ("Besar", 1.3, 1.3)], base, (250, 300, 100, 280)
        )
        sentences = ["Tas rajut kuat dengan lapisan kain di bagian dalam."]
        moq = 1
    else:
        base = rng.randint(25_000, 80_000)
        name = f"Topi Rajut {rng.choice(['Kupluk', 'Bucket', 'Baret'])} {colour}"
        variants = _pick_variants(rng, [("Anak", 0.85, 0.8), ("Dewasa", 1, 1)], base, (80, 220, 200, 80))
        sentences = ["Topi rajut hangat untuk cuaca dingin di pegunungan."]
        moq = 1
    return ProductSpec(
        name=name,
        materials=rng.choice(
            ["benang katun susu, dakron", "benang akrilik, dakron", "benang katun, mata boneka plastik"]
        ),
        technique="rajut crochet",
        sentences=sentences,
        variants=variants,
        moq=moq,
    )


def spec_layang(rng: random.Random) -> ProductSpec:
    shape = rng.choice(KITES)
    big = rng.random() < 0.35
    if big:
        base = rng.randint(150_000, 1_500_000)
        options = [("2 m", 1, 1), ("3 m", 1.6, 1.5), ("5 m", 2.8, 2.5)]
        name = f"Layang-layang {shape} Raksasa" if rng.random() < 0.3 else f"Layang-layang {shape}"
        materials = "bambu, kain parasut, benang nilon"
    else:
        base = rng.randint(15_000, 90_000)
        options = [("50 cm", 0.7, 0.7), ("75 cm", 1, 1), ("1 m", 1.4, 1.4)]
        name = f"Layang-layang {shape}"
        materials = rng.choice(["bambu, kertas minyak, benang", "bambu, plastik, benang"])
    return ProductSpec(
        name=name,
        materials=materials,
        technique="rakit tangan",
        sentences=[
            f"Layang-layang bentuk {shape.lower()} dengan rangka bambu yang diraut tipis dan seimbang.",
            "Siap diterbangkan; benang dan gulungan dijual terpisah.",
        ],
        variants=_pick_variants(rng, options, base, (150, 1000, 800, 30)),
        moq=rng.choice((1, 1, 1, 5, 10)) if not big else 1,
    )


def spec_anyaman(rng: random.Random) -> ProductSpec:
    kind = rng.choices(["sampah", "keranjang", "tampah", "lampu", "tudung", "besek"], weights=[3, 3, 2, 2, 2, 1])[0]
    moq = 1
    if kind == "sampah":
        litres = rng.choice([20, 30, 40, 60])
        name = f"Tempat Sampah Bambu Anyam {litres} L"
        base = rng.randint(45_000, 60_000) * litres // 20
        options = [("Natural", 1, 1), ("Plitur Coklat", 1.15, 1), ("Dengan Tutup", 1.3, 1.2)]
        dims = (600 * litres // 20, 300, 300, 400)
    elif kind == "keranjang":
        name = f"Keranjang Bambu Anyam {rng.choice(['Buah', 'Parsel', 'Cucian', 'Piknik', 'Roti'])}"
        base = rng.randint(35_000, 180_000)
        options = [("Kecil", 0.7, 0.7), ("Sedang", 1, 1), ("Besar", 1.5, 1.5)]
        dims = (500, 350, 250, 200)
    elif kind == "tampah":
        diameter = rng.choice([40, 50, 60, 80])
        name = f"Tampah Bambu Diameter {diameter} cm"
        base = rng.randint(20_000, 45_000) * diameter // 40
        options = [("", 1, 1)]
        dims = (400, diameter * 10, diameter * 10, 50)
    elif kind == "lampu":
        name = f"Kap Lampu Bambu Anyam {rng.choice(['Bulat', 'Kerucut', 'Tabung', 'Lampion'])}"
        base = rng.randint(85_000, 450_000)
        options = [("30 cm", 0.8, 0.8), ("40 cm", 1, 1), ("60 cm", 1.6, 1.5)]
        dims = (500, 400, 400, 400)
    elif kind == "tudung":
        size = rng.choice([40, 50, 60])
        name = f"Tudung Saji Bambu {size} cm"
        base = rng.randint(25_000, 75_000)
        options = [("Polos", 1, 1), ("Motif Batik", 1.25, 1)]
        dims = (300, size * 10, size * 10, 200)
    else:
        name = "Besek Bambu isi 10"
        base = rng.randint(15_000, 40_000)
        options = [("Kecil 12 cm", 1, 1), ("Sedang 16 cm", 1.3, 1.3), ("Besar 20 cm", 1.7, 1.7)]
        dims = (300, 200, 200, 100)
        moq = rng.choice((5, 10, 20))
    return ProductSpec(
        name=name,
        materials=rng.choice(["bambu apus", "bambu tali, rotan", "bambu wulung, pernis"]),
        technique="anyam tangan",
        sentences=[
            "Bambu dipotong, diirat tipis, direndam lalu dijemur sebelum dianyam.",
            "Kuat, ringan, dan ramah lingkungan sebagai pengganti plastik.",
        ],
        variants=_pick_variants(rng, options, base, dims),
        moq=moq,
    )


def spec_miniatur(rng: random.Random) -> ProductSpec:
    aircraft = rng.choice(AIRCRAFT)
    scale, (lo, hi), span = rng.choice(AIRCRAFT_SCALES)
    base = rng.randint(lo, hi)
    livery = rng.choice(LIVERIES)
    name = f"Miniatur Pesawat {aircraft} Skala 1:{scale}"
    if rng.random() < 0.4:
        name += f" {livery}"
    options = [("Tanpa Stand", 1, 1), ("Dengan Stand Kayu", 1.1, 1.1), ("Dengan Stand dan Lampu LED", 1.35, 1.2)]
    made_to_order = scale <= 72 or rng.random() < 0.3
    return ProductSpec(
        name=name,
        materials=rng.choice(["kayu mahoni, cat duco", "kayu jati, resin, cat duco", "resin, fiberglass, cat akrilik"]),
        technique="ukir, amplas, dan cat semprot",
        sentences=[
            f"Replika {aircraft} skala 1:{scale} dengan detail jendela, roda, dan livery {livery}.",
            "Setiap bagian diukir dan diamplas halus sebelum dicat berlapis.",
        ],
        variants=_pick_variants(rng, options, base, (400 + span * 3, span, span, span // 3)),
        made_to_order=made_to_order,
        lead_time_days=rng.randint(14, 60) if made_to_order else 0,
    )


SPEC_BUILDERS = {
    "batik-tulis": spec_batik_tulis,
    "batik-cap": spec_batik_cap,
    "pecut": spec_pecut,
    "rajutan": spec_rajutan,
    "layang-layang": spec_layang,
    "anyaman-bambu": spec_anyaman,
    "miniatur": spec_miniatur,
}


def generated_organizations() -> QuerySet[Organization]:
    return Organization.objects.filter(slug__startswith=PREFIX)


class Command(BaseCommand):
    help = "Generate a large, realistic catalog (gen- prefixed) for benchmarks."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--products", type=int, default=50_000, help="How many products (default 50000).")
        parser.add_argument("--seed", type=int, default=2024, help="Random seed (default 2024).")
        parser.add_argument("--batch", type=int, default=2_000, help="Rows per bulk_create batch (default 2000).")
        parser.add_argument("--facilities", type=int, default=40, help="Correctional facilities (at most 40).")
        parser.add_argument("--umkm", type=int, default=200, help="UMKM producers (default 200).")
        parser.add_argument("--reset", action="store_true", help="Delete previously generated rows first.")
        parser.add_argument(
            "--verify", type=int, default=25, help="Check this many products against product_refresh (0: skip)."
        )
        parser.add_argument(
            "--photos-only",
            action="store_true",
            help="Only (re)write the placeholder photo files into the media storage (MEDIA_ROOT or the bucket).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        n_products = options["products"]
        if n_products < 0 or options["batch"] < 1:
            raise CommandError("--products must be >= 0 and --batch >= 1.")
        if not 1 <= options["facilities"] <= len(FACILITIES):
            raise CommandError(f"--facilities must be between 1 and {len(FACILITIES)}.")
        if not 0 <= options["umkm"] <= 5_000:
            raise CommandError("--umkm must be between 0 and 5000.")
        self.verbosity = options["verbosity"]
        rng = random.Random(options["seed"])

        if options["photos_only"]:
            photos = self.photo_files(self.categories())
            self.log(f"Wrote {2 * len(photos)} placeholder photo files into {storage_description(default_storage)}.")
            return

        if options["reset"]:
            self.reset()
        elif generated_organizations().exists():
            count = Product.objects.filter(organization__slug__startswith=PREFIX).count()
            raise CommandError(
                f"{count} generated products already exist (slug prefix {PREFIX!r}). "
                "Pass --reset to delete them and generate again."
            )

        started = time.monotonic()
        categories = self.categories()
        photos = self.photo_files(categories)
        producers = self.organizations_and_producers(rng, categories, options["facilities"], options["umkm"])
        self.products(rng, producers, categories, photos, n_products, options["batch"])
        # The rows went in with bulk_create, past the services: tell the product feeds once per seller.
        catalog_changed_send(organization_ids=generated_organizations().values_list("pk", flat=True))
        self.analyze()
        elapsed = time.monotonic() - started
        self.log(
            f"Generated {n_products} products for {len(producers)} producers in {elapsed:.1f} s ({connection.vendor})."
        )
        if options["verify"] and n_products:
            self.verify(options["verify"], rng)

    # ------------------------------------------------------------------------------------------

    def log(self, message: str) -> None:
        if self.verbosity:
            self.stdout.write(message)

    def reset(self) -> None:
        """Delete every row an earlier run generated, children first, by the organization prefix."""
        started = time.monotonic()
        orgs = generated_organizations()
        try:
            with transaction.atomic():
                deleted = {}
                for label, qs in (
                    ("photos", Photo.objects.filter(organization__in=orgs)),
                    ("variants", Variant.objects.filter(organization__in=orgs)),
                    ("products", Product.objects.filter(organization__in=orgs)),
                    ("producers", Producer.objects.filter(organization__in=orgs)),
                    ("group crafts", Group.crafts.through.objects.filter(group__organization__in=orgs)),
                    ("groups", Group.objects.filter(organization__in=orgs)),
                    ("organizations", orgs),
                ):
                    deleted[label] = qs.delete()[0]
        except (ProtectedError, RestrictedError) as exc:
            # Rows recorded in the generated organizations since (lots, stock movements, locations,
            # audit events, ...) protect what they point at; stock and the ledger are never deleted.
            found = exc.protected_objects if isinstance(exc, ProtectedError) else exc.restricted_objects
            with translation.override(None):  # this command speaks English, model names included
                kinds = sorted({str(obj._meta.verbose_name_plural) for obj in itertools.islice(found, 1000)})
            raise CommandError(
                f"Nothing was deleted: generated rows are referenced by {', '.join(kinds)}, recorded since. "
                "Stock and the ledger are append-only, so generate into a new database instead, e.g. drop it, "
                "migrate, then run generate_dataset again."
            ) from None
        if connection.vendor == "postgresql" and deleted["products"]:
            # Let the new rows reuse the space of the deleted ones instead of doubling the tables.
            self.vacuum(analyze=False)
        summary = ", ".join(f"{n} {label}" for label, n in deleted.items())
        self.log(f"Reset: deleted {summary} in {time.monotonic() - started:.1f} s.")

    def categories(self) -> dict[str, Category]:
        out = {}
        for position, (slug, name, name_en, hs_code) in enumerate(CATEGORIES):
            category, _created = Category.objects.get_or_create(
                slug=slug, defaults={"name": name, "name_en": name_en, "hs_code": hs_code, "position": position}
            )
            out[slug] = category
        return out

    def photo_files(self, categories: dict[str, Category]) -> dict[str, tuple[str, str, int, int]]:
        """One placeholder photo per category, stored once: slug -> (large name, thumbnail name, width, height)."""
        out = {}
        for slug, category in categories.items():
            jpeg = placeholder_jpeg(category.name, "Binakarya · foto contoh")
            processed = process_photo(ContentFile(jpeg, name=f"{slug}.jpg"), name_stem=f"{PREFIX}{slug}")
            names = []
            for folder, content in (("photos/large/", processed.large), ("photos/thumb/", processed.thumbnail)):
                name = f"{folder}{PREFIX}{slug}.webp"
                if default_storage.exists(name):
                    default_storage.delete(name)
                names.append(default_storage.save(name, content))
            out[slug] = (names[0], names[1], processed.width, processed.height)
        return out

    @transaction.atomic
    def organizations_and_producers(
        self, rng: random.Random, categories: dict[str, Category], n_facilities: int, n_umkm: int
    ) -> list[tuple[Producer, list[str]]]:
        """Facilities with 2-4 groups each (one producer per group) and UMKM producers.

        Returns (producer, category slugs it makes) pairs, producers with their organization set.
        """
        slugs = list(CATEGORY_SLUGS)
        weights = [CATEGORY_WEIGHTS[s] for s in slugs]

        orgs = []
        for regency, province, ftype, fclass in FACILITIES[:n_facilities]:
            name = f"{Organization.FacilityType(ftype).label} Kelas {fclass} {regency}"
            orgs.append(
                Organization(
                    kind=Organization.Kind.FACILITY,
                    name=name,
                    slug=f"{PREFIX}{slugify(name)}",
                    facility_type=ftype,
                    facility_class=fclass,
                    regency=regency,
                    province=province,
                    address=f"Jl. Pemasyarakatan No. {rng.randint(1, 120)}, {regency}",
                    phone=f"62{rng.randint(811_0000_0000, 859_9999_9999)}",
                    description=f"Unit pelaksana teknis pemasyarakatan di {regency}, {province}.",
                )
            )
        umkm_specs = []
        used_names = set()
        for i in range(n_umkm):
            regency, province = rng.choice(UMKM_REGIONS)
            crafts = _distinct(rng, slugs, weights, rng.choice((1, 1, 1, 2)))
            for _attempt in range(20):
                name = f"{rng.choice(UMKM_LABELS[crafts[0]])} {rng.choice(NAME_WORDS)}"
                if rng.random() < 0.4:
                    name += f" {regency}"
                if name not in used_names:
                    break
            else:
                name = f"{name} {i + 1}"
            used_names.add(name)
            umkm_specs.append((name, crafts))
            orgs.append(
                Organization(
                    kind=Organization.Kind.PRODUCER,
                    name=name,
                    slug=f"{PREFIX}u{i + 1:03d}-{slugify(name)}"[:120],
                    regency=regency,
                    province=province,
                    address=f"Dusun {rng.choice(NAME_WORDS)}, {regency}",
                    phone=f"62{rng.randint(811_0000_0000, 859_9999_9999)}",
                    description=f"Usaha mikro kerajinan di {regency}, {province}.",
                )
            )
        if any(f.name == "code" for f in Organization._meta.get_fields()):
            # Short codes are unique; demo codes are initials (SMP, BRT), generated ones GEN001, GEN002...
            for i, org in enumerate(orgs, start=1):
                org.code = f"{SKU_PREFIX.rstrip('-')}{i:03d}"
        Organization.objects.bulk_create(orgs)
        facilities, producer_orgs = orgs[:n_facilities], orgs[n_facilities:]

        groups, group_crafts = [], []
        for f_index, facility in enumerate(facilities, start=1):
            crafts = _distinct(rng, slugs, weights, rng.choice((2, 3, 3, 4)))
            for craft in crafts:
                name = f"{rng.choice(GROUP_LABELS[craft])} {rng.choice(NAME_WORDS)}"
                groups.append(
                    Group(
                        organization=facility,
                        name=name,
                        slug=f"{PREFIX}f{f_index:02d}-{slugify(name)}"[:120],
                        public_story=rng.choice(STORIES_FACILITY),
                    )
                )
                group_crafts.append(craft)
        Group.objects.bulk_create(groups)
        Through = Group.crafts.through
        Through.objects.bulk_create(
            Through(group_id=g.pk, category_id=categories[c].pk) for g, c in zip(groups, group_crafts, strict=True)
        )

        producers, crafts_of = [], []
        for group, craft in zip(groups, group_crafts, strict=True):
            producers.append(
                Producer(
                    organization=group.organization,
                    group=group,
                    kind=Producer.Kind.FACILITY_GROUP,
                    name=group.name,
                    slug=group.slug,
                    description=f"{group.name}, {group.organization.name}.",
                    story=group.public_story,
                    phone=group.organization.phone,
                    is_published=rng.random() > 0.02,
                )
            )
            crafts_of.append([craft])
        for org, (name, crafts) in zip(producer_orgs, umkm_specs, strict=True):
            producers.append(
                Producer(
                    organization=org,
                    kind=Producer.Kind.UMKM,
                    name=name,
                    slug=org.slug,
                    description=org.description,
                    story=rng.choice(STORIES_UMKM),
                    phone=org.phone,
                    is_published=rng.random() > 0.02,
                )
            )
            crafts_of.append(crafts)
        Producer.objects.bulk_create(producers)
        self.log(
            f"Created {len(facilities)} facilities, {len(groups)} groups and {len(producer_orgs)} UMKM producers "
            f"({len(producers)} producers)."
        )
        return list(zip(producers, crafts_of, strict=True))

    def products(
        self,
        rng: random.Random,
        producers: list[tuple[Producer, list[str]]],
        categories: dict[str, Category],
        photos: dict[str, tuple[str, str, int, int]],
        total: int,
        batch_size: int,
    ) -> None:
        # A few producers are big and many are small, as in real life.
        producer_weights = [rng.paretovariate(1.5) for _ in producers]
        progress = tqdm(total=total, unit="product", disable=not self.verbosity, mininterval=0.5)
        made = 0
        try:
            while made < total:
                size = min(batch_size, total - made)
                chosen = rng.choices(producers, weights=producer_weights, k=size)
                with transaction.atomic():
                    self.product_batch(rng, chosen, categories, photos, first_seq=made + 1)
                made += size
                progress.update(size)
        finally:
            progress.close()

    def product_batch(
        self,
        rng: random.Random,
        chosen: list[tuple[Producer, list[str]]],
        categories: dict[str, Category],
        photos: dict[str, tuple[str, str, int, int]],
        *,
        first_seq: int,
    ) -> None:
        products, variant_lists = [], []
        for seq, (producer, crafts) in enumerate(chosen, start=first_seq):
            craft = rng.choice(crafts)
            category = categories[craft]
            org = producer.organization
            spec = SPEC_BUILDERS[craft](rng)
            sentences = spec.sentences + [
                rng.choice(FACILITY_SENTENCES if producer.kind == Producer.Kind.FACILITY_GROUP else UMKM_SENTENCES),
                f"Dibuat oleh {producer.name} di {org.regency}, {org.province}.",
                rng.choice(GENERIC_SENTENCES),
            ]
            description = " ".join(sentences)
            # Variant flags first: the product's denormalised columns derive from them.
            variants = []
            for k, v in enumerate(spec.variants, start=1):
                variants.append(
                    Variant(
                        organization=org,
                        sku=f"{SKU_PREFIX}{SKU_CODES[craft]}-{seq:06d}-{k}",
                        name=v.name,
                        price_idr=v.price_idr,
                        weight_grams=v.weight_grams,
                        length_mm=v.length_mm,
                        width_mm=v.width_mm,
                        height_mm=v.height_mm,
                        stock_quantity=0 if rng.random() < 0.3 else rng.randint(1, 40),
                        # The first variant stays active so every product has a price.
                        is_active=k == 1 or rng.random() > 0.08,
                    )
                )
            product = Product(
                organization=org,
                producer=producer,
                category=category,
                name=spec.name,
                slug=f"{PREFIX}{slugify(spec.name)[:190]}-{seq}",
                description=description,
                story=producer.story,
                materials=spec.materials,
                technique=spec.technique,
                certifications=spec.certifications,
                hs_code=category.hs_code,
                made_to_order=spec.made_to_order,
                lead_time_days=spec.lead_time_days,
                moq=spec.moq,
                is_published=rng.random() > 0.03,
            )
            # The photo row made below is the product's only one, so its thumbnail is the cover.
            product_derived(product=product, variants=variants, cover_thumbnail=photos[craft][1]).apply_to(product)
            products.append(product)
            variant_lists.append(variants)
        Product.objects.bulk_create(products)
        all_variants, all_photos = [], []
        for product, variants in zip(products, variant_lists, strict=True):
            for variant in variants:
                variant.product = product
                all_variants.append(variant)
            large, thumb, width, height = photos[product.category.slug]
            all_photos.append(
                Photo(
                    organization=product.organization,
                    product=product,
                    image=large,
                    thumbnail=thumb,
                    width=width,
                    height=height,
                    alt_text=product.name[:200],
                    position=1,
                )
            )
        Variant.objects.bulk_create(all_variants)
        Photo.objects.bulk_create(all_photos)

    def analyze(self) -> None:
        """Fresh planner statistics (and on PostgreSQL a vacuumed visibility map, as autovacuum would leave it),
        so the first benchmark run does not meet a cold planner."""
        if connection.vendor == "postgresql":
            # The stored search vector that product_refresh keeps, filled in one statement.
            with connection.cursor() as cursor:
                cursor.execute(
                    "UPDATE catalog_product SET search_vector = to_tsvector('simple'::regconfig, "
                    "COALESCE(search_document, '')) WHERE search_vector IS NULL"
                )
            self.vacuum(analyze=True)
            return
        with connection.cursor() as cursor:
            for table in generated_tables():
                cursor.execute(f"ANALYZE {connection.ops.quote_name(table)}")

    def vacuum(self, *, analyze: bool) -> None:
        """VACUUM the generated tables (PostgreSQL; needs autocommit, i.e. no surrounding transaction)."""
        if not connection.get_autocommit():
            return
        tables = ", ".join(connection.ops.quote_name(t) for t in generated_tables())
        with connection.cursor() as cursor:
            cursor.execute(f"VACUUM {'(ANALYZE) ' if analyze else ''}{tables}")

    def verify(self, sample: int, rng: random.Random) -> None:
        """Recompute a sample with product_refresh inside a rolled-back transaction; fail on any difference."""
        fields = DERIVED_FIELDS
        ids = list(Product.objects.filter(organization__slug__startswith=PREFIX).values_list("pk", flat=True))
        picked = rng.sample(ids, min(sample, len(ids)))
        mismatches = []
        with transaction.atomic():
            for product in Product.objects.filter(pk__in=picked).select_related("category", "organization", "producer"):
                before = {f: getattr(product, f) for f in fields}
                product_refresh(product=product)
                after = {f: getattr(product, f) for f in fields}
                if before != after:
                    mismatches.append(
                        (product.slug, {f: (before[f], after[f]) for f in fields if before[f] != after[f]})
                    )
            transaction.set_rollback(True)
        if mismatches:
            raise CommandError(f"Generated products differ from product_refresh: {mismatches[:3]}")
        self.log(f"Verified {len(picked)} products against product_refresh: identical.")


def generated_tables() -> list[str]:
    """The tables this command writes to."""
    models = (Organization, Producer, Product, Variant, Photo, Group, Group.crafts.through, Category)
    return [m._meta.db_table for m in models]


def _distinct(rng: random.Random, population: list[str], weights: list[int], k: int) -> list[str]:
    """k distinct items drawn with weights."""
    pool, w, out = list(population), list(weights), []
    for _ in range(min(k, len(pool))):
        item = rng.choices(pool, weights=w)[0]
        index = pool.index(item)
        out.append(pool.pop(index))
        w.pop(index)
    return out
