"""The marketplace files of issue 14: TikTok Shop's catalog CSV and Shopee's mass-upload and stock sheets, and
the columns every row of every channel's file must fill (validation.feed_required_fields)."""

import csv
import io
import xml.etree.ElementTree as ET

import pytest
from openpyxl import load_workbook

from binakarya.feeds import marketplaces, selectors
from binakarya.feeds.marketplaces import SHOPEE_COLUMNS, SHOPEE_STOCK_COLUMNS, TIKTOK_FIELDS
from binakarya.feeds.renderers import G_NAMESPACE
from binakarya.feeds.validation import CHANNELS, SHOPEE_STOCK, feed_required_fields

pytestmark = pytest.mark.django_db

BASE = "https://binakarya.test"


def items(facility, lang: str = "id"):
    return selectors.feed_items(organization=facility, language=lang, base_url=BASE)


def tiktok_rows(facility, lang: str = "id") -> list[dict[str, str]]:
    reader = csv.DictReader(io.StringIO(marketplaces.tiktok_csv(items(facility, lang))))
    assert tuple(reader.fieldnames or ()) == TIKTOK_FIELDS
    return list(reader)


def sheet_rows(content: bytes, columns: tuple[str, ...]) -> list[dict[str, object]]:
    sheet = load_workbook(io.BytesIO(content), read_only=True).worksheets[0]
    header, *body = list(sheet.iter_rows(values_only=True))
    assert header == columns
    return [dict(zip(header, row, strict=True)) for row in body]


def xml_rows(content: bytes) -> list[dict[str, str]]:
    g = f"{{{G_NAMESPACE}}}"
    root = ET.fromstring(content)
    return [{child.tag.removeprefix(g): child.text or "" for child in item} for item in root.findall("channel/item")]


# TikTok Shop ----------------------------------------------------------------------------------------------


def test_the_tiktok_csv_has_a_row_per_variant_with_its_package(facility, shop):
    # given a product with one variant and three photos, and one with three variants
    kain, pecut = shop

    # when
    rows = {row["sku_id"]: row for row in tiktok_rows(facility)}

    # then each variant is a row with TikTok's fields, the price as a number and its currency
    assert set(rows) == {"KAIN-BAT-1", "PECUT-SA-1", "PECUT-SA-2", "PECUT-SA-3"}
    single = rows["KAIN-BAT-1"]
    assert single["title"] == "Kain Batik Tulis Sumenep"
    assert single["price"] == "450000 IDR"
    assert single["availability"] == "in stock" and single["condition"] == "new"
    assert single["brand"] == "Kelompok Batik Sumenep"
    assert single["link"] == f"{BASE}/produk/kain-batik-sumenep/"
    assert single["image_link"].startswith(f"{BASE}/media/photos/large/")
    additional = single["additional_image_link"].split(",")
    assert len(additional) == 2 and single["image_link"] not in additional
    # 400 x 305 x 25 mm: whole centimetres, rounded up
    assert (single["package_weight_g"], single["package_length_cm"]) == ("300", "40")
    assert (single["package_width_cm"], single["package_height_cm"]) == ("31", "3")
    assert single["item_group_id"] == ""
    assert rows["PECUT-SA-2"]["title"] == "Pecut Sapi Sumenep - 1,5 m"
    assert rows["PECUT-SA-2"]["item_group_id"] == "pecut-sapi"
    assert rows["PECUT-SA-2"]["package_weight_g"] == "350"
    assert rows["PECUT-SA-2"]["additional_image_link"] == ""


def test_the_english_tiktok_csv_uses_the_english_texts(facility, shop):
    rows = {row["sku_id"]: row for row in tiktok_rows(facility, "en")}

    assert rows["KAIN-BAT-1"]["title"] == "Sumenep Hand-drawn Batik Cloth"
    assert rows["KAIN-BAT-1"]["link"] == f"{BASE}/en/produk/kain-batik-sumenep/"


def test_an_unmeasured_variant_leaves_its_package_cells_empty(facility, shop):
    # given a variant with neither weight nor size
    shop[1].variants.filter(sku="PECUT-SA-3").update(weight_grams=0, length_mm=0, width_mm=0, height_mm=0)

    rows = {row["sku_id"]: row for row in tiktok_rows(facility)}

    assert [rows["PECUT-SA-3"][f] for f in TIKTOK_FIELDS[-4:]] == ["", "", "", ""]


def test_centimetres_round_up_and_leave_unknown_sizes_out():
    assert [marketplaces.centimetres(mm) for mm in (0, 1, 10, 11, 305)] == [None, 1, 1, 2, 31]


# Shopee ---------------------------------------------------------------------------------------------------


def test_the_shopee_sheet_groups_a_products_variants(facility, shop, category):
    # when
    rows = {row["SKU"]: row for row in sheet_rows(marketplaces.shopee_xlsx(items(facility)), SHOPEE_COLUMNS)}

    # then a single variant stands alone, with its cover and item images, weight, size and days to ship
    single = rows["KAIN-BAT-1"]
    assert single["Category"] == category.name
    assert single["Product Name"] == "Kain Batik Tulis Sumenep"
    assert single["Product Description"] == "Kain batik tulis pewarna alam, 2 x 1,15 m."
    assert single["Parent SKU"] is None and single["Variation Integration No."] is None
    assert (single["Price"], single["Stock"], single["Weight (g)"]) == (450_000, 4, 300)
    assert (single["Length (cm)"], single["Width (cm)"], single["Height (cm)"]) == (40, 31, 3)
    assert single["Days to Ship"] == marketplaces.SHOPEE_READY_STOCK_DAYS
    assert single["Cover image"].startswith(f"{BASE}/media/photos/large/")
    assert single["Item Image 1"] and single["Item Image 2"] and single["Item Image 3"] is None
    # and the three variants share the product's name, Parent SKU and integration number
    variants = [rows[f"PECUT-SA-{n}"] for n in (1, 2, 3)]
    assert {(r["Product Name"], r["Parent SKU"], r["Variation Integration No."]) for r in variants} == {
        ("Pecut Sapi Sumenep", "pecut-sapi", "V1")
    }
    assert [(r["Variation Name1"], r["Option for Variation 1"], r["Price"]) for r in variants] == [
        ("Varian", "1 m", 60_000),
        ("Varian", "1,5 m", 85_000),
        ("Varian", "2 m", 110_000),
    ]


