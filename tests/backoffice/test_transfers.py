"""Sending stock between locations from the staff pages, the surat jalan, and confirming receipt."""

import datetime

import pytest
from django.urls import reverse

from binakarya.documents.models import Document, NumberSequence
from binakarya.inventory.models import Location, StockBalance, StockMovement, Transfer, TransferLine
from binakarya.inventory.services import location_create, transfer_send
from binakarya.organizations.models import Role
from tests.backoffice.helpers import html, text
from tests.factories import MembershipFactory, ProductFactory, UserFactory, VariantFactory, make_lot

pytestmark = pytest.mark.django_db
# The in-transit location is named in the language of whoever first needed it.
TRANSIT = text("In transit")


@pytest.fixture
def instructor(facility_a):
    user = UserFactory(username="ida")
    MembershipFactory(user=user, organization=facility_a, role=Role.INSTRUCTOR)
    return user


@pytest.fixture
def stocked(facility_a, group_a, producer_a, membership_a, batik):
    """10 units of a 450,000 batik (one lot) in the store of Rutan Sumenep, and a showroom."""
    product = ProductFactory(producer=producer_a, category=batik, name="Kain Batik Sekar Jagad", variants=[])
    variant = VariantFactory(product=product, sku="SMP-BTK-001", price_idr=450_000)
    store = location_create(actor=None, organization=facility_a, name="Gudang", kind=Location.Kind.STORE)
    showroom = location_create(actor=None, organization=facility_a, name="Ruang Pamer", kind=Location.Kind.SHOWROOM)
    lot = make_lot(variant=variant, group=group_a, location=store, quantity=10, finished=datetime.date(2025, 6, 1))
    return {"variant": variant, "store": store, "showroom": showroom, "lot": lot}


def send_data(stocked, *lines, note=""):
    data = {
        "from_location": stocked["store"].pk,
        "to_location": stocked["showroom"].pk,
        "note": note,
        "baris-TOTAL_FORMS": str(len(lines)),
        "baris-INITIAL_FORMS": "0",
        "baris-MIN_NUM_FORMS": "0",
        "baris-MAX_NUM_FORMS": "30",
    }
    for i, (variant, quantity) in enumerate(lines):
        data[f"baris-{i}-variant"] = variant.pk if variant else ""
        data[f"baris-{i}-quantity"] = str(quantity)
    return data


def balances(lot) -> dict[str, int]:
    return dict(StockBalance.objects.filter(lot=lot).values_list("location__name", "quantity"))


def counts() -> tuple[int, ...]:
    return tuple(
        model.objects.count()
        for model in (Transfer, TransferLine, StockMovement, StockBalance, Document, NumberSequence, Location)
    )


def test_the_form_sends_from_the_store_to_the_showroom_and_says_where_the_units_are(client, instructor, stocked):
    # given
    client.force_login(instructor)

    # when
    response = client.get(reverse("backoffice:transfer_create"))

    # then
    form = response.context["form"]
    assert (form.initial["from_location"], form.initial["to_location"]) == (stocked["store"], stocked["showroom"])
    line = response.context["formset"].forms[0]
    assert list(line.fields["variant"].choices)[1][1] == "SMP-BTK-001 · Kain Batik Sekar Jagad — Gudang 10"
    assert len(response.context["formset"].forms) == 1


def test_an_instructor_sends_part_of_a_lot_to_the_showroom(client, instructor, stocked, facility_a):
    # given
    client.force_login(instructor)

    # when
    response = client.post(reverse("backoffice:transfer_create"), send_data(stocked, (stocked["variant"], 4)))

    # then
    transfer = Transfer.objects.get()
    year = transfer.created_at.year
    assert transfer.number == f"SJ-{facility_a.code}-{year}-00001"
    assert response.status_code == 302
    assert response["Location"] == reverse("backoffice:transfer_detail", args=[transfer.number])
    assert (transfer.from_location, transfer.to_location, transfer.sent_by) == (
        stocked["store"],
        stocked["showroom"],
        instructor,
    )
    assert list(transfer.lines.values_list("lot__code", "quantity_sent", "quantity_received")) == [
        (stocked["lot"].code, 4, None)
    ]
    assert balances(stocked["lot"]) == {"Gudang": 6, TRANSIT: 4}

    page = client.get(response["Location"])
    body = page.content.decode()
    assert page.context["units_sent"] == 4
    assert f'data-testid="verify-code">{transfer.document.verify_code}<' in body
    assert reverse("backoffice:transfer_pdf", args=[transfer.number]) in body
    assert (
        page.context["receive_form"].initial == {}
        and page.context["receive_form"].fields[f"line_{transfer.lines.get().pk}"].initial == 4
    )


