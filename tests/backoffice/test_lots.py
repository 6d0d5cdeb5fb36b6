"""Recording a lot from the staff pages, the lot page, its hang tags, adjustments and reversals."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from binakarya.core.models import AuditEvent
from binakarya.documents.models import Document
from binakarya.inventory.models import Location, StockBalance, StockMovement
from binakarya.inventory.services import location_create, stock_adjust
from binakarya.makers.models import Maker
from binakarya.organizations.models import Role
from binakarya.production.models import Contribution, Lot
from tests.backoffice.helpers import html, text
from tests.factories import (
    GroupFactory,
    GroupMembershipFactory,
    MakerFactory,
    MembershipFactory,
    OrganizationFactory,
    ProducerFactory,
    ProducerOrgFactory,
    ProductFactory,
    UmkmProducerFactory,
    UserFactory,
    VariantFactory,
    make_lot,
)

pytestmark = pytest.mark.django_db

JUNE = datetime.date(2025, 6, 1)


@pytest.fixture
def instructor(facility_a):
    user = UserFactory(username="ida", first_name="Ida", last_name="Instruktur")
    MembershipFactory(user=user, organization=facility_a, role=Role.INSTRUCTOR)
    return user


@pytest.fixture
def workshop(facility_a, group_a, producer_a, batik):
    """Kelompok Batik Sumenep: three current members, one former one, a 450,000 batik, a showroom and a store."""
    product = ProductFactory(producer=producer_a, category=batik, name="Kain Batik Sekar Jagad", variants=[])
    variant = VariantFactory(product=product, sku="SMP-BTK-001", price_idr=450_000)
    showroom = location_create(actor=None, organization=facility_a, name="Ruang Pamer", kind=Location.Kind.SHOWROOM)
    store = location_create(actor=None, organization=facility_a, name="Gudang", kind=Location.Kind.STORE)
    members = [
        GroupMembershipFactory(
            group=group_a,
            maker=MakerFactory(organization=facility_a, full_name=name, registration_number=reg),
            joined_date=datetime.date(2025, 2, 1),
        ).maker
        for name, reg in [
            ("Agus Rahasia", "BI-101/2025"),
            ("Bayu Rahasia", "BI-102/2025"),
            ("Cahyo Rahasia", "BI-103/2025"),
        ]
    ]
    former = GroupMembershipFactory(
        group=group_a,
        maker=MakerFactory(organization=facility_a, full_name="Dodi Mantan", registration_number="BI-104/2025"),
        joined_date=datetime.date(2025, 2, 1),
        left_date=datetime.date(2025, 3, 1),
    ).maker
    return {
        "variant": variant,
        "store": store,
        "showroom": showroom,
        "members": members,
        "former": former,
        "group": group_a,
    }


def lot_post(workshop, **overrides):
    agus, bayu, _cahyo = workshop["members"]
    data = {
        "group": f"g{workshop['group'].pk}",
        "variant": workshop["variant"].pk,
        "quantity": "10",
        "quantity_passed": "9",
        "material_cost_idr": "1000000",
        "makers": [agus.pk, bayu.pk],
        f"share_{agus.pk}": "3",
        f"share_{bayu.pk}": "1",
        "location": workshop["store"].pk,
        "started_date": "2025-05-20",
        "finished_date": "2025-06-01",
        "share_basis": "UNITS",
        "notes": "",
    }
    return data | overrides


def counts() -> tuple[int, ...]:
    return tuple(
        model.objects.count() for model in (Lot, Contribution, StockMovement, StockBalance, Document, AuditEvent)
    )


# Recording ----------------------------------------------------------------------------------------


def test_the_form_offers_the_only_group_its_skus_its_current_members_and_the_store(client, instructor, workshop):
    # given
    client.force_login(instructor)
    other_group_variant = VariantFactory(product__producer=ProducerFactory(group=GroupFactory()), sku="OTHER-001")

    # when
    response = client.get(reverse("backoffice:lot_create"))

    # then
    assert response.status_code == 200
    form = response.context["form"]
    assert form.fields["group"].widget.input_type == "hidden"
    assert form.initial["group"] == f"g{workshop['group'].pk}"
    assert form.initial["location"] == workshop["store"]
    assert form.initial["variant"] == workshop["variant"].pk
    assert form.initial["finished_date"] == timezone.localdate()
    assert [row.maker.full_name for row in form.contributor_rows] == ["Agus Rahasia", "Bayu Rahasia", "Cahyo Rahasia"]
    assert [(row.checked, row.share) for row in form.contributor_rows] == [(False, "1")] * 3
    body = response.content.decode()
    assert "SMP-BTK-001 · Kain Batik Sekar Jagad · Rp450.000" in body
    assert "OTHER-001" not in body and other_group_variant.sku not in body
    assert "Dodi Mantan" not in body


def test_an_instructor_records_a_lot(client, instructor, workshop):
    # given
    client.force_login(instructor)
    agus, bayu, _cahyo = workshop["members"]

    # when
    response = client.post(reverse("backoffice:lot_create"), lot_post(workshop))

    # then
    lot = Lot.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("backoffice:lot_detail", args=[lot.code])
    assert (lot.quantity_produced, lot.quantity_passed, lot.material_cost_idr, lot.unit_cost_idr) == (
        10,
        9,
        1_000_000,
        111_111,
    )
    assert (lot.group, lot.instructor, lot.recorded_by) == (workshop["group"], instructor, instructor)
    assert (lot.started_date, lot.finished_date) == (datetime.date(2025, 5, 20), JUNE)
    assert dict(lot.contributions.values_list("maker_id", "share")) == {agus.pk: 3, bayu.pk: 1}
    assert list(StockBalance.objects.values_list("location__name", "quantity")) == [("Gudang", 9)]
    assert list(StockMovement.objects.values_list("kind", "quantity")) == [("PRODUCED", 9)]
    workshop["variant"].refresh_from_db()
    assert workshop["variant"].stock_quantity == 9

    page = client.get(response["Location"])
    body = page.content.decode()
    assert page.context["on_hand"] == 9
    assert '<dd data-testid="unit-cost">Rp111.111</dd>' in body
    assert "Agus Rahasia" in body and "Bayu Rahasia" in body and "Cahyo Rahasia" not in body


def test_quantity_passed_defaults_to_quantity_produced(client, instructor, workshop):
    # given
    client.force_login(instructor)

    # when
    client.post(reverse("backoffice:lot_create"), lot_post(workshop, quantity_passed="", material_cost_idr="450000"))

    # then
    lot = Lot.objects.get()
    assert (lot.quantity_produced, lot.quantity_passed, lot.unit_cost_idr) == (10, 10, 45_000)
    assert StockBalance.objects.get().quantity == 10


def _not_a_member_yet(workshop, facility_a, facility_b):
    late = GroupMembershipFactory(
        group=workshop["group"],
        maker=MakerFactory(organization=facility_a, full_name="Eko Terlambat", registration_number="BI-105/2025"),
        joined_date=datetime.date(2025, 7, 1),
    ).maker
    return (
        {"makers": [late.pk], f"share_{late.pk}": "1"},
        "makers",
        (
            "%(name)s was not a member of %(group)s on the production dates.",
            {"name": "Eko Terlambat", "group": "Kelompok Batik Sumenep"},
        ),
    )


def _maker_of_another_facility(workshop, facility_a, facility_b):
    stranger = MakerFactory(organization=facility_b, full_name="Bambang Rahasia", registration_number="BI-200/2025")
    return (
        {"makers": [stranger.pk], f"share_{stranger.pk}": "1"},
        "makers",
        (
            "Maker #%(id)s is not one of your makers.",
            {"id": stranger.pk},
        ),
    )


def _share_zero(workshop, facility_a, facility_b):
    agus = workshop["members"][0]
    return {"makers": [agus.pk], f"share_{agus.pk}": "0"}, "makers", ("Every share must be more than zero.", {})


def _variant_of_another_producer(workshop, facility_a, facility_b):
    pecut = ProducerFactory(group=GroupFactory(organization=facility_a, name="Kelompok Pecut"), name="Kelompok Pecut")
    variant = VariantFactory(product__producer=pecut, sku="SMP-PCT-001")
    return (
        {"variant": variant.pk},
        "variant",
        (
            "SKU %(sku)s is made by %(producer)s, not by %(group)s.",
            {"sku": "SMP-PCT-001", "producer": "Kelompok Pecut", "group": "Kelompok Batik Sumenep"},
        ),
    )


def _no_maker_ticked(workshop, facility_a, facility_b):
    return {"makers": []}, "makers", ("Name at least one maker who made this lot.", {})


def _more_passed_than_produced(workshop, facility_a, facility_b):
    return (
        {"quantity_passed": "11"},
        "quantity_passed",
        (
            "More units cannot pass quality control than were produced.",
            {},
        ),
    )


@pytest.mark.parametrize(
    "refusal",
    [
        _not_a_member_yet,
        _maker_of_another_facility,
        _share_zero,
        _variant_of_another_producer,
        _no_maker_ticked,
        _more_passed_than_produced,
    ],
)
def test_a_refused_lot_saves_nothing_and_says_why_next_to_the_field(
    client, instructor, workshop, facility_a, facility_b, refusal
):
    # given
    client.force_login(instructor)
    changes, field, (message, params) = refusal(workshop, facility_a, facility_b)
    before = counts()

    # when
    response = client.post(reverse("backoffice:lot_create"), lot_post(workshop) | changes)

    # then
    assert response.status_code == 200
    assert response.context["form"].errors == {field: [text(message, **params)]}
    assert html(message, **params) in response.content.decode()
    assert counts() == before
    workshop["variant"].refresh_from_db()
    assert workshop["variant"].stock_quantity == 0


def test_a_ticked_maker_keeps_the_share_typed_when_the_form_comes_back(client, instructor, workshop):
    # given
    client.force_login(instructor)
    agus, bayu, _cahyo = workshop["members"]

    # when
    response = client.post(reverse("backoffice:lot_create"), lot_post(workshop, material_cost_idr="-5"))

    # then
    assert Lot.objects.count() == 0
    rows = {row.maker: (row.checked, row.share) for row in response.context["form"].contributor_rows}
    assert rows == {agus: (True, "3"), bayu: (True, "1"), workshop["members"][2]: (False, "1")}
    assert list(response.context["form"].errors) == ["material_cost_idr"]


@pytest.fixture
def second_group(facility_a):
    group = GroupFactory(organization=facility_a, name="Kelompok Rajut")
    producer = ProducerFactory(group=group, name="Kelompok Rajut")
    VariantFactory(product=ProductFactory(producer=producer, name="Boneka Rajut", variants=[]), sku="SMP-RJT-001")
    GroupMembershipFactory(
        group=group,
        maker=MakerFactory(organization=facility_a, full_name="Fajar Perajut"),
        joined_date=datetime.date(2025, 1, 20),
    )
    return group


def test_changing_the_group_with_htmx_redraws_only_the_form_for_that_group(client, instructor, workshop, second_group):
    # given
    client.force_login(instructor)
    data = lot_post(workshop, group=f"g{second_group.pk}", _refresh="1")
    before = counts()

    # when
    response = client.post(reverse("backoffice:lot_create"), data, headers={"HX-Request": "true"})

    # then
    body = response.content.decode()
    assert response.status_code == 200
    assert body.startswith('<form id="lot-form"')
    assert "SMP-RJT-001" in body and "SMP-BTK-001" not in body
    assert "Fajar Perajut" in body and "Agus Rahasia" not in body
    assert response.context["form"].errors == {}
    assert response.context["form"].initial["quantity"] == "10"
    assert counts() == before


def test_without_javascript_the_group_is_chosen_first_then_the_rest(client, instructor, workshop, second_group):
    # given the first visit offers both groups and a button to show the chosen group's products
    client.force_login(instructor)
    first = client.get(reverse("backoffice:lot_create"))
    assert first.context["form"].fields["group"].choices == [
        (f"g{workshop['group'].pk}", "Kelompok Batik Sumenep"),
        (f"g{second_group.pk}", "Kelompok Rajut"),
    ]
    assert 'name="_refresh"' in first.content.decode()

    # when the user picks the second group and presses it
    second = client.post(reverse("backoffice:lot_create"), {"group": f"g{second_group.pk}", "_refresh": "1"})

    # then the whole page comes back for that group, and the lot is saved on the next press
    assert "<html" in second.content.decode()
    assert [row.maker.full_name for row in second.context["form"].contributor_rows] == ["Fajar Perajut"]
    fajar = second.context["form"].contributor_rows[0].maker
    rajut = second_group.producer.products.get().variants.get()
    response = client.post(
        reverse("backoffice:lot_create"),
        lot_post(
            workshop, group=f"g{second_group.pk}", variant=rajut.pk, makers=[fajar.pk], **{f"share_{fajar.pk}": "2"}
        ),
    )
    lot = Lot.objects.get()
    assert response.status_code == 302
    assert (lot.group, lot.variant) == (second_group, rajut)


def test_an_umkm_operator_records_a_lot_made_by_its_artisans(client):
    # given
    umkm = ProducerOrgFactory(name="Batik Sekar Kopi")
    producer = UmkmProducerFactory(organization=umkm, slug="batik-sekar-kopi")
    variant = VariantFactory(product=ProductFactory(producer=producer, variants=[]), sku="TMN-BTK-001")
    store = location_create(actor=None, organization=umkm, name="Gudang Tamanan", kind=Location.Kind.STORE)
    artisans = [
        MakerFactory(organization=umkm, kind=Maker.Kind.ARTISAN, full_name=name, registration_number="")
        for name in ("Bu Sri", "Bu Tini")
    ]
    client.force_login(MembershipFactory(organization=umkm, role=Role.PRODUCER_OPERATOR).user)
    form = client.get(reverse("backoffice:lot_create")).context["form"]
    assert form.initial["group"] == f"o{umkm.pk}"
    assert [row.maker for row in form.contributor_rows] == artisans

    # when
    response = client.post(
        reverse("backoffice:lot_create"),
        {
            "group": f"o{umkm.pk}",
            "variant": variant.pk,
            "quantity": "5",
            "material_cost_idr": "250000",
            "makers": [artisans[1].pk],
            f"share_{artisans[1].pk}": "1",
            "location": store.pk,
            "started_date": "2025-06-01",
            "finished_date": "2025-06-01",
            "share_basis": "HOURS",
        },
    )

    # then
    lot = Lot.objects.get()
    assert response.status_code == 302
    assert (lot.organization, lot.group, lot.share_basis, lot.unit_cost_idr) == (umkm, None, "HOURS", 50_000)
    assert list(lot.contributions.values_list("maker__full_name", "share")) == [("Bu Tini", 1)]
    assert StockBalance.objects.get().location == store


def test_an_auditor_may_not_record_a_lot(client, facility_a, workshop):
    # given
    client.force_login(MembershipFactory(organization=facility_a, role=Role.AUDITOR).user)

    # when
    response = client.post(reverse("backoffice:lot_create"), lot_post(workshop))

    # then
    assert response.status_code == 403
    assert Lot.objects.count() == 0


# The lot page -------------------------------------------------------------------------------------


@pytest.fixture
def lot(workshop):
    return make_lot(
        variant=workshop["variant"],
        group=workshop["group"],
        location=workshop["store"],
        quantity=10,
        passed=9,
        cost=900_000,
        makers=workshop["members"][:2],
        finished=JUNE,
    )


def test_the_lot_page_shows_quantities_stock_and_history(client_a, lot, workshop):
    # when
    response = client_a.get(reverse("backoffice:lot_detail", args=[lot.code.lower()]), follow=True)

    # then
    assert response.redirect_chain == [(reverse("backoffice:lot_detail", args=[lot.code]), 302)]
    body = response.content.decode()
    assert [(b.location.name, b.quantity) for b in response.context["balances"]] == [("Gudang", 9)]
    assert [(m.kind, m.quantity) for m in response.context["movements"]] == [("PRODUCED", 9)]
    assert [c.maker.full_name for c in response.context["contributions"]] == ["Agus Rahasia", "Bayu Rahasia"]
    assert '<dd data-testid="unit-cost">Rp100.000</dd>' in body
    assert "Kelompok Batik Sumenep" in body and "Rutan Kelas IIB Sumenep" in body
    assert response.context["tags_form"].initial == {"count": 9}


def test_a_regional_viewer_sees_the_lot_but_not_who_made_it(client, lot, workshop):
    # given
    kanwil = OrganizationFactory(kind="AGENCY", name="Kanwil Jawa Timur", province="Jawa Timur")
    viewer = MembershipFactory(organization=kanwil, role=Role.REGIONAL_VIEWER).user
    client.force_login(viewer)

    # when
    response = client.get(reverse("backoffice:lot_detail", args=[lot.code]))

    # then
    body = response.content.decode()
    assert response.status_code == 200
    assert response.context["contributions"] == []
    for secret in ("Agus Rahasia", "Bayu Rahasia", "BI-101/2025"):
        assert secret not in body
    assert response.context["can_record"] is False
    assert "Print hang tags" not in body


def test_printing_hang_tags_issues_a_sheet_and_serves_its_pdf(client, instructor, lot):
    # given
    client.force_login(instructor)

    # when
    response = client.post(reverse("backoffice:lot_tags", args=[lot.code]), {"count": "3"})

    # then
    document = Document.objects.get(kind=Document.Kind.TAG_SHEET)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'attachment; filename="label-{lot.code}-{document.number}.pdf"'
    assert response.content.startswith(b"%PDF")
    assert document.public_figures == {
        "lot": lot.code,
        "product": "Kain Batik Sekar Jagad",
        "sku": "SMP-BTK-001",
        "price_idr": 450_000,
        "tags": 3,
    }

    page = client.get(reverse("backoffice:lot_detail", args=[lot.code]))
    assert list(page.context["tag_sheets"]) == [document]
    again = client.get(reverse("backoffice:lot_tags_pdf", args=[lot.code, document.pk]))
    assert (again.status_code, again.content[:4]) == (200, b"%PDF")
    assert Document.objects.count() == 1


def test_zero_tags_is_refused_next_to_the_count(client, instructor, lot):
    # given
    client.force_login(instructor)

    # when
    response = client.post(reverse("backoffice:lot_tags", args=[lot.code]), {"count": "0"})

    # then
    assert response.status_code == 200
    assert response.context["tags_form"].errors == {"count": [text("Print between 1 and %(max)s tags.", max=600)]}
    assert Document.objects.count() == 0


def test_an_adjustment_with_a_reason_changes_the_stock(client, instructor, lot, workshop):
    # given
    client.force_login(instructor)

    # when
    response = client.post(
        reverse("backoffice:lot_adjust", args=[lot.code]),
        {"location": workshop["store"].pk, "direction": "REMOVE", "quantity": "2", "reason": "Sampel untuk pameran"},
    )

    # then
    assert response.status_code == 302
    assert StockBalance.objects.get(lot=lot).quantity == 7
    assert list(StockMovement.objects.filter(kind="ADJUSTED").values_list("quantity", "reason", "created_by")) == [
        (-2, "Sampel untuk pameran", instructor.pk)
    ]


@pytest.mark.parametrize(
    ("data", "field", "message", "params"),
    [
        ({"quantity": "2", "reason": ""}, "reason", "Say why the stock is adjusted.", {}),
        (
            {"quantity": "12", "reason": "Hilang"},
            "quantity",
            "%(location)s holds only %(held)s of lot %(lot)s; %(wanted)s cannot be removed.",
            {"location": "Gudang", "held": 9, "wanted": 12},
        ),
    ],
    ids=["no reason", "more than on hand"],
)
def test_a_refused_adjustment_changes_nothing(client, instructor, lot, workshop, data, field, message, params):
    # given
    client.force_login(instructor)
    before = counts()

    # when
    response = client.post(
        reverse("backoffice:lot_adjust", args=[lot.code]),
        {"location": workshop["store"].pk, "direction": "REMOVE"} | data,
    )

    # then
    assert response.status_code == 200
    params = params | ({"lot": lot.code} if "lot" in message else {})
    assert response.context["adjust_form"].errors == {field: [text(message, **params)]}
    assert counts() == before
    assert StockBalance.objects.get(lot=lot).quantity == 9


def test_a_mistaken_adjustment_is_reversed_from_the_lot_page(client, instructor, lot, workshop):
    # given
    produced = lot.movements.get()
    mistake = stock_adjust(actor=None, lot=lot, location=workshop["store"], quantity=-4, reason="Salah hitung")
    client.force_login(instructor)
    page = client.get(reverse("backoffice:lot_detail", args=[lot.code]))
    assert {m.pk: m.reversible for m in page.context["movements"]} == {
        mistake.pk: True,
        produced.pk: True,
    }

    # when
    refused = client.post(reverse("backoffice:movement_reverse", args=[lot.code, mistake.pk]), {"reason": ""})
    response = client.post(reverse("backoffice:movement_reverse", args=[lot.code, mistake.pk]), {"reason": "Keliru"})

    # then
    assert refused.context["reverse_form"].errors == {"reason": [text("Say why the movement is reversed.")]}
    assert response.status_code == 302
    assert StockBalance.objects.get(lot=lot).quantity == 9
    reversal = StockMovement.objects.get(kind="REVERSAL")
    assert (reversal.quantity, reversal.reverses_id, reversal.reason) == (4, mistake.pk, "Keliru")
    page = client.get(reverse("backoffice:lot_detail", args=[lot.code]))
    assert {m.pk: m.reversible for m in page.context["movements"]} == {
        reversal.pk: False,
        mistake.pk: False,
        produced.pk: True,
    }


# Another facility ---------------------------------------------------------------------------------


def test_another_facilitys_staff_never_see_the_lot(client, staff_b, lot, workshop):
    # given
    client.force_login(staff_b)
    before = counts()
    produced = lot.movements.get()

    # when
    listing = client.get(reverse("backoffice:lots"))
    searched = client.get(reverse("backoffice:lots"), {"q": lot.code})
    responses = [
        client.get(reverse("backoffice:lot_detail", args=[lot.code])),
        client.post(reverse("backoffice:lot_tags", args=[lot.code]), {"count": "1"}),
        client.post(
            reverse("backoffice:lot_adjust", args=[lot.code]),
            {"location": workshop["store"].pk, "direction": "REMOVE", "quantity": "1", "reason": "x"},
        ),
        client.post(reverse("backoffice:movement_reverse", args=[lot.code, produced.pk]), {"reason": "x"}),
    ]

    # then
    assert list(listing.context["page"].object_list) == []
    assert list(searched.context["page"].object_list) == []
    assert lot.code not in listing.content.decode()
    assert "Kain Batik Sekar Jagad" not in listing.content.decode() + searched.content.decode()
    assert [r.status_code for r in responses] == [404, 404, 404, 404]
    assert counts() == before


def test_the_lot_list_filters_by_code_product_and_group(client_a, lot, workshop, second_group):
    # given
    rajut = second_group.producer.products.get().variants.get()
    location = workshop["store"]
    other = make_lot(variant=rajut, group=second_group, location=location, quantity=4, cost=40_000, finished=JUNE)

    # when
    everything = client_a.get(reverse("backoffice:lots"))
    by_code = client_a.get(reverse("backoffice:lots"), {"q": other.code.lower()})
    by_product = client_a.get(reverse("backoffice:lots"), {"q": "sekar"})
    by_group = client_a.get(reverse("backoffice:lots"), {"kelompok": second_group.pk})

    # then
    assert {x.code: x.on_hand for x in everything.context["page"].object_list} == {lot.code: 9, other.code: 4}
    assert [x.code for x in by_code.context["page"].object_list] == [other.code]
    assert [x.code for x in by_product.context["page"].object_list] == [lot.code]
    assert [x.code for x in by_group.context["page"].object_list] == [other.code]
