"""The demo's uniform order (Batik Sekar Kopi's size list for Bondowoso's Bagian Organisasi) and its deal (DLH PKP's\nsecond order at Rutan Purbalingga), loaded once."""

import io

import pytest
from django.core.management import call_command

from binakarya.deals.models import Deal, Rfq, SizeList
from binakarya.deals.size_selectors import size_list_totals
from binakarya.demo.deals import AGENCY, DEAL_AGENCY

pytestmark = pytest.mark.django_db


def test_the_demo_has_one_uniform_size_list_and_loading_again_changes_nothing():
    # when
    call_command("load_demo", "--no-photos", stdout=io.StringIO())
    out = io.StringIO()
    call_command("load_demo", "--no-photos", stdout=out)

    # then
    size_list = SizeList.objects.get()
    assert Rfq.objects.filter(agency=AGENCY).count() == 1
    assert size_list.rfq.agency == AGENCY
    assert (size_list.persons, size_list.units) == (8, 9)
    assert [(t.label, t.quantity) for t in size_list_totals(size_list=size_list)] == [("M", 4), ("L", 5)]
    assert "0 new uniform size lists" in out.getvalue()

    # and the demo deal: DLH PKP's second order, quoted, its PO recorded, the bins that were in store delivered
    deal = Deal.objects.get()
    assert deal.buyer == DEAL_AGENCY and deal.status == Deal.Status.PARTLY_DELIVERED
    assert [(line.variant.sku, line.quantity, line.delivered) for line in deal.lines.order_by("pk")] == [
        ("PBG-BMB-001", 6, 2),
        ("PBG-BMB-002", 5, 0),
    ]
    assert deal.deliveries.get().transfer.document.kind == "SURAT_JALAN"
    assert "0 new deals" in out.getvalue()