def test_several_lines_in_one_transfer(client, instructor, stocked, producer_a, group_a):
    # given a second product with a lot of its own
    second = VariantFactory(product=ProductFactory(producer=producer_a, variants=[]), sku="SMP-BTK-002")
    make_lot(variant=second, group=group_a, location=stocked["store"], quantity=5, finished=datetime.date(2025, 7, 1))
    client.force_login(instructor)
    more = client.post(
        reverse("backoffice:transfer_create"),
        send_data(stocked, (stocked["variant"], 2)) | {"_add_line": "1"},
    )
    assert len(more.context["formset"].forms) == 2
    assert more.context["formset"].forms[0].initial == {"variant": str(stocked["variant"].pk), "quantity": "2"}
    assert Transfer.objects.count() == 0

    # when
    response = client.post(
        reverse("backoffice:transfer_create"), send_data(stocked, (stocked["variant"], 2), (second, 5), (None, ""))
    )

    # then
    transfer = Transfer.objects.get()
    assert response.status_code == 302
    assert sorted(transfer.lines.values_list("variant__sku", "quantity_sent")) == [
        ("SMP-BTK-001", 2),
        ("SMP-BTK-002", 5),
    ]
    assert transfer.document.public_figures["units"] == 7


def test_sending_more_than_the_store_holds_is_refused_next_to_the_quantity(client, instructor, stocked):
    # given
    client.force_login(instructor)
    before = counts()

    # when
    response = client.post(reverse("backoffice:transfer_create"), send_data(stocked, (stocked["variant"], 15)))

    # then
    message = text(
        "%(location)s holds only %(available)s of %(sku)s; %(wanted)s were asked for.",
        location="Gudang",
        available=10,
        sku="SMP-BTK-001",
        wanted=15,
    )
    assert response.status_code == 200
    assert response.context["formset"].forms[0].errors == {"quantity": [message]}
    assert response.context["form"].errors == {}
    assert html(message.split(";")[0]) in response.content.decode()
    assert counts() == before
    assert balances(stocked["lot"]) == {"Gudang": 10}


def test_the_same_sku_on_two_lines_counts_both_against_the_store(client, instructor, stocked):
    # given
    client.force_login(instructor)
    before = counts()

    # when
    response = client.post(
        reverse("backoffice:transfer_create"), send_data(stocked, (stocked["variant"], 6), (stocked["variant"], 6))
    )

    # then
    assert response.context["formset"].forms[0].errors == {
        "quantity": [
            text(
                "%(location)s holds only %(available)s of %(sku)s; %(wanted)s were asked for.",
                location="Gudang",
                available=10,
                sku="SMP-BTK-001",
                wanted=12,
            )
        ]
    }
    assert counts() == before


def test_a_transfer_to_the_same_location_is_refused(client, instructor, stocked):
    # given
    client.force_login(instructor)
    before = counts()

    # when
    response = client.post(
        reverse("backoffice:transfer_create"),
        send_data(stocked, (stocked["variant"], 1)) | {"to_location": stocked["store"].pk},
    )

    # then
    assert response.context["form"].errors == {"to_location": [text("Choose a destination other than the source.")]}
    assert counts() == before


@pytest.fixture
def sent(stocked, instructor):
    transfer = transfer_send(
        actor=instructor,
        from_location=stocked["store"],
        to_location=stocked["showroom"],
        lines=[(stocked["variant"], 4)],
    )
    return stocked | {"transfer": transfer, "line": transfer.lines.get()}


def test_receiving_everything_puts_it_in_the_showroom(client, sent, facility_a):
    # given a production officer at the showroom
    officer = MembershipFactory(organization=facility_a, role=Role.PRODUCTION_OFFICER).user
    client.force_login(officer)
    transfer = sent["transfer"]

    # when
    response = client.post(
        reverse("backoffice:transfer_receive", args=[transfer.number]), {f"line_{sent['line'].pk}": "4"}
    )

    # then
    transfer.refresh_from_db()
    assert response.status_code == 302
    assert (transfer.status, transfer.received_by) == (Transfer.Status.RECEIVED, officer)
    assert balances(sent["lot"]) == {"Gudang": 6, TRANSIT: 0, "Ruang Pamer": 4}
    page = client.get(reverse("backoffice:transfer_detail", args=[transfer.number]))
    assert page.context["receive_form"] is None
    assert page.context["missing"] == 0
    assert 'data-testid="discrepancy"' not in page.content.decode()


