"""A deal's documents printed: which renderer of ``deals.paperwork`` makes the PDF of each."""

from binakarya.deals.paperwork import bast_pdf, contract_pdf, invoice_pdf, payment_receipt_pdf, surat_jalan_pdf
from binakarya.deals.selectors import DealDocument


def deal_document_pdf(*, found: DealDocument, base_url: str) -> bytes:
    """The PDF of one of a deal's documents (``selectors.deal_document``)."""
    if found.kind == "CONTRACT":
        return contract_pdf(deal=found.record, base_url=base_url)
    if found.kind == "SURAT_JALAN":
        return surat_jalan_pdf(delivery=found.record, base_url=base_url)
    if found.kind == "BAST":
        return bast_pdf(handover=found.record, base_url=base_url)
    if found.kind == "INVOICE":
        return invoice_pdf(invoice=found.record, base_url=base_url)
    return payment_receipt_pdf(payment=found.record, base_url=base_url)
