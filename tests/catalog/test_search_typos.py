"""Typos: "batk" finds batik with "did you mean", on SQLite (difflib) and PostgreSQL (pg_trgm)."""

import re

import pytest
from django.db import connection

from binakarya.catalog import selectors
from tests.factories import CategoryFactory, GroupMembershipFactory, ProductFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def crafts():
    batik = CategoryFactory(name="Batik Tulis", name_en="Hand-drawn batik", slug="batik-tulis")
    rajut = CategoryFactory(name="Rajutan", name_en="Knitwork", slug="rajutan")
    kain = ProductFactory(photos=1, name="Kain Batik Tulis Kerapan Sapi", slug="kain-kerapan", category=batik)
    boneka = ProductFactory(
        photos=1,
        name="Boneka Rajut Kelinci",
        slug="boneka-kelinci",
        category=rajut,
        description="Boneka kelinci dari benang.",
        materials="benang katun",
        producer__group__name="Kelompok Rajut",
    )
    ProductFactory(name="Wayang Kulit Tersembunyi", slug="wayang-draft", category=batik, is_published=False)
    return {"kain": kain, "boneka": boneka}


def search(q: str) -> selectors.CatalogPage:
    return selectors.product_search(query=selectors.CatalogQuery(q=q), suggest=True)


def test_batk_finds_batik_and_says_so(crafts):
    # when
    result = search("batk")

    # then
    assert result.suggestion == "batik"
    assert [p.name for p in result.items] == ["Kain Batik Tulis Kerapan Sapi"]


@pytest.mark.parametrize(
    ("typed", "suggested"),
    [("btik", "batik"), ("kain batk", "kain batik"), ("boneka rajt", "boneka rajut"), ("kelinc", "kelinci")],
)
def test_each_unknown_word_is_corrected_and_known_words_are_kept(crafts, typed, suggested):
    # when
    result = search(typed)

    # then
    assert result.suggestion == suggested
    assert result.count == 1


def test_a_query_that_matches_gets_no_suggestion_and_the_stemmer_still_works(crafts):
    # when
    plain, stemmed = search("batik"), search("membatik")

    # then
    assert (plain.suggestion, plain.count) == ("", 1)
    assert (stemmed.suggestion, stemmed.count) == ("", 1)


def test_nothing_close_means_no_suggestion_and_no_results(crafts):
    # when
    result = search("xqzvw")

    # then
    assert (result.suggestion, result.count, result.items) == ("", 0, [])


def test_unpublished_products_and_makers_are_never_suggested(crafts):
    # given: a hidden product's word and a maker's name
    maker = GroupMembershipFactory(group=crafts["kain"].producer.group, maker__full_name="Suparjo Wibisono").maker

    # when
    hidden, person = search("wayng"), search(maker.full_name.split()[0][:-1])

    # then
    assert (hidden.suggestion, hidden.count) == ("", 0)
    assert (person.suggestion, person.count) == ("", 0)


def test_without_suggest_a_typo_finds_nothing(crafts):
    # The API keeps the plain search; the storefront asks for suggestions.
    result = selectors.product_search(query=selectors.CatalogQuery(q="batk"))

    assert (result.suggestion, result.count) == ("", 0)


def test_a_new_product_name_is_suggested_at_once(crafts):
    # given: the vocabulary was built (and cached) before the product existed
    assert search("ketupat").count == 0
    ProductFactory(photos=1, name="Ketupat Anyaman Pandan", slug="ketupat")

    # when
    result = search("ketupt")

    # then
    assert result.suggestion == "ketupat"


def test_catalog_page_says_did_you_mean_with_a_link(client, crafts):
    # when
    response = client.get("/katalog/", {"q": "batk", "kategori": "batik-tulis"})
    html = response.content.decode()

    # then
    assert response.status_code == 200
    assert "Apakah maksud Anda" in html
    link = re.search(r'<a href="\?([^"]+)" data-testid="suggestion">batik</a>', html).group(1)
    assert link.replace("&amp;", "&") == "q=batik&kategori=batik-tulis"
    assert "Kain Batik Tulis Kerapan Sapi" in html


def test_english_catalog_page_says_did_you_mean(client, crafts):
    html = client.get("/en/katalog/", {"q": "batk"}).content.decode()

    assert "Did you mean" in html
    assert "Kain Batik Tulis Kerapan Sapi" in html


@pytest.mark.postgres_only
def test_postgresql_has_pg_trgm_and_a_trigram_index_on_product_names():
    # when
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'")
        extension = cursor.fetchone()
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = 'product_name_trgm'")
        index = cursor.fetchone()

    # then
    assert extension == (1,)
    assert "gin_trgm_ops" in index[0]


@pytest.mark.postgres_only
def test_postgresql_suggests_by_trigram_similarity(crafts, django_assert_max_num_queries):
    # The SQLite fallback's difflib is not used here: pg_trgm ranks the candidates.
    # when
    with django_assert_max_num_queries(12):
        result = search("rajtan")

    # then: "rajutan" (a category word) is the closest by trigram similarity
    assert result.suggestion == "rajutan"
    assert result.count == 1
