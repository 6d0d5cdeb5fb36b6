"""The staff's export pages: the inquiries, one inquiry with its checklist, issuing a pro-forma from the form
(refused input shown next to its field, nothing issued), the PDFs, the settings; another seller's staff 404."""

import pytest
from django.urls import reverse

from binakarya.exports.models import ChecklistMark, ExporterSettings, Proforma
from binakarya.exports.services import Buyer, InquiryLineInput, inquiry_submit
from tests.exports.world import MAKER_NAMES


@pytest.fixture
def inquiry(world):
    return inquiry_submit(
        actor=None,
        buyer=Buyer("Kyoto Crafts K.K.", "Yuki Tanaka", "yuki@kyoto-crafts.example"),
        country="JP",
        incoterm="FOB",
        place="Tanjung Perak, Surabaya",
        lines=[InquiryLineInput("SMP-PCT-001", 60), InquiryLineInput("SMP-LYG-001", 25)],
        language="en",
    )


@pytest.fixture
def staff(client, world):
    client.force_login(world["admin"])
    return client


def form_post(inquiry, **changes):
    data = {
        "rows": "2",
        "sku_0": "SMP-PCT-001",
        "quantity_0": "60",
        "price_0": "125.000",
        "sku_1": "SMP-LYG-001",
        "quantity_1": "25",
        "price_1": "80.000",
        "currency": "USD",
        "incoterm": "FOB",
        "place": "Tanjung Perak, Surabaya",
        "payment_terms": "50% T/T in advance, balance by T/T before shipment.",
        "valid_days": "30",
        "freight_idr": "",
        "insurance_idr": "",
        "note": "",
    }
    return data | changes


def no_maker(response):
    text = response.content.decode()
    for name in MAKER_NAMES:
        for part in name.split():
            assert part not in text, part


def test_the_menu_offers_export_and_the_list_shows_the_inquiry(staff, inquiry):
    home = staff.get(reverse("backoffice:dashboard")).content.decode()
    page = staff.get(reverse("backoffice:export_inquiries"))

    assert f'href="{reverse("backoffice:export_inquiries")}"' in home
    assert page.status_code == 200
    html = page.content.decode()
    assert "Kyoto Crafts K.K." in html and inquiry.number in html and "Jepang" not in html
    no_maker(page)


def test_the_inquiry_page_shows_the_items_and_the_checklist(staff, inquiry):
    page = staff.get(reverse("backoffice:export_inquiry", args=[inquiry.pk]))
    html = page.content.decode()

    assert page.status_code == 200
    assert "Sumenep cattle whip" in html and "HS 6602.00" in html
    assert 'data-item="PEB"' in html and 'data-item="NIB"' in html
    assert "Surat keterangan asal (SKA / e-SKA)" in html
    no_maker(page)


def test_the_form_starts_from_the_inquiry_and_shows_the_rates_in_force(staff, inquiry, today):
    page = staff.get(reverse("backoffice:export_proforma_create", args=[inquiry.pk]))
    html = page.content.decode()

    assert page.status_code == 200
    assert 'value="SMP-PCT-001"' in html and 'value="Rp125.000"' in html
    assert "Rp16.250" in html and "Rp108,45" in html
    assert 'value="Tanjung Perak, Surabaya"' in html


def test_a_proforma_is_issued_from_the_form(staff, inquiry):
    response = staff.post(reverse("backoffice:export_proforma_create", args=[inquiry.pk]), form_post(inquiry))

    proforma = Proforma.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("backoffice:export_proforma", args=[proforma.number])
    page = staff.get(response["Location"])
    html = page.content.decode()
    assert "Rp9.500.000 · USD 584.40" in html
    assert "Rp16.250 per satuan, kurs" in html
    assert proforma.document.verify_code in html
    pdf = staff.get(reverse("backoffice:export_proforma_pdf", args=[proforma.number, "proforma"]))
    packing = staff.get(reverse("backoffice:export_proforma_pdf", args=[proforma.number, "packing-list"]))
    assert pdf.status_code == packing.status_code == 200
    assert pdf["Content-Type"] == "application/pdf" and packing.content.startswith(b"%PDF")
    assert staff.get(reverse("backoffice:export_proforma_pdf", args=[proforma.number, "other"])).status_code == 404


