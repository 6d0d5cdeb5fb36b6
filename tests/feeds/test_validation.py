"""The channel checks of issue 14: what Meta, Google, TikTok Shop and Shopee would refuse of a product."""

import pytest
from django.utils import translation

from binakarya.catalog.models import Photo, Variant
from binakarya.feeds import selectors, validation
from binakarya.feeds.validation import CHANNELS, GOOGLE, META, MISSING, SHOPEE, TIKTOK, TOO_LONG, TOO_SMALL
from binakarya.organizations.models import Role
from tests.factories import MembershipFactory, ProductFactory
from tests.feeds.conftest import ready_product

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(facility):
    return MembershipFactory(organization=facility, role=Role.FACILITY_ADMIN).user


def checks(admin, facility) -> dict[str, validation.ProductCheck]:
    products = selectors.products_to_check(user=admin, organization=facility)
    return {check.product.slug: check for check in validation.products_check(products)}


def found(check: validation.ProductCheck) -> set[tuple[str, str, str, str]]:
    return {(p.channel, p.field, p.code, p.sku) for p in check.problems}


def test_demo_like_products_have_no_problem(admin, facility, shop):
    result = checks(admin, facility)

    assert {slug: c.problems for slug, c in result.items()} == {"kain-batik-sumenep": [], "pecut-sapi": []}
    assert all(c.in_feeds for c in result.values())


def test_a_product_without_a_photo_is_flagged_for_every_channel(admin, facility, producer, category):
    # given a published product with a price and no photo (so the feeds leave it out)
    ready_product(producer, category, name="Tas Pandan", slug="tas-pandan", variants=[("", 85_000)], photos=0)

    check = checks(admin, facility)["tas-pandan"]

    assert not check.in_feeds
    assert found(check) == {(channel, "image_link", MISSING, "") for channel in CHANNELS}
    assert check.problems[0].message == "Tidak ada foto: Meta memerlukannya."


def test_a_small_photo_is_flagged_where_the_channel_wants_a_bigger_one(admin, facility, producer, category):
    # given a 550 px photo: enough for Meta and Shopee (500), not for TikTok Shop (600)
    ready_product(producer, category, name="Tas Pandan", slug="tas-pandan", variants=[("", 85_000)], size=550)

    check = checks(admin, facility)["tas-pandan"]

    assert found(check) == {(TIKTOK, "image_link", TOO_SMALL, "")}
    with translation.override("en"):
        (problem,) = checks(admin, facility)["tas-pandan"].problems
    assert problem.message == "The main photo is 550×550 px; TikTok Shop needs at least 600×600 px."


def test_a_tiny_photo_is_too_small_for_every_channel(admin, facility, producer, category):
    # given the 48 x 36 px photo of the factories: under Google's 250 px too
    ProductFactory(producer=producer, category=category, slug="kecil", photos=1)

    check = checks(admin, facility)["kecil"]

    assert {(p.channel, p.code) for p in check.problems if p.field == "image_link"} == {
        (channel, TOO_SMALL) for channel in CHANNELS
    }


def test_only_the_main_photo_counts(admin, facility, producer, category):
    # given a product whose main photo is large and whose second is small
    product = ready_product(producer, category, name="Tas Pandan", slug="tas-pandan", variants=[("", 85_000)])
    Photo.objects.create(
        organization=facility, product=product, image="x.webp", thumbnail="x.webp", width=40, height=40, position=9
    )

    assert checks(admin, facility)["tas-pandan"].problems == []


def test_a_variant_without_weight_is_flagged_for_the_marketplaces_only(admin, facility, shop):
    # given one of three variants not weighed
    Variant.objects.filter(sku="PECUT-SA-2").update(weight_grams=0)

    check = checks(admin, facility)["pecut-sapi"]

    assert found(check) == {(TIKTOK, "weight", MISSING, "PECUT-SA-2"), (SHOPEE, "weight", MISSING, "PECUT-SA-2")}


