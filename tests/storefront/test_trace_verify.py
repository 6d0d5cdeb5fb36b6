import datetime

import pytest
from django.utils import timezone

from binakarya.core.money import format_rupiah
from binakarya.inventory.services import transfer_send
from binakarya.organizations.models import Organization
from binakarya.production.services import lot_tags_issue
from tests.factories import LocationFactory, make_lot
from tests.storefront.conftest import year_figures

pytestmark = pytest.mark.django_db


@pytest.fixture
def lot(workshop):
    workshop["variant"].product.materials = "katun primisima, malam, pewarna alam"
    workshop["variant"].product.save()
    return make_lot(
        variant=workshop["variant"],
        group=workshop["group"],
        location=workshop["store"],
        quantity=6,
        finished=datetime.date(2025, 8, 14),
    )


def test_the_qr_page_tells_the_lots_story_without_its_makers(client, workshop, lot):
    response = client.get(f"/lacak/{lot.code}/")

    html = response.content.decode()
    assert response.status_code == 200
    assert lot.code in html
    assert "Kelompok Batik Tulis" in html
    assert workshop["org"].name in html
    assert "katun primisima, malam, pewarna alam" in html
    assert workshop["group"].public_story in html
    assert "August 2025" in client.get(f"/en/lacak/{lot.code}/").content.decode()
    for maker in workshop["members"]:
        assert maker.full_name not in html
        assert maker.registration_number not in html


def test_a_lot_code_typed_by_hand_is_forgiving(client, lot):
    typed = lot.code.lower().replace("0", "o").replace("1", "l")

    assert client.get(f"/lacak/{typed}/").status_code == 200
    assert client.get("/lacak/ZZZZZZZ/").status_code == 404


def test_verification_shows_what_was_issued_by_whom_and_its_figures(client, workshop, lot):
    showroom = LocationFactory(organization=workshop["org"], name="Ruang Pamer", kind="SHOWROOM")
    transfer = transfer_send(
        actor=None, from_location=workshop["store"], to_location=showroom, lines=[(lot.variant, 2)]
    )
    tags = lot_tags_issue(actor=None, lot=lot, count=6)

    surat_jalan = client.get(f"/en/verifikasi/{transfer.document.verify_code}/").content.decode()
    tag_sheet = client.get(f"/en/verifikasi/{tags.verify_code}/").content.decode()

    assert "Genuine." in surat_jalan
    assert transfer.number in surat_jalan
    assert workshop["org"].name in surat_jalan
    assert "Gudang" in surat_jalan and "Ruang Pamer" in surat_jalan
    assert "<dt>Units</dt><dd>2</dd>" in surat_jalan
    assert "Genuine." in tag_sheet
    assert "Rp450.000" in tag_sheet
    assert "<dt>Tags</dt><dd>6</dd>" in tag_sheet


def test_a_forged_verification_code_is_not_found(client, lot):
    response = client.get("/en/verifikasi/ABCD-EFGH-JKMN/")

    assert response.status_code == 404
    assert "Not found." in response.content.decode()
    assert "Genuine." not in response.content.decode()


def test_the_lookup_form_normalises_and_redirects(client, lot):
    tags = lot_tags_issue(actor=None, lot=lot)

    response = client.get("/verifikasi/", {"kode": tags.verify_code.lower()})

    assert response.status_code == 302
    assert response["Location"] == f"/verifikasi/{tags.verify_code}/"


def test_the_impact_page_shows_totals_for_the_year(client, demo):
    html = client.get("/en/dampak/rutan-purbalingga/").content.decode()
    purbalingga = Organization.objects.get(slug="rutan-purbalingga")
    figures = year_figures(purbalingga, timezone.localdate().year)

    # The DLH PKP purchase (36 bins and 60 dustpans, 15% premi of the revenue) and the demo's past sales.
    assert figures["items"] >= 96 and figures["premi"] >= 1_170_000
    assert f"<dt>Items sold</dt><dd>{figures['items']}</dd>" in html
    assert f"<dt>Premi earned by makers</dt><dd><strong>{format_rupiah(figures['premi'])}</strong></dd>" in html
    assert client.get("/dampak/disperindag-sumenep/").status_code == 404
