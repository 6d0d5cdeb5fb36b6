"""A deal's documents as printed (deals/paperwork.py): the SPK and the surat perjanjian, the surat jalan of each
delivery, the BAST, the invoice or kuitansi, and the kuitansi of a payment. Each is read back with pdftotext:
its title, number, the parties, the lines and figures, the amount in words, the signatories, the verification
code, and never a maker's name. Every kind is also kept as PNG pages in the artifacts directory."""

import datetime
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from binakarya.core.money import date_in_words
from binakarya.deals import paperwork
from binakarya.deals.models import (
    ContractForm,
    ContractFormRule,
    Deal,
    DealInvoice,
    DealLine,
    DealPayment,
    Delivery,
    DeliveryLine,
    Handover,
    HandoverLine,
    ProcurementPlatform,
    Recognition,
    SellerTaxSettings,
)
from binakarya.deals.services import Contact, QuotationLineInput, RfqLineInput, quotation_issue, rfq_submit
from binakarya.documents.models import Document
from binakarya.documents.services import document_issue
from binakarya.inventory.models import Location
from binakarya.inventory.services import location_create, transfer_send
from binakarya.ledger.models import JournalEntry
from binakarya.orders.models import ShopSettings
from binakarya.organizations.models import Organization
from tests.deals.world import MAKER_NAMES
from tests.factories import OrganizationFactory

pytestmark = pytest.mark.skipif(
    shutil.which("pdftotext") is None or shutil.which("pdftoppm") is None,
    reason="needs pdftotext and pdftoppm (poppler-utils)",
)

BASE_URL = "https://binakarya.test"
ARTIFACTS = Path(os.environ.get("ARTIFACTS_DIR") or Path(__file__).resolve().parents[2] / "artifacts") / "documents"
SELLER_SIGNS = {
    "side": "SELLER",
    "name": "Ani Lestari",
    "position": "Kepala Seksi Giatja",
    "id_number": "198001012005012001",
}
BUYER_SIGNS = {
    "side": "BUYER",
    "name": "Budi Santoso",
    "position": "Pejabat Pembuat Komitmen",
    "id_number": "197505052000031002",
}


def pdf_text(content: bytes, tmp_path: Path) -> str:
    """The PDF's text, whitespace collapsed so that a phrase wrapped over two lines still matches."""
    path = tmp_path / "doc.pdf"
    path.write_bytes(content)
    out = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return " ".join(out.split())


def assert_no_maker(text: str) -> None:
    for name in MAKER_NAMES:
        assert name not in text
        assert name.split()[1] not in text


def _issue(deal: Deal, kind: str, number: str, figures: dict | None = None) -> Document:
    return document_issue(
        actor=None,
        organization=deal.organization,
        kind=kind,
        number=number,
        title=f"{kind} {number}",
        public_figures=figures or {"deal": deal.number},
    )


