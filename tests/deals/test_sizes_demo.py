"""The demo's uniform order: Batik Sekar Kopi's size list for Bondowoso's Bagian Organisasi, loaded once."""

import io

import pytest
from django.core.management import call_command

from binakarya.deals.models import Rfq, SizeList
from binakarya.deals.size_selectors import size_list_totals
from binakarya.demo.deals import AGENCY

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