def test_a_shortfall_on_receipt_shows_as_a_discrepancy(client, instructor, sent):
    # given
    client.force_login(instructor)
    transfer = sent["transfer"]

    # when
    response = client.post(
        reverse("backoffice:transfer_receive", args=[transfer.number]),
        {f"line_{sent['line'].pk}": "3", "note": "Satu kain hilang"},
    )

    # then
    transfer.refresh_from_db()
    sent["line"].refresh_from_db()
    assert response.status_code == 302
    assert transfer.status == Transfer.Status.DISCREPANCY
    assert (sent["line"].quantity_received, sent["line"].discrepancy) == (3, 1)
    assert balances(sent["lot"]) == {"Gudang": 6, TRANSIT: 0, "Ruang Pamer": 3}
    assert list(StockMovement.objects.filter(kind="ADJUSTED").values_list("location__kind", "quantity")) == [
        ("TRANSIT", -1)
    ]
    sent["variant"].refresh_from_db()
    assert sent["variant"].stock_quantity == 9

    page = client.get(reverse("backoffice:transfer_detail", args=[transfer.number]))
    body = page.content.decode()
    assert page.context["missing"] == 1
    assert 'data-testid="discrepancy"' in body
    assert html("Received with a discrepancy") in body


def test_receiving_more_than_was_sent_is_refused_and_changes_nothing(client, instructor, sent):
    # given
    client.force_login(instructor)
    transfer = sent["transfer"]
    before = counts()

    # when
    response = client.post(
        reverse("backoffice:transfer_receive", args=[transfer.number]), {f"line_{sent['line'].pk}": "5"}
    )

    # then
    assert response.status_code == 200
    assert response.context["receive_form"].non_field_errors() == [
        text(
            "For %(sku)s (lot %(lot)s) enter a number from 0 to %(sent)s.",
            sku="SMP-BTK-001",
            lot=sent["lot"].code,
            sent=4,
        )
    ]
    assert counts() == before
    transfer.refresh_from_db()
    assert transfer.status == Transfer.Status.IN_TRANSIT


def test_the_surat_jalan_is_a_pdf(client, instructor, sent):
    # given
    client.force_login(instructor)

    # when
    response = client.get(reverse("backoffice:transfer_pdf", args=[sent["transfer"].number]))

    # then
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


def test_the_transfer_list_filters_by_status(client, instructor, sent):
    # given
    client.force_login(instructor)

    # when
    everything = client.get(reverse("backoffice:transfers"))
    in_transit = client.get(reverse("backoffice:transfers"), {"status": "IN_TRANSIT"})
    received = client.get(reverse("backoffice:transfers"), {"status": "RECEIVED"})

    # then
    assert [(t.number, t.units) for t in everything.context["page"].object_list] == [(sent["transfer"].number, 4)]
    assert [t.number for t in in_transit.context["page"].object_list] == [sent["transfer"].number]
    assert list(received.context["page"].object_list) == []


def test_another_facilitys_staff_never_see_the_transfer(client, staff_b, sent):
    # given
    client.force_login(staff_b)
    number = sent["transfer"].number
    before = counts()

    # when
    listing = client.get(reverse("backoffice:transfers"))
    responses = [
        client.get(reverse("backoffice:transfer_detail", args=[number])),
        client.get(reverse("backoffice:transfer_pdf", args=[number])),
        client.post(reverse("backoffice:transfer_receive", args=[number]), {f"line_{sent['line'].pk}": "4"}),
    ]
    form = client.get(reverse("backoffice:transfer_create"))

    # then
    assert list(listing.context["page"].object_list) == []
    assert number not in listing.content.decode()
    assert [r.status_code for r in responses] == [404, 404, 404]
    assert form.status_code == 200
    assert "SMP-BTK-001" not in form.content.decode() and "Gudang" not in form.content.decode()
    assert counts() == before


def test_another_facilitys_stock_cannot_be_sent(client, staff_b, stocked, facility_b):
    # given staff of facility B posting A's locations and SKU
    client.force_login(staff_b)
    location_create(actor=None, organization=facility_b, name="Gudang B", kind=Location.Kind.STORE)
    before = counts()

    # when
    response = client.post(reverse("backoffice:transfer_create"), send_data(stocked, (stocked["variant"], 1)))

    # then
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"from_location", "to_location"}
    assert set(response.context["formset"].forms[0].errors) == {"variant"}
    assert counts() == before


def test_an_auditor_may_look_but_not_send(client, facility_a, sent):
    # given
    client.force_login(MembershipFactory(organization=facility_a, role=Role.AUDITOR).user)

    # when
    detail = client.get(reverse("backoffice:transfer_detail", args=[sent["transfer"].number]))
    create = client.get(reverse("backoffice:transfer_create"))
    receive = client.post(
        reverse("backoffice:transfer_receive", args=[sent["transfer"].number]), {f"line_{sent['line'].pk}": "4"}
    )

    # then
    assert detail.status_code == 200
    assert detail.context["receive_form"] is None
    assert (create.status_code, receive.status_code) == (403, 403)
    sent["transfer"].refresh_from_db()
    assert sent["transfer"].status == Transfer.Status.IN_TRANSIT