@pytest.fixture
def deal(world, today):
    """DLH PKP Purbalingga ordered 36 bins at Rp150.000 and 60 dustpans at Rp35.000 (Rp7.500.000 + PPN 11 %
    Rp825.000 = Rp8.325.000) under PO 027/DLH-PKP/2026; 12 bins and 6 dustpans went in the first delivery,
    8 and 4 in the second. The seller banks at BRI."""
    facility = world["facility"]
    facility.address = "Jl. Letjen S. Parman 2"
    facility.save(update_fields=["address"])
    SellerTaxSettings.objects.create(organization=facility, ppn_enabled=True, ppn_rate_bp=1100, payment_days=30)
    ShopSettings.objects.create(
        organization=facility,
        bank_name="BRI",
        bank_account_number="0123-01-000456-30-1",
        bank_account_holder="RPL 029 Lapas Purbalingga",
    )
    agency = OrganizationFactory(
        kind=Organization.Kind.AGENCY,
        name="DLH PKP Kabupaten Purbalingga",
        slug="dlh-pkp",
        code="DLH",
        regency="Purbalingga",
        address="Jl. Jenderal Sudirman 45",
    )
    rfq = rfq_submit(
        actor=None,
        agency="DLH PKP Kabupaten Purbalingga",
        contact=Contact("Rina Wulandari", "0812 1111 2222"),
        lines=[RfqLineInput("PBG-TSB-001", "", 36), RfqLineInput("PBG-PKI-001", "", 60)],
        delivery_place="Taman Kota Usman Janatin, Purbalingga",
        needed_by=today + datetime.timedelta(days=60),
        today=today,
    )
    quotation = quotation_issue(
        actor=world["admin"],
        organization=facility,
        buyer="DLH PKP Kabupaten Purbalingga",
        lines=[QuotationLineInput("PBG-TSB-001", 36, 150_000), QuotationLineInput("PBG-PKI-001", 60, 35_000)],
        rfq=rfq,
        today=today,
    )
    assert quotation.total_idr == 8_325_000
    deal = Deal.objects.create(
        organization=facility,
        quotation=quotation,
        number="KTR-PBG-2026-00001",
        buyer=quotation.buyer,
        buyer_organization=agency,
        channel="DIRECT",
        po_number="027/DLH-PKP/2026",
        po_date=today,
        contract_form=quotation.contract_form,
        contract_rule=quotation.contract_rule,
        location=location_create(
            actor=world["admin"], organization=facility, name="Di DLH PKP", kind=Location.Kind.BUYER
        ),
        needed_by=rfq.needed_by,
        delivery_place=rfq.delivery_place,
        recognition=Recognition.BAST,
        dpp_idr=7_500_000,
        ppn_idr=825_000,
        total_idr=8_325_000,
    )
    bins = DealLine.objects.create(
        deal=deal,
        variant=world["bin"],
        description="Tempat Sampah Bambu",
        quantity=36,
        unit_price_idr=150_000,
        dpp_idr=5_400_000,
        ppn_idr=594_000,
    )
    pans = DealLine.objects.create(
        deal=deal,
        variant=world["dustpan"],
        description="Pengki Bambu",
        quantity=60,
        unit_price_idr=35_000,
        dpp_idr=2_100_000,
        ppn_idr=231_000,
    )
    deliveries = []
    for vehicle, driver, bins_sent, pans_sent in (("R 1234 AB", "Sutrisno", 12, 6), ("R 5678 CD", "Wahyudi", 8, 4)):
        transfer = transfer_send(
            actor=world["admin"],
            from_location=world["store"],
            to_location=deal.location,
            lines=[(world["bin"], bins_sent), (world["dustpan"], pans_sent)],
            allow_buyer=True,
        )
        delivery = Delivery.objects.create(
            organization=facility,
            deal=deal,
            transfer=transfer,
            number=transfer.number,
            delivered_on=today,
            vehicle=vehicle,
            driver=driver,
            created_by=world["admin"],
        )
        DeliveryLine.objects.create(delivery=delivery, deal_line=bins, quantity=bins_sent)
        DeliveryLine.objects.create(delivery=delivery, deal_line=pans, quantity=pans_sent)
        deliveries.append(delivery)
    return {"deal": deal, "bins": bins, "pans": pans, "deliveries": deliveries, "rfq": rfq, "today": today}


def _contract(deal: Deal, form: str) -> Deal:
    deal.contract_form = form
    deal.contract_rule = ContractFormRule.objects.filter(form=form).order_by("-effective_from").first()
    series = "SPK" if form == ContractForm.SPK else "PJN"
    deal.contract_document = _issue(deal, Document.Kind.CONTRACT, f"{series}-PBG-2026-00001")
    deal.save()
    return deal


