"""The pro-forma invoice and its packing list: the figures in rupiah and in the buyer's currency, exact; weights
and volume from the export data; the rate kept; bad input refused with nothing saved; another seller refused."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from binakarya.catalog.export_services import exchange_rate_create
from binakarya.core.models import AuditEvent
from binakarya.documents.models import Document
from binakarya.exports import amounts
from binakarya.exports.models import ExportInquiry, PackingList, Proforma, ProformaLine
from binakarya.exports.services import (
    Buyer,
    InquiryLineInput,
    ProformaInput,
    ProformaLineInput,
    inquiry_close,
    inquiry_submit,
    proforma_issue,
)

BUYER = Buyer("Kyoto Crafts K.K.", "Yuki Tanaka", "yuki@kyoto-crafts.example")


@pytest.fixture
def inquiry(world):
    return inquiry_submit(
        actor=None,
        buyer=BUYER,
        country="JP",
        incoterm="FOB",
        place="Tanjung Perak, Surabaya",
        lines=[InquiryLineInput("SMP-PCT-001", 60), InquiryLineInput("SMP-LYG-001", 25)],
        language="en",
    )


def nothing_issued():
    return not (
        Proforma.objects.exists()
        or ProformaLine.objects.exists()
        or PackingList.objects.exists()
        or Document.objects.filter(kind__in=["PROFORMA", "PACKING_LIST"]).exists()
    )


def test_a_usd_proforma_from_the_inquiry_at_list_prices(world, inquiry, today):
    proforma = proforma_issue(actor=world["admin"], inquiry=inquiry, data=ProformaInput(), today=today)

    # 60 whips at Rp125.000 = Rp7.500.000; 25 kites at Rp80.000 = Rp2.000.000
    assert (proforma.subtotal_idr, proforma.freight_idr, proforma.insurance_idr, proforma.total_idr) == (
        9_500_000,
        0,
        0,
        9_500_000,
    )
    # Rp125.000 / 16.250 = 7.6923 -> US$7.69 (x 60 = 461.40); Rp80.000 / 16.250 = 4.923 -> US$4.92 (x 25 = 123.00)
    lines = list(proforma.lines.order_by("pk"))
    assert [(line.unit_price_foreign, line.amount_foreign) for line in lines] == [
        (Decimal("7.69"), Decimal("461.40")),
        (Decimal("4.92"), Decimal("123.00")),
    ]
    assert proforma.total_foreign == Decimal("584.40")
    assert (proforma.currency, proforma.idr_per_unit, proforma.exchange_rate, proforma.rate_date) == (
        "USD",
        Decimal("16250.00"),
        world["usd"],
        today.replace(day=1),
    )
    assert (proforma.incoterm, proforma.place) == ("FOB", "Tanjung Perak, Surabaya")
    assert proforma.payment_terms == "50% T/T in advance, balance by T/T before shipment."
    assert proforma.valid_until == today + datetime.timedelta(days=30)
    assert [(line.description, line.hs_code) for line in lines] == [
        ("Sumenep cattle whip", "6602.00"),
        ("Dragon kite", "9503.00"),
    ]
    # packing: one unit a package; 60 x 400/550 g + 25 x 250/400 g; 60 x 120x10x8 cm + 25 x 80x60x5 cm
    assert proforma.packages == 85
    assert (proforma.net_weight_grams, proforma.gross_weight_grams) == (30_250, 43_000)
    assert proforma.volume_mm3 == 60 * 1200 * 100 * 80 + 25 * 800 * 600 * 50
    assert amounts.cubic_metres(proforma.volume_mm3) == Decimal("1.176")
    inquiry.refresh_from_db()
    assert inquiry.status == ExportInquiry.Status.QUOTED
    packing = proforma.packing_list
    assert proforma.number == f"PI-SMP-{today.year}-00001" and packing.number == f"PL-SMP-{today.year}-00001"
    assert proforma.document.kind == "PROFORMA" and packing.document.kind == "PACKING_LIST"
    assert proforma.document.verify_code != packing.document.verify_code
    assert proforma.document.public_figures == {
        "date": today.isoformat(),
        "valid_until": (today + datetime.timedelta(days=30)).isoformat(),
        "currency": "USD",
        "total": "USD 584.40",
        "total_idr": 9_500_000,
        "incoterm": "FOB Tanjung Perak, Surabaya",
        "items": 2,
        "units": 85,
    }
    assert packing.document.public_figures["packages"] == 85
    assert packing.document.public_figures["gross_kg"] == "43.000"
    assert AuditEvent.objects.filter(action="exports.proforma_issue").count() == 1


def test_cif_adds_freight_and_insurance_in_yen_to_whole_yen(world, inquiry, today):
    proforma = proforma_issue(
        actor=world["admin"],
        inquiry=inquiry,
        data=ProformaInput(
            currency="JPY",
            incoterm="CIF",
            place="Osaka",
            freight_idr=4_500_000,
            insurance_idr=95_000,
            lines=[ProformaLineInput("SMP-PCT-001", 50, 120_000)],
        ),
        today=today,
    )

    # Rp120.000 / 108,45 = 1106.50... -> ¥1,107 (x 50 = 55,350); Rp4.500.000 -> ¥41,494; Rp95.000 -> ¥876
    assert proforma.lines.get().unit_price_foreign == Decimal("1107")
    assert (proforma.subtotal_foreign, proforma.freight_foreign, proforma.insurance_foreign) == (
        Decimal("55350"),
        Decimal("41494"),
        Decimal("876"),
    )
    assert proforma.total_foreign == Decimal("97720")
    assert proforma.total_idr == 6_000_000 + 4_500_000 + 95_000
    assert proforma.document.public_figures["total"] == "JPY 97,720"


def test_rupiah_needs_no_rate(world, inquiry, today):
    proforma = proforma_issue(actor=world["admin"], inquiry=inquiry, data=ProformaInput(currency="IDR"), today=today)

    assert (proforma.exchange_rate, proforma.idr_per_unit, proforma.rate_date) == (None, Decimal(1), None)
    assert proforma.total_foreign == Decimal(proforma.total_idr) == Decimal(9_500_000)


def test_a_newer_rate_is_the_one_used_and_kept(world, inquiry, today):
    newer = exchange_rate_create(
        actor=None, organization=world["facility"], currency="USD", idr_per_unit=Decimal("16000"), effective_date=today
    )

    proforma = proforma_issue(actor=world["admin"], inquiry=inquiry, data=ProformaInput(), today=today)

    assert proforma.exchange_rate == newer
    assert proforma.lines.order_by("pk").first().unit_price_foreign == Decimal("7.81")  # 125.000 / 16.000


def test_bad_input_is_refused_in_english_and_nothing_is_issued(world, inquiry, today):
    with translation.override("en"), pytest.raises(ValidationError) as caught:
        proforma_issue(
            actor=world["admin"],
            inquiry=inquiry,
            data=ProformaInput(
                currency="EUR",
                incoterm="CIF",
                place="Rotterdam",
                payment_terms=" ",
                valid_days=0,
                lines=[
                    ProformaLineInput("SMP-RJT-001", 10, 90_000),
                    ProformaLineInput("BDW-BTK-001", 10, 350_000),
                    ProformaLineInput("SMP-PCT-001", 0, 0),
                ],
            ),
            today=today,
        )

    assert caught.value.message_dict == {
        "currency": ["Rutan Kelas IIB Sumenep has no EUR rate in force. Enter one on the exchange rates page first."],
        "payment_terms": ["Enter the payment terms, e.g. 50% T/T in advance."],
        "valid_days": ["Enter between 1 and 365 days."],
        "freight_idr": ["CIF includes the freight to the port of destination: enter it."],
        "insurance_idr": ["CIF includes the insurance: enter its premium."],
        "lines": [
            "Item 1: enter the export data of Tas Rajut first (HS code, net and gross weight, package size).",
            "Item 2: Rutan Kelas IIB Sumenep has no product with SKU BDW-BTK-001.",
            "Item 3: enter a quantity of at least 1.",
            "Item 3: enter a unit price above Rp0.",
        ],
    }
    assert nothing_issued()
    inquiry.refresh_from_db()
    assert inquiry.status == "NEW"


def test_freight_under_fob_is_refused_in_indonesian(world, inquiry, today):
    with translation.override("id"), pytest.raises(ValidationError) as caught:
        proforma_issue(actor=world["admin"], inquiry=inquiry, data=ProformaInput(freight_idr=1_000_000), today=today)

    assert caught.value.message_dict == {"freight_idr": ["Dengan FOB ongkos angkut dibayar pembeli: biarkan 0."]}
    assert nothing_issued()


def test_another_sellers_staff_may_not_issue(world, inquiry, today):
    with pytest.raises(PermissionDenied):
        proforma_issue(actor=world["other_admin"], inquiry=inquiry, data=ProformaInput(), today=today)

    assert nothing_issued()


def test_a_closed_inquiry_takes_no_proforma(world, inquiry, today):
    inquiry_close(actor=world["admin"], inquiry=inquiry)

    with translation.override("en"), pytest.raises(ValidationError) as caught:
        proforma_issue(actor=world["admin"], inquiry=inquiry, data=ProformaInput(), today=today)

    assert caught.value.message_dict == {"status": ["This inquiry is closed: reopen talks with a new inquiry."]}
    assert nothing_issued()


def test_amounts_add_up_in_both_currencies():
    figures = amounts.proforma_amounts(
        lines=[(3, 100_001), (7, 33_333)],
        freight_idr=1,
        insurance_idr=0,
        idr_per_unit=Decimal("15999.99"),
        currency="USD",
    )

    assert figures.total_idr == 3 * 100_001 + 7 * 33_333 + 1
    assert figures.subtotal_foreign == sum(line.unit_price_foreign * line.quantity for line in figures.lines)
    assert figures.total_foreign == figures.subtotal_foreign + figures.freight_foreign + figures.insurance_foreign
    assert [line.unit_price_foreign for line in figures.lines] == [Decimal("6.25"), Decimal("2.08")]
    assert figures.freight_foreign == Decimal("0.00")