def test_a_variant_without_a_package_size_is_flagged_for_tiktok(admin, facility, shop):
    Variant.objects.filter(sku="KAIN-BAT-1").update(height_mm=0)

    check = checks(admin, facility)["kain-batik-sumenep"]

    assert found(check) == {(TIKTOK, "package_size", MISSING, "KAIN-BAT-1")}


def test_a_long_title_is_flagged_where_it_is_over_the_channels_limit(admin, facility, producer, category):
    # given a 160-character name: within Meta's 200 and TikTok's 255, over Google's 150 and Shopee's 100
    ready_product(producer, category, name="B" * 160, slug="panjang", description="Ada.", variants=[("", 85_000)])

    check = checks(admin, facility)["panjang"]

    assert found(check) == {(GOOGLE, "title", TOO_LONG, "PANJANG-1"), (SHOPEE, "title", TOO_LONG, "PANJANG-1")}
    with translation.override("en"):
        messages = {p.channel: p.message for p in checks(admin, facility)["panjang"].problems}
    assert messages[SHOPEE] == "The title has 160 characters; Shopee takes at most 100."


def test_the_variant_name_counts_in_the_title_and_the_english_title_is_checked(admin, facility, producer, category):
    # given a 95-character name (fine alone for Shopee) with variants, and a long English name
    ready_product(
        producer,
        category,
        name="T" * 95,
        name_en="E" * 198,  # 202 and 206 characters with the variant names
        slug="varian",
        description="Ada.",
        variants=[("S", 50_000), ("Besar", 60_000)],
    )

    check = checks(admin, facility)["varian"]

    # "… - S" is 99 characters, "… - Besar" 103: only the second is over Shopee's 100
    assert {(p.channel, p.sku, p.language) for p in check.problems} == {
        (SHOPEE, "VARIAN-2", ""),
        (META, "VARIAN-1", "en"),
        (META, "VARIAN-2", "en"),
        (GOOGLE, "VARIAN-1", "en"),
        (GOOGLE, "VARIAN-2", "en"),
        (SHOPEE, "VARIAN-1", "en"),
        (SHOPEE, "VARIAN-2", "en"),
    }


def test_a_missing_description_and_price_are_flagged(admin, facility, producer, category):
    # given a product with no description and no active variant
    product = ready_product(producer, category, name="Kosong", slug="kosong", description="", variants=[("", 9_000)])
    Variant.objects.filter(product=product).update(is_active=False)

    check = checks(admin, facility)["kosong"]

    assert {(p.channel, p.field) for p in check.problems} == {
        (channel, field) for channel in CHANNELS for field in ("description", "price")
    }


def test_a_made_to_order_product_needs_its_lead_time_for_shopee(admin, facility, shop):
    kain = shop[0]
    kain.made_to_order, kain.lead_time_days = True, 0
    kain.save(update_fields=["made_to_order", "lead_time_days"])

    check = checks(admin, facility)["kain-batik-sumenep"]

    assert found(check) == {(SHOPEE, "days_to_ship", MISSING, "")}


def test_unpublished_products_and_other_sellers_are_not_checked(admin, facility, shop, producer, category):
    hidden = ready_product(producer, category, name="Belum", slug="belum", variants=[("", 1_000)], photos=0)
    hidden.is_published = False
    hidden.save(update_fields=["is_published"])
    ProductFactory(slug="lain")  # another seller's

    assert set(checks(admin, facility)) == {"kain-batik-sumenep", "pecut-sapi"}


def test_the_problems_are_grouped_by_channel_in_order(admin, facility, producer, category):
    ready_product(producer, category, name="Tas Pandan", slug="tas-pandan", variants=[("", 85_000)], photos=0)

    check = checks(admin, facility)["tas-pandan"]

    assert [(channel, label, len(problems)) for channel, label, problems in check.by_channel()] == [
        (META, "Meta", 1),
        (GOOGLE, "Google", 1),
        (TIKTOK, "TikTok Shop", 1),
        (SHOPEE, "Shopee", 1),
    ]