def _handover(d: dict, number: str, bins: int, pans: int, note: str = "") -> Handover:
    deal = d["deal"]
    rows = [(d["bins"], bins, bins * 150_000), (d["pans"], pans, pans * 35_000)]
    dpp = sum(row[2] for row in rows)
    ppn = sum(row[2] * 11 // 100 for row in rows)
    handover = Handover.objects.create(
        organization=deal.organization,
        deal=deal,
        document=_issue(deal, Document.Kind.BAST, number),
        number=number,
        handed_over_on=datetime.date(2026, 5, 25),
        place="Taman Kota Usman Janatin",
        signatories=[SELLER_SIGNS, BUYER_SIGNS],
        note=note,
        dpp_idr=dpp,
        ppn_idr=ppn,
        value_idr=dpp + ppn,
    )
    for line, quantity, value in rows:
        HandoverLine.objects.create(
            handover=handover, deal_line=line, quantity=quantity, dpp_idr=value, ppn_idr=value * 11 // 100
        )
    return handover


def _invoice(deal: Deal, handovers: list[Handover], kind: str, number: str) -> DealInvoice:
    dpp = sum(h.dpp_idr for h in handovers)
    ppn = sum(h.ppn_idr for h in handovers)
    invoice = DealInvoice.objects.create(
        organization=deal.organization,
        deal=deal,
        document=_issue(deal, kind, number),
        number=number,
        issued_on=datetime.date(2026, 5, 26),
        due_on=datetime.date(2026, 6, 25),
        dpp_idr=dpp,
        ppn_idr=ppn,
        amount_idr=dpp + ppn,
    )
    for handover in handovers:
        handover.invoice = invoice
        handover.save(update_fields=["invoice"])
    return invoice


def _payment(deal: Deal, amount: int, *, held: bool = False, number: str = "KWT-PBG-2026-00009") -> DealPayment:
    entry = JournalEntry.objects.create(
        organization=deal.organization, kind=JournalEntry.Kind.DEAL_PAYMENT, occurred_at=timezone.now()
    )
    return DealPayment.objects.create(
        organization=deal.organization,
        deal=deal,
        paid_on=datetime.date(2026, 6, 2),
        amount_idr=amount,
        method=DealPayment.Method.BANK,
        reference="TRF-88120",
        to_receivable_idr=0 if held else amount,
        held_idr=amount if held else 0,
        entry=entry,
        receipt=_issue(deal, Document.Kind.RECEIPT, number),
    )


def test_the_spk_names_the_parties_the_work_its_value_in_words_and_the_terms(deal, tmp_path):
    # given
    d = _contract(deal["deal"], ContractForm.SPK)

    # when
    text = pdf_text(paperwork.contract_pdf(deal=d, base_url=BASE_URL), tmp_path)

    # then
    assert "SURAT PERINTAH KERJA (SPK)" in text
    assert "Nomor: SPK-PBG-2026-00001" in text
    assert "LAPAS KELAS IIB PURBALINGGA" in text  # the kop surat
    assert "Jl. Letjen S. Parman 2, Purbalingga" in text and "Telp. 0812-3456-7890" in text
    assert "DLH PKP Kabupaten Purbalingga" in text and "Pejabat Pembuat Komitmen" in text
    assert "027/DLH-PKP/2026" in text and deal["deal"].quotation.number in text
    assert "Tempat Sampah Bambu PBG-TSB-001 36 Rp150.000 Rp5.400.000" in text
    assert "Pengki Bambu PBG-PKI-001 60 Rp35.000 Rp2.100.000" in text
    assert "PPN 11% Rp825.000" in text
    assert "Rp8.325.000" in text
    assert "Delapan juta tiga ratus dua puluh lima ribu rupiah" in text
    needed_by = deal["deal"].needed_by
    assert f"Waktu penyerahan: paling lambat tanggal {needed_by.day} " in text
    assert "Tempat penyerahan: Taman Kota Usman Janatin, Purbalingga" in text
    assert "30 hari kalender setelah BAST" in text and "BRI nomor 0123-01-000456-30-1" in text
    assert "1‰ (satu permil) per hari" in text and "paling banyak 5% dari nilai SPK (Rp416.250)" in text
    assert "Perpres 16/2018" in text  # the legal reference of the rule
    assert "PENYEDIA" in text and "Meterai Rp10.000" in text
    assert d.contract_document.verify_code in text
    assert f"{BASE_URL}/verifikasi/{d.contract_document.verify_code}/" in text
    assert_no_maker(text)


def test_the_surat_perjanjian_has_its_articles(deal, tmp_path):
    # given
    d = _contract(deal["deal"], ContractForm.SURAT_PERJANJIAN)
    issued = timezone.localdate(d.contract_document.issued_at)

    # when
    text = pdf_text(paperwork.contract_pdf(deal=d, base_url=BASE_URL), tmp_path)

    # then
    assert "SURAT PERJANJIAN JUAL BELI BARANG" in text
    assert "Nomor: PJN-PBG-2026-00001" in text
    assert f"Pada hari ini, {date_in_words(issued)}" in text
    for article in (
        "Pasal 1 Objek Perjanjian",
        "Pasal 2 Nilai Perjanjian",
        "Pasal 3 Jangka Waktu",
        "Pasal 4 Pengiriman dan Serah Terima",
        "Pasal 5 Pembayaran",
        "Pasal 6 Denda Keterlambatan",
        "Pasal 7 Keadaan Kahar",
        "Pasal 8 Penyelesaian Perselisihan",
        "Pasal 9 Penutup",
    ):
        assert article in text
    assert "Rp8.325.000 (delapan juta tiga ratus dua puluh lima ribu rupiah), sudah termasuk PPN 11%" in text
    assert "berita acara serah terima (BAST)" in text and "tagihan (invoice) setelah BAST" in text
    assert "BRI nomor 0123-01-000456-30-1 atas nama RPL 029 Lapas Purbalingga" in text
    assert "1‰ (satu permil)" in text and "paling banyak 5% (5 persen)" in text
    assert "PEMBELI" in text and "DLH PKP Kabupaten Purbalingga" in text
    assert d.contract_document.verify_code in text
    assert_no_maker(text)


def test_only_an_spk_or_a_surat_perjanjian_is_a_contract_to_print(deal):
    # given a deal whose value needs only a proof of purchase
    d = deal["deal"]
    d.contract_document = _issue(d, Document.Kind.CONTRACT, "SPK-PBG-2026-00002")

    # when / then
    assert d.contract_form == ContractForm.PROOF_OF_PURCHASE
    with pytest.raises(ValueError, match="PROOF_OF_PURCHASE"):
        paperwork.contract_pdf(deal=d, base_url=BASE_URL)
    d.contract_form, d.contract_document = ContractForm.SPK, None
    with pytest.raises(ValueError, match="no contract document"):
        paperwork.contract_pdf(deal=d, base_url=BASE_URL)


def test_the_surat_jalan_counts_this_delivery_what_was_sent_so_far_and_what_remains(deal, tmp_path):
    # given the second of two deliveries, of a deal bought on e-Katalog
    d = deal["deal"]
    d.platform = ProcurementPlatform.E_KATALOG
    d.save(update_fields=["platform"])
    second = deal["deliveries"][1]

    # when
    context = paperwork.surat_jalan_context(delivery=second, base_url=BASE_URL)
    text = pdf_text(paperwork.surat_jalan_pdf(delivery=second, base_url=BASE_URL), tmp_path)

    # then: ordered, this delivery, cumulative, remaining
    assert [(r["ordered"], r["quantity"], r["cumulative"], r["remaining"]) for r in context["lines"]] == [
        (36, 8, 20, 16),
        (60, 4, 10, 50),
    ]
    assert "SURAT JALAN" in text and f"Nomor: {second.number}" in text
    assert "Tempat Sampah Bambu PBG-TSB-001 36 8 20 16" in text
    assert "Pengki Bambu PBG-PKI-001 60 4 10 50" in text
    assert "Jumlah dikirim 12" in text
    assert "DLH PKP Kabupaten Purbalingga, u.p. Rina Wulandari" in text
    assert "Taman Kota Usman Janatin, Purbalingga" in text
    assert "027/DLH-PKP/2026" in text and "(melalui e-Katalog)" in text
    assert "R 5678 CD" in text and "Wahyudi" in text
    assert "Pengirim" in text and "Penerima" in text and "Nama, jabatan, tanda tangan dan cap" in text
    assert second.transfer.document.verify_code in text
    assert_no_maker(text)


def test_the_first_surat_jalan_counts_only_itself(deal):
    # when
    context = paperwork.surat_jalan_context(delivery=deal["deliveries"][0], base_url=BASE_URL)

    # then
    assert [(r["quantity"], r["cumulative"], r["remaining"]) for r in context["lines"]] == [(12, 12, 24), (6, 6, 54)]


def test_the_bast_opens_with_the_date_in_words_and_names_both_parties(deal, tmp_path):
    # given
    handover = _handover(deal, "BAST-PBG-2026-00001", 12, 6, note="Diperiksa: 12 tempat sampah dan 6 pengki baik.")

    # when
    text = pdf_text(paperwork.bast_pdf(handover=handover, base_url=BASE_URL), tmp_path)

    # then
    assert "BERITA ACARA SERAH TERIMA BARANG" in text and "Nomor: BAST-PBG-2026-00001" in text
    assert "Pada hari ini, Senin tanggal dua puluh lima bulan Mei tahun dua ribu dua puluh enam (25-05-2026)" in text
    assert "Ani Lestari" in text and "Kepala Seksi Giatja" in text and "198001012005012001" in text
    assert "PIHAK PERTAMA" in text and "PIHAK KEDUA" in text
    assert "Budi Santoso" in text and "197505052000031002" in text
    assert "Tempat Sampah Bambu PBG-TSB-001 36 12 Rp150.000 Rp1.800.000" in text
    assert "Pengki Bambu PBG-PKI-001 60 6 Rp35.000 Rp210.000" in text
    assert "(DPP) Rp2.010.000" in text and "PPN 11% Rp221.100" in text
    assert "Nilai barang diserahkan Rp2.231.100" in text
    assert "Dua juta dua ratus tiga puluh satu ribu seratus rupiah" in text
    assert "Diperiksa: 12 tempat sampah dan 6 pengki baik." in text
    assert "PIHAK KEDUA menyatakan telah menerima barang" in text
    assert handover.document.verify_code in text
    assert_no_maker(text)


def test_the_invoice_lists_the_handovers_it_bills_and_where_to_pay(deal, tmp_path):
    # given two handovers billed together
    first = _handover(deal, "BAST-PBG-2026-00001", 12, 6)
    second = _handover(deal, "BAST-PBG-2026-00002", 8, 4)
    invoice = _invoice(deal["deal"], [first, second], Document.Kind.INVOICE, "INV-PBG-2026-00001")

    # when
    text = pdf_text(paperwork.invoice_pdf(invoice=invoice, base_url=BASE_URL), tmp_path)

    # then
    assert "TAGIHAN (INVOICE)" in text and "INV-PBG-2026-00001" in text
    assert "Lampiran : BAST nomor BAST-PBG-2026-00001, BAST-PBG-2026-00002" in text
    assert "Kepada Yth. DLH PKP Kabupaten Purbalingga u.p. Rina Wulandari di Jl. Jenderal Sudirman 45" in text
    assert "BAST nomor BAST-PBG-2026-00001 tanggal 25 Mei 2026" in text
    assert "Tempat Sampah Bambu PBG-TSB-001 8 Rp150.000 Rp1.200.000" in text
    assert "(DPP) Rp3.350.000" in text and "PPN 11% Rp368.500" in text
    assert "Jumlah tagihan Rp3.718.500" in text
    assert "Tiga juta tujuh ratus delapan belas ribu lima ratus rupiah" in text
    assert "paling lambat 25 Juni 2026 ke rekening BRI nomor 0123-01-000456-30-1" in text
    assert "Hormat kami" in text
    assert invoice.document.verify_code in text
    assert_no_maker(text)


def test_a_kuitansi_bills_the_handover_in_words(deal, tmp_path):
    # given
    handover = _handover(deal, "BAST-PBG-2026-00001", 8, 4)
    invoice = _invoice(deal["deal"], [handover], Document.Kind.RECEIPT, "KWT-PBG-2026-00001")

    # when
    text = pdf_text(paperwork.invoice_pdf(invoice=invoice, base_url=BASE_URL), tmp_path)

    # then
    assert "KUITANSI" in text and "Nomor: KWT-PBG-2026-00001" in text
    assert "Sudah terima dari : DLH PKP Kabupaten Purbalingga" in text
    assert "Uang sejumlah : Satu juta empat ratus delapan puluh tujuh ribu empat ratus rupiah" in text
    assert "Pembayaran 8 Tempat Sampah Bambu, 4 Pengki Bambu sesuai BAST nomor BAST-PBG-2026-00001" in text
    assert "Rp1.487.400" in text
    assert "Yang menerima" in text
    assert "Meterai" not in text  # Rp1.487.400 needs no stamp duty
    assert invoice.document.verify_code in text
    assert_no_maker(text)


def test_a_payment_kuitansi_above_five_million_asks_for_a_stamp(deal, tmp_path):
    # given a down payment of Rp6.000.000
    payment = _payment(deal["deal"], 6_000_000, held=True)

    # when
    text = pdf_text(paperwork.payment_receipt_pdf(payment=payment, base_url=BASE_URL), tmp_path)

    # then
    assert "KUITANSI" in text and "Nomor: KWT-PBG-2026-00009" in text
    assert "Uang sejumlah : Enam juta rupiah" in text
    assert "Uang muka pembelian 36 Tempat Sampah Bambu, 60 Pengki Bambu" in text
    assert "pesanan nomor 027/DLH-PKP/2026" in text and "transfer bank, ref. TRF-88120" in text
    assert "Rp6.000.000" in text
    assert "Meterai Rp10.000" in text and "UU 10/2020" in text
    assert "2 Juni 2026" in text
    assert payment.receipt.verify_code in text
    assert_no_maker(text)


def test_the_stamp_duty_starts_above_five_million(deal):
    # given
    exactly = _payment(deal["deal"], 5_000_000, number="KWT-PBG-2026-00010")
    above = _payment(deal["deal"], 5_000_001, number="KWT-PBG-2026-00011")

    # when
    contexts = [paperwork.payment_receipt_context(payment=p, base_url=BASE_URL) for p in (exactly, above)]

    # then
    assert [c["stamp_duty"] for c in contexts] == [False, True]
    assert contexts[0]["purpose"].startswith("Pembayaran pembelian ")


def test_every_deal_document_renders_to_png(deal, tmp_path):
    # given one document of every kind
    d = deal["deal"]
    first = _handover(deal, "BAST-PBG-2026-00001", 12, 6)
    second = _handover(deal, "BAST-PBG-2026-00002", 8, 4)
    documents = {
        "deal-spk": lambda: paperwork.contract_pdf(deal=_contract(d, ContractForm.SPK), base_url=BASE_URL),
        "deal-surat-jalan": lambda: paperwork.surat_jalan_pdf(delivery=deal["deliveries"][1], base_url=BASE_URL),
        "deal-bast": lambda: paperwork.bast_pdf(handover=first, base_url=BASE_URL),
        "deal-invoice": lambda: paperwork.invoice_pdf(
            invoice=_invoice(d, [first], Document.Kind.INVOICE, "INV-PBG-2026-00001"), base_url=BASE_URL
        ),
        "deal-kuitansi-tagihan": lambda: paperwork.invoice_pdf(
            invoice=_invoice(d, [second], Document.Kind.RECEIPT, "KWT-PBG-2026-00001"), base_url=BASE_URL
        ),
        "deal-kuitansi-pembayaran": lambda: paperwork.payment_receipt_pdf(
            payment=_payment(d, 6_000_000, held=True), base_url=BASE_URL
        ),
    }
    ARTIFACTS.mkdir(parents=True, exist_ok=True)

    # when each is printed and turned into PNG pages (the surat perjanjian after the SPK: one contract a deal)
    pages: dict[str, list[Path]] = {}
    for name, render in documents.items():
        pages[name] = _pngs(name, render())
    Document.objects.filter(pk=d.contract_document_id).update(number="PJN-PBG-2026-00001")
    d.contract_form = ContractForm.SURAT_PERJANJIAN
    d.contract_document.refresh_from_db()
    pages["deal-perjanjian"] = _pngs("deal-perjanjian", paperwork.contract_pdf(deal=d, base_url=BASE_URL))

    # then each page is an A4 picture with something printed on it
    assert sorted(pages) == sorted([*documents, "deal-perjanjian"])
    assert len(pages["deal-perjanjian"]) >= 2  # nine articles do not fit on one page
    for name, files in pages.items():
        assert files, name
        for png in files:
            assert png.stat().st_size > 10_000, png
            with Image.open(png) as image:
                assert image.format == "PNG"
                assert image.size in ((595, 842), (596, 842)), png  # A4 at 72 dpi (595.3 × 841.9 pt)
                dark = sum(image.convert("L").point(lambda v: 255 if v < 128 else 0).histogram()[255:])
                assert dark > 2_000, png  # not a blank page


def _pngs(name: str, pdf: bytes) -> list[Path]:
    """The PDF kept as ARTIFACTS/<name>.pdf and its pages as <name>-1.png, <name>-2.png…"""
    for old in ARTIFACTS.glob(f"{name}-*.png"):
        old.unlink()
    path = ARTIFACTS / f"{name}.pdf"
    path.write_bytes(pdf)
    subprocess.run(["pdftoppm", "-png", "-r", "72", str(path), str(ARTIFACTS / name)], check=True, capture_output=True)
    return sorted(ARTIFACTS.glob(f"{name}-*.png"))


def test_a_document_printed_by_english_staff_is_still_indonesian(deal, english):
    # given
    delivery = deal["deliveries"][0]
    code = delivery.transfer.document.verify_code
    assert reverse("storefront:verify", kwargs={"code": code}).startswith("/en/")

    # when
    html = paperwork.surat_jalan_html(delivery=delivery, base_url=BASE_URL)

    # then the verification link has no language prefix and the page reads in Indonesian
    assert f"{BASE_URL}/verifikasi/{code}/" in html
    assert "/en/" not in html
    assert "Dikirim kali ini" in html and "Tanggal kirim" in html