def test_refused_input_shows_next_to_its_field_in_indonesian_and_issues_nothing(staff, inquiry):
    response = staff.post(
        reverse("backoffice:export_proforma_create", args=[inquiry.pk]),
        form_post(inquiry, incoterm="CIF", place="Osaka", currency="EUR"),
    )
    html = response.content.decode()

    assert response.status_code == 400
    assert "Rutan Kelas IIB Sumenep belum punya kurs EUR yang berlaku." in html
    assert "CIF sudah termasuk ongkos angkut ke pelabuhan tujuan: isi jumlahnya." in html
    assert not Proforma.objects.exists()


def test_a_checklist_item_is_marked_and_unmarked(staff, inquiry):
    url = reverse("backoffice:export_checklist_mark", args=[inquiry.pk, "peb"])

    empty = staff.post(url, {"reference": "", "done": "on"})
    done = staff.post(url, {"reference": "PEB 000123", "done": "on"})
    marked = ChecklistMark.objects.get()
    undone = staff.post(url, {"done": ""})

    assert empty.status_code == 400
    assert "Isi rujukannya, mis. nomor dan tanggal PEB." in empty.content.decode()
    assert done.status_code == 302 and done["Location"].endswith("#ska")
    assert (marked.item, marked.reference, marked.organization) == ("PEB", "PEB 000123", inquiry.organization)
    assert undone.status_code == 302
    assert not ChecklistMark.objects.exists()


def test_settings_are_saved(staff, world):
    response = staff.post(
        reverse("backoffice:export_settings"),
        {"organization": world["facility"].pk, "nib": "1234567890123", "npwp": "", "swift_code": "bmriidja"},
    )

    assert response.status_code == 302
    saved = ExporterSettings.objects.get()
    assert (saved.nib, saved.swift_code) == ("1234567890123", "BMRIIDJA")


def test_closing_from_the_page(staff, inquiry):
    response = staff.post(reverse("backoffice:export_inquiry_close", args=[inquiry.pk]))

    inquiry.refresh_from_db()
    assert response.status_code == 302 and inquiry.status == "CLOSED"


def test_another_sellers_staff_get_404(client, world, inquiry):
    client.force_login(world["other_admin"])
    proforma_page = reverse("backoffice:export_proforma_create", args=[inquiry.pk])

    answers = [
        client.get(reverse("backoffice:export_inquiry", args=[inquiry.pk])),
        client.get(proforma_page),
        client.post(proforma_page, form_post(inquiry)),
        client.post(reverse("backoffice:export_inquiry_close", args=[inquiry.pk])),
        client.post(reverse("backoffice:export_checklist_mark", args=[inquiry.pk, "peb"]), {"reference": "x"}),
    ]

    assert [a.status_code for a in answers] == [404] * 5
    assert inquiry.number not in client.get(reverse("backoffice:export_inquiries")).content.decode()
    assert not Proforma.objects.exists() and not ChecklistMark.objects.exists()


def test_another_sellers_staff_get_404_on_the_proforma_and_its_pdfs(client, world, inquiry):
    from binakarya.exports.services import ProformaInput, proforma_issue

    proforma = proforma_issue(actor=world["admin"], inquiry=inquiry, data=ProformaInput())
    client.force_login(world["other_admin"])

    answers = [
        client.get(reverse("backoffice:export_proforma", args=[proforma.number])),
        client.get(reverse("backoffice:export_proforma_pdf", args=[proforma.number, "proforma"])),
        client.get(reverse("backoffice:export_proforma_pdf", args=[proforma.number, "packing-list"])),
    ]

    assert [a.status_code for a in answers] == [404] * 3


def test_staff_without_a_sales_role_are_refused(client, world):
    from binakarya.organizations.models import Role
    from tests.factories import MembershipFactory, UserFactory

    instructor = UserFactory(username="instruktur")
    MembershipFactory(user=instructor, organization=world["facility"], role=Role.INSTRUCTOR)
    client.force_login(instructor)

    assert client.get(reverse("backoffice:export_inquiries")).status_code == 403
