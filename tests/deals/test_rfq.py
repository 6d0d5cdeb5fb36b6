"""Requests for quotation: what is kept, and bad input refused in the buyer's language with nothing saved."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from binakarya.core.audit import AuditAction, AuditEvent
from binakarya.deals.models import Rfq, RfqLine
from binakarya.deals.services import Contact, RfqLineInput, rfq_submit


def submit(today, **overrides):
    fields = {
        "actor": None,
        "agency": "DLH PKP Kabupaten Purbalingga",
        "contact": Contact("Ibu Sri", "0812-3456-7890", "sri@example.go.id"),
        "lines": [RfqLineInput("PBG-TSB-001", "", 36), RfqLineInput("", "Pengki bambu besar", 60)],
        "delivery_place": "Taman Kota Usman Janatin, Purbalingga",
        "needed_by": today + datetime.timedelta(days=30),
        "today": today,
    }
    return rfq_submit(**(fields | overrides))


def test_a_request_names_the_seller_of_its_skus_and_keeps_each_line(world, today):
    # when
    rfq = submit(today)

    # then
    assert rfq.organization == world["facility"]
    assert rfq.number.startswith("RFQ-PBG-")
    assert rfq.contact_phone == "+6281234567890"
    assert rfq.status == Rfq.Status.NEW
    lines = list(rfq.lines.all())
    assert [(line.variant, line.description, line.quantity) for line in lines] == [
        (world["bin"], "Tempat Sampah Bambu", 36),
        (None, "Pengki bambu besar", 60),
    ]
    assert AuditEvent.objects.filter(action=AuditAction.RFQ_SUBMIT).count() == 1


def test_a_request_of_free_descriptions_goes_to_the_seller_chosen(world, today):
    rfq = submit(today, lines=[RfqLineInput("", "Batik seragam", 400)], seller=world["facility"])
    assert rfq.organization == world["facility"]


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"agency": " "}, "agency", "Isi nama instansi atau perusahaan."),
        ({"contact": Contact("Ibu Sri", "12ab", "")}, "phone", "Masukkan nomor telepon"),
        ({"contact": Contact("Ibu Sri", "0812 3456 7890", "bukan-email")}, "email", "alamat email"),
        ({"lines": []}, "lines", "Tambahkan setidaknya satu barang."),
        ({"lines": [RfqLineInput("TIDAK-ADA", "", 3)]}, "lines", "TIDAK-ADA"),
        ({"lines": [RfqLineInput("PBG-TSB-001", "", 0)]}, "lines", "jumlah"),
        ({"lines": [RfqLineInput("", "Batik", 5)]}, "seller", "Pilih penjual"),
        ({"delivery_place": ""}, "delivery_place", "Isi tempat pengiriman barang."),
        ({"needed_by": datetime.date(2020, 1, 1)}, "needed_by", "lampau"),
    ],
)
def test_bad_input_is_refused_in_indonesian_and_nothing_is_saved(world, today, overrides, field, message):
    # when
    with translation.override("id"), pytest.raises(ValidationError) as caught:
        submit(today, **overrides)

        # then
    texts = " ".join(m for e in caught.value.error_dict[field] for m in e.messages)
    assert message.lower() in texts.lower()
    assert Rfq.objects.count() == 0
    assert RfqLine.objects.count() == 0


def test_english_messages_for_an_english_buyer(world, today):
    with translation.override("en"), pytest.raises(ValidationError) as caught:
        submit(today, agency="")
    assert caught.value.message_dict["agency"] == ["Enter the agency or company."]


def test_products_of_two_sellers_in_one_request_are_refused(world, today):
    from tests.factories import ProductFactory

    foreign = ProductFactory(photos=1, variants=[90_000]).variants.get()
    with pytest.raises(ValidationError) as caught:
        submit(today, lines=[RfqLineInput("PBG-TSB-001", "", 1), RfqLineInput(foreign.sku, "", 1)])
    assert "seller" in caught.value.error_dict
    assert Rfq.objects.count() == 0
