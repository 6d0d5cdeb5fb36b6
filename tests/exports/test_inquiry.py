"""An export inquiry: what is kept, the export minimum, bad input refused in Indonesian and English with nothing
saved, one seller at a time, and the buyer's email."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from binakarya.core.models import AuditEvent
from binakarya.exports.models import ExportInquiry, ExportInquiryLine
from binakarya.exports.services import Buyer, InquiryLineInput, inquiry_submit

BUYER = Buyer("Kyoto Crafts K.K.", "Yuki Tanaka", "yuki@kyoto-crafts.example", "+81 75 123 4567")


def submit(**changes):
    values = {
        "actor": None,
        "buyer": BUYER,
        "country": "jp",
        "incoterm": "fob",
        "place": " Tanjung  Perak, Surabaya ",
        "lines": [InquiryLineInput("SMP-PCT-001", 60), InquiryLineInput("SMP-LYG-001", 20)],
        "note": "Souvenirs for an airline.",
        "language": "en",
    }
    return inquiry_submit(**(values | changes))


def test_an_inquiry_is_kept_with_its_lines_and_numbered(world, today, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        inquiry = submit()

    assert inquiry.organization == world["facility"]
    assert inquiry.number == f"EXI-SMP-{today.year}-00001"
    assert (inquiry.company, inquiry.contact_name, inquiry.contact_email, inquiry.contact_phone) == (
        "Kyoto Crafts K.K.",
        "Yuki Tanaka",
        "yuki@kyoto-crafts.example",
        "+81751234567",
    )
    assert (inquiry.country, inquiry.incoterm, inquiry.place, inquiry.status) == (
        "JP",
        "FOB",
        "Tanjung Perak, Surabaya",
        "NEW",
    )
    assert len(inquiry.token) >= 30
    assert [(line.variant.sku, line.description, line.quantity) for line in inquiry.lines.all()] == [
        ("SMP-PCT-001", "Sumenep cattle whip", 60),
        ("SMP-LYG-001", "Dragon kite", 20),
    ]
    assert AuditEvent.objects.filter(action="exports.inquiry_submit", object_id=str(inquiry.pk)).count() == 1
    assert len(callbacks) == 1  # the buyer's acknowledgement, sent after commit


def test_the_buyers_email_carries_their_link(world, mailoutbox):
    from binakarya.exports.notifications import inquiry_email_send

    inquiry = submit()

    assert inquiry_email_send.call(inquiry.pk, "received") is True
    (mail,) = mailoutbox
    assert mail.to == ["yuki@kyoto-crafts.example"]
    assert inquiry.number in mail.subject
    assert f"/en/ekspor/dokumen/{inquiry.token}/" in mail.body
    assert "Rutan Kelas IIB Sumenep" in mail.body


def test_under_the_export_minimum_is_refused_naming_the_minimum(world):
    with translation.override("en"), pytest.raises(ValidationError) as caught:
        submit(lines=[InquiryLineInput("SMP-PCT-001", 30), InquiryLineInput("SMP-PCT-001", 19)])

    assert caught.value.message_dict == {
        "lines": ["The minimum export order of Sumenep cattle whip is 50 units; you asked for 49."]
    }
    assert not ExportInquiry.objects.exists()


def test_the_minimum_counts_a_products_lines_together(world):
    inquiry = submit(lines=[InquiryLineInput("SMP-PCT-001", 30), InquiryLineInput("SMP-PCT-001", 20)])

    assert sum(line.quantity for line in inquiry.lines.all()) == 50


def test_bad_input_is_refused_in_english_field_by_field_and_nothing_is_saved(world):
    with translation.override("en"), pytest.raises(ValidationError) as caught:
        submit(
            buyer=Buyer(" ", "", "not-an-email", "abc"),
            country="ID",
            incoterm="DDP",
            place="",
            lines=[InquiryLineInput("SMP-RJT-001", 5), InquiryLineInput("SMP-LYG-001", 0)],
        )

    assert caught.value.message_dict == {
        "company": ["Enter your company."],
        "name": ["Enter the contact's name."],
        "email": ["Enter a valid email address, e.g. buyer@example.com."],
        "phone": ["Enter the phone number with its country code, e.g. +81 3 1234 5678, or leave it empty."],
        "country": ["Indonesia is not an export destination: use the catalog or ask for a quotation."],
        "incoterm": ["Choose an Incoterm: EXW, FOB or CIF."],
        "place": ["Name the port or place for the Incoterm, e.g. Tanjung Perak, Surabaya (FOB)."],
        "lines": [
            "Item 1: no product with SKU SMP-RJT-001 is offered for export.",
            "Item 2: enter a quantity of at least 1.",
        ],
    }
    assert not ExportInquiry.objects.exists() and not ExportInquiryLine.objects.exists()
    assert not AuditEvent.objects.filter(action="exports.inquiry_submit").exists()


def test_bad_input_is_refused_in_indonesian(world):
    with translation.override("id"), pytest.raises(ValidationError) as caught:
        submit(buyer=Buyer("", "Yuki", "yuki@kyoto-crafts.example"), country="XX", lines=[])

    assert caught.value.message_dict == {
        "company": ["Isi nama perusahaan Anda."],
        "country": ["Pilih negara dari daftar."],
        "lines": ["Tambahkan sedikitnya satu produk."],
    }
    assert not ExportInquiry.objects.exists()


def test_the_minimum_message_in_indonesian_names_the_indonesian_product(world):
    with translation.override("id"), pytest.raises(ValidationError) as caught:
        submit(lines=[InquiryLineInput("SMP-LYG-001", 5)])

    assert caught.value.message_dict["lines"] == [
        "Pesanan ekspor minimal Layang-layang Naga adalah 20 unit; Anda meminta 5."
    ]


def test_one_seller_at_a_time(world):
    with translation.override("en"), pytest.raises(ValidationError) as caught:
        submit(lines=[InquiryLineInput("SMP-PCT-001", 50), InquiryLineInput("BDW-BTK-001", 10)])

    assert caught.value.message_dict == {
        "lines": ["Ask one seller at a time: these products come from different sellers."]
    }
    assert not ExportInquiry.objects.exists()
