"""The staff pages at the outlet's shelf: return/recall, damage, count, review with its recall, history."""

import subprocess

import pytest
from django.urls import reverse

from binakarya.consignment.models import Agreement, ConsignmentReturn, DamageRecord, OutletCount
from binakarya.consignment.services import PlacementLineInput, placement_receive, placement_send
from tests.consignment.test_review import place_and_receive
from tests.consignment.world import MAKER_NAMES


@pytest.fixture
def shelf(world, agreement):
    placement = placement_send(
        actor=world["admin"],
        agreement=agreement,
        from_location=world["store"],
        lines=[PlacementLineInput(world["whip"], 6), PlacementLineInput(world["bag"], 4)],
    )
    placement_receive(actor=world["partner"], placement=placement)
    return agreement


@pytest.fixture
def staff(client, world):
    client.force_login(world["admin"])
    return client


def url(name, agreement, **kwargs):
    return reverse(f"backoffice:{name}", kwargs={"pk": agreement.pk, **kwargs})


def no_maker(text):
    for name in MAKER_NAMES:
        for part in name.split():
            assert part not in text, part


def rows_of(response):
    """The form's row field names in page order, with their row's SKU."""
    form = response.context["form"]
    return {row.sku: name for row, name in form.shelf_rows}


PAGES = [
    "consignment_shelf_return",
    "consignment_shelf_damage",
    "consignment_shelf_count",
    "consignment_review",
    "consignment_history",
]


@pytest.mark.parametrize("name", PAGES)
def test_each_page_opens_for_staff_without_a_maker(staff, shelf, name):
    response = staff.get(url(name, shelf))
    assert response.status_code == 200
    text = response.content.decode()
    assert "Hotel Bintang Sumenep" in text
    no_maker(text)


@pytest.mark.parametrize("name", PAGES)
@pytest.mark.parametrize(("who", "status"), [("stranger", 404), ("other_partner", 404), ("partner", 403)])
def test_others_get_404_and_the_partner_403(client, world, shelf, name, who, status):
    client.force_login(world[who])
    assert client.get(url(name, shelf)).status_code == status


def test_a_recall_from_the_form_and_its_pdf(staff, shelf, world):
    page = staff.get(url("consignment_shelf_return", shelf))
    rows = rows_of(page)
    response = staff.post(
        url("consignment_shelf_return", shelf), {"kind": "RECALL", rows["SMP-PCT-001"]: "2", "note": "Lambat laku"}
    )
    returned = ConsignmentReturn.objects.get()
    assert response.status_code == 302
    assert response["Location"] == url("consignment_shelf_return_detail", shelf, return_pk=returned.pk)
    detail = staff.get(response["Location"])
    assert detail.status_code == 200 and returned.transfer.document.verify_code in detail.content.decode()
    pdf = staff.get(url("consignment_shelf_return_pdf", shelf, return_pk=returned.pk))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    text = subprocess.run(["pdftotext", "-", "-"], input=pdf.content, capture_output=True, check=True).stdout.decode()
    assert "Rp150.000" in text
    no_maker(text)


def test_bad_input_keeps_nothing(staff, shelf):
    rows = rows_of(staff.get(url("consignment_shelf_return", shelf)))
    too_many = staff.post(url("consignment_shelf_return", shelf), {"kind": "RECALL", rows["SMP-RJT-001"]: "9"})
    assert too_many.status_code == 200 and "SMP-RJT-001" in too_many.content.decode()
    nothing = staff.post(url("consignment_shelf_return", shelf), {"kind": "RECALL"})
    assert nothing.status_code == 200 and nothing.context["form"].errors
    letters = staff.post(url("consignment_shelf_damage", shelf), {rows["SMP-PCT-001"]: "dua"})
    assert letters.status_code == 200 and letters.context["form"].errors
    assert not ConsignmentReturn.objects.exists() and not DamageRecord.objects.exists()
    assert not OutletCount.objects.exists()


def test_damage_and_a_count_from_their_forms(staff, shelf):
    Agreement.objects.filter(pk=shelf.pk).update(damage_borne_by="SELLER", shortage_borne_by="SELLER")
    rows = rows_of(staff.get(url("consignment_shelf_damage", shelf)))
    response = staff.post(url("consignment_shelf_damage", shelf), {rows["SMP-RJT-001"]: "1", "note": "Sobek"})
    assert response.status_code == 302 and DamageRecord.objects.get().movement is not None

    count_page = staff.get(url("consignment_shelf_count", shelf))
    assert 'placeholder="6"' in count_page.content.decode()
    rows = rows_of(count_page)
    response = staff.post(url("consignment_shelf_count", shelf), {rows["SMP-PCT-001"]: "5"})
    assert response.status_code == 302
    count = OutletCount.objects.get()
    assert count.shortage_units == 1 and count.lines.get().outcome == "WRITTEN_OFF"
    history = staff.get(url("consignment_history", shelf))
    assert history.status_code == 200
    no_maker(history.content.decode())


def test_the_one_tap_recall_of_a_slow_seller(staff, shelf, world):
    place_and_receive(world, shelf, world["bag"], 2, days_ago=100)
    review = staff.get(url("consignment_review", shelf))
    assert [row.sku for row in review.context["review"].slow_sellers] == ["SMP-RJT-001"]
    assert url("consignment_review_recall", shelf) in review.content.decode()
    response = staff.post(url("consignment_review_recall", shelf), {"sku": "SMP-RJT-001", "quantity": "6"})
    assert response.status_code == 302
    returned = ConsignmentReturn.objects.get()
    assert returned.kind == "RECALL" and sum(line.quantity for line in returned.lines.all()) == 6
    assert not staff.get(url("consignment_review", shelf)).context["review"].slow_sellers


def test_the_history_pdf_has_no_maker(staff, shelf):
    pdf = staff.get(url("consignment_history_pdf", shelf))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    text = subprocess.run(["pdftotext", "-", "-"], input=pdf.content, capture_output=True, check=True).stdout.decode()
    assert "Riwayat" in text
    no_maker(text)