def test_a_made_to_order_product_ships_as_a_pre_order_after_its_lead_time(facility, shop):
    kain = shop[0]
    kain.made_to_order, kain.lead_time_days = True, 21
    kain.save(update_fields=["made_to_order", "lead_time_days"])

    rows = {row["SKU"]: row for row in sheet_rows(marketplaces.shopee_xlsx(items(facility)), SHOPEE_COLUMNS)}

    assert rows["KAIN-BAT-1"]["Days to Ship"] == 21
    assert rows["PECUT-SA-1"]["Days to Ship"] == marketplaces.SHOPEE_READY_STOCK_DAYS


def test_the_shopee_stock_sheet_has_each_skus_price_and_stock(facility, shop):
    rows = sheet_rows(marketplaces.shopee_stock_xlsx(items(facility)), SHOPEE_STOCK_COLUMNS)

    assert [(r["SKU"], r["Price"], r["Stock"]) for r in rows] == [
        ("KAIN-BAT-1", 450_000, 4),
        ("PECUT-SA-1", 60_000, 4),
        ("PECUT-SA-2", 85_000, 3),
        ("PECUT-SA-3", 110_000, 2),
    ]
    assert rows[1]["Parent SKU"] == "pecut-sapi" and rows[1]["Variation Name"] == "1 m"


def test_a_title_that_looks_like_a_formula_stays_text_in_the_sheet(facility, shop):
    shop[0].__class__.objects.filter(pk=shop[0].pk).update(name="=HYPERLINK(1)")

    rows = sheet_rows(marketplaces.shopee_xlsx(items(facility)), SHOPEE_COLUMNS)

    assert "=HYPERLINK(1)" in {r["Product Name"] for r in rows}  # a string cell, never run


# Every row of every file fills the channel's required fields -----------------------------------------------


def _files(client, facility, lang):
    """(required fields of, rows) of each of the six files of the seller in ``lang``, from their public URLs."""

    def get(name: str) -> bytes:
        response = client.get(f"/feeds/{facility.slug}/{lang}/{name}")
        assert response.status_code == 200, name
        return response.content

    return [
        ("meta", list(csv.DictReader(io.StringIO(get("meta.csv").decode())))),
        ("meta", xml_rows(get("meta.xml"))),
        ("google", xml_rows(get("google.xml"))),
        ("tiktok", list(csv.DictReader(io.StringIO(get("tiktok.csv").decode())))),
        ("shopee", sheet_rows(get("shopee.xlsx"), SHOPEE_COLUMNS)),
        (SHOPEE_STOCK, sheet_rows(get("shopee-stock.xlsx"), SHOPEE_STOCK_COLUMNS)),
    ]


@pytest.mark.parametrize("lang", ["id", "en"])
def test_every_row_of_every_file_fills_the_channels_required_fields(client, facility, shop, lang):
    # given demo-like products (weighed, with photos); one of them out of stock
    shop[1].variants.filter(sku="PECUT-SA-3").update(stock_quantity=0)

    # when
    files = _files(client, facility, lang)

    # then each file has the four variants, and none leaves a required field empty
    assert {channel for channel, _ in files} == {*CHANNELS, SHOPEE_STOCK}
    for channel, rows in files:
        assert len(rows) == 4, channel
        for row in rows:
            empty = [f for f in feed_required_fields(channel) if row.get(f) in (None, "")]
            assert empty == [], (channel, row)


def test_the_required_fields_of_each_channel():
    assert feed_required_fields("meta") == (
        "id",
        "title",
        "description",
        "availability",
        "condition",
        "price",
        "link",
        "image_link",
        "brand",
    )
    assert feed_required_fields("google")[-1] == "identifier_exists"
    assert feed_required_fields("tiktok") == (*TIKTOK_FIELDS[:9], "package_weight_g")
    assert "Weight (g)" in feed_required_fields("shopee") and "Cover image" in feed_required_fields("shopee")
    assert feed_required_fields(SHOPEE_STOCK) == ("SKU", "Price", "Stock")
    with pytest.raises(KeyError):
        feed_required_fields("lazada")


# Privacy --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["id", "en"])
def test_no_marketplace_file_carries_a_makers_identity(facility, shop, maker, lang):
    # given an inmate in the producer's group
    feed = items(facility, lang)

    # when every marketplace file is made
    texts = [marketplaces.tiktok_csv(feed)]
    for content, columns in (
        (marketplaces.shopee_xlsx(feed, language=lang), SHOPEE_COLUMNS),
        (marketplaces.shopee_stock_xlsx(feed), SHOPEE_STOCK_COLUMNS),
    ):
        texts.append(repr(sheet_rows(content, columns)))

    # then none holds the maker's name or registration number; the TikTok file has the producer's public name
    assert "Kelompok Batik Sumenep" in texts[0]
    for text in texts:
        for secret in (maker.full_name, "Ahmad", "Rahasia", maker.registration_number):
            assert secret not in text
