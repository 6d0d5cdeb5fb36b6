"""premi_mismatches (the ledger_check invariant that premi posted equals what the split rules give).

It reads sales in chunks with a fixed number of queries per chunk; these tests pin that it finds the
same sales the plain one-sale-at-a-time recomputation finds, and that its query count does not grow
with the number of sales.
"""

import datetime
import io
from collections import defaultdict
from collections.abc import Callable
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from binakarya.ledger.models import Account, JournalLine
from binakarya.ledger.selectors import rule_of
from binakarya.ledger.services import split_rule_create
from binakarya.ledger.split import LotSale, split_lot_sale
from binakarya.organizations.models import Organization
from binakarya.production.models import Contribution
from binakarya.production.services import ContributionInput, lot_record
from binakarya.sales.models import Sale
from binakarya.sales.selectors import premi_mismatches
from binakarya.sales.services import SaleLineInput, sale_record, sale_reverse
from tests.factories import (
    CategoryFactory,
    GroupMembershipFactory,
    LocationFactory,
    ProducerFactory,
    VariantFactory,
)

pytestmark = pytest.mark.django_db

RULE_TEXT = "SK Kepala Rutan tentang pembagian hasil usaha kegiatan kerja"


def premi_mismatches_one_by_one(*, organization: Organization | None = None) -> list[str]:
    """The recomputation premi_mismatches replaced (a query per sale and per sale line), kept as the reference."""
    sales = Sale.objects.all() if organization is None else Sale.objects.filter(organization=organization)
    problems = []
    for sale in sales.prefetch_related("lines__lot", "lines__split_rule").order_by("pk"):
        posted: dict[tuple[int, int], int] = defaultdict(int)
        for jl in JournalLine.objects.filter(entry_id=sale.entry_id, account__kind=Account.Kind.PREMI_PAYABLE).values(
            "sale_line_id", "account__maker_id", "amount_idr"
        ):
            posted[(jl["sale_line_id"], jl["account__maker_id"])] -= jl["amount_idr"]
        expected: dict[tuple[int, int], int] = defaultdict(int)
        for sl in sale.lines.all():
            makers = list(Contribution.objects.filter(lot_id=sl.lot_id).order_by("lot_id", "pk"))
            split = split_lot_sale(
                rule_of(sl.split_rule),
                LotSale(
                    sl.quantity, sl.unit_price_idr, sl.lot.unit_cost_idr, sl.commission_idr, [c.share for c in makers]
                ),
            )
            for c, net in zip(makers, split.net_premi_by_contributor, strict=True):
                if net:
                    expected[(sl.pk, c.maker_id)] += net
        if dict(posted) != dict(expected):
            problems.append(sale.number)
    return problems


def _producer(name: str, sku_batik: str, sku_pecut: str) -> dict[str, Any]:
    """A facility group of three makers; two lots of batik (shares 1/2/3, then 1/1/1) and one of pecut (5/0/1).

    Batik falls under the general margin rule with both deductions; pecut under a per-unit category rule.
    """
    producer = ProducerFactory(group__name=name)
    group, org = producer.group, producer.organization
    makers = [GroupMembershipFactory(group=group).maker for _ in range(3)]
    showroom = LocationFactory(organization=org, name="Ruang Pamer", kind="SHOWROOM")
    batik = VariantFactory(product__producer=producer, sku=sku_batik, price_idr=450_000)
    pecut = VariantFactory(
        product__producer=producer, product__category=CategoryFactory(), sku=sku_pecut, price_idr=125_000
    )

    def lot(variant, quantity, cost, shares, finished):
        return lot_record(
            actor=None,
            variant=variant,
            group=group,
            location=showroom,
            quantity_produced=quantity,
            quantity_passed=quantity,
            material_cost_idr=cost,
            contributions=[ContributionInput(maker_id=m.pk, share=s) for m, s in zip(makers, shares, strict=True) if s],
            started_date=finished - datetime.timedelta(days=7),
            finished_date=finished,
        )

    lots = [
        lot(batik, 25, 3_000_000, [1, 2, 3], datetime.date(2025, 5, 1)),
        lot(batik, 25, 2_750_000, [1, 1, 1], datetime.date(2025, 6, 1)),
        lot(pecut, 60, 1_800_000, [5, 0, 1], datetime.date(2025, 6, 1)),
    ]
    split_rule_create(
        actor=None,
        organization=org,
        effective_from=datetime.date(2024, 1, 1),
        basis="MARGIN",
        premi_mode="PERCENT",
        premi_bp=5000,
        capital_bp=3500,
        restitution_bp=1000,
        victim_fund_bp=500,
        legal_reference=RULE_TEXT,
    )
    split_rule_create(
        actor=None,
        organization=org,
        category=pecut.product.category,
        effective_from=datetime.date(2024, 1, 1),
        basis="REVENUE",
        premi_mode="PER_UNIT",
        premi_per_unit_idr=20_000,
        capital_bp=1000,
        legal_reference=RULE_TEXT,
    )
    return {"org": org, "makers": makers, "showroom": showroom, "batik": sku_batik, "pecut": sku_pecut, "lots": lots}


@pytest.fixture
def books(db) -> dict[str, Any]:
    return _producer("Kelompok Batik Tulis", "SMP-BTK-001", "SMP-PCT-001")


def sell(books: dict[str, Any], n: int, start: int = 0) -> list[Sale]:
    """``n`` sales of one or two batik (FIFO runs from the first lot into the second) and one to three pecut."""
    sales = []
    for i in range(start, start + n):
        sales.append(
            sale_record(
                actor=None,
                location=books["showroom"],
                channel="POS",
                lines=[
                    SaleLineInput(books["batik"], 1 + i % 2, 450_000 - 1_000 * i),
                    SaleLineInput(books["pecut"], 1 + i % 3, 125_000 + 333 * i),
                ],
                commission_idr=(i % 4) * 10_001,
            )
        )
    return sales


def tamper(sale: Sale) -> None:
    """Move one rupiah of premi from one maker to another inside the sale's own entry (still balanced)."""
    premi = list(
        JournalLine.objects.filter(entry_id=sale.entry_id, account__kind=Account.Kind.PREMI_PAYABLE).order_by("pk")
    )
    taker = next(jl for jl in premi if jl.account_id != premi[0].account_id)
    common = {"organization_id": sale.organization_id, "entry_id": sale.entry_id, "sale_line_id": premi[0].sale_line_id}
    # One statement: PostgreSQL refuses a statement whose lines do not balance per entry.
    JournalLine.objects.bulk_create(
        [
            JournalLine(account_id=premi[0].account_id, amount_idr=1, lot_id=premi[0].lot_id, **common),
            JournalLine(account_id=taker.account_id, amount_idr=-1, lot_id=premi[0].lot_id, **common),
        ]
    )


def queries(fn: Callable[[], Any]) -> tuple[int, Any]:
    with CaptureQueriesContext(connection) as ctx:
        result = fn()
    return len(ctx.captured_queries), result


def test_honest_books_have_no_mismatch(books):
    # given twelve honest sales
    sell(books, 12)

    # when / then
    assert premi_mismatches() == [] == premi_mismatches_one_by_one()
    assert premi_mismatches(chunk_size=5) == []


def test_a_tampered_premi_line_is_found_in_whichever_chunk_it_falls(books):
    # given twelve sales, four of them tampered with
    sales = sell(books, 12)
    for i in (0, 4, 5, 11):
        tamper(sales[i])
    numbers = [sales[i].number for i in (0, 4, 5, 11)]

    # when / then: whatever the chunk size
    assert premi_mismatches_one_by_one() == numbers
    for chunk_size in (1, 4, 5, 12, 1000):
        assert premi_mismatches(chunk_size=chunk_size) == numbers


def test_the_premi_moved_from_one_sale_line_to_another_is_found(books):
    # given three sales, and one rupiah of a maker's premi moved from one line of the second to its other line
    sale = sell(books, 3)[1]
    jl = JournalLine.objects.filter(entry_id=sale.entry_id, account__kind=Account.Kind.PREMI_PAYABLE).first()
    other_line = sale.lines.exclude(pk=jl.sale_line_id).first()
    common = {"organization_id": sale.organization_id, "entry_id": sale.entry_id, "account_id": jl.account_id}
    JournalLine.objects.bulk_create(
        [
            JournalLine(sale_line_id=jl.sale_line_id, amount_idr=1, **common),
            JournalLine(sale_line_id=other_line.pk, amount_idr=-1, **common),
        ]
    )

    # when / then
    assert premi_mismatches() == [sale.number] == premi_mismatches_one_by_one()


def test_a_changed_contribution_share_shows_up_in_every_sale_of_the_lot(books):
    # given six sales, each with a line of the pecut lot
    sales = sell(books, 6)
    pecut_lot = books["lots"][2]

    # when a share of that lot is changed afterwards
    Contribution.objects.filter(pk=pecut_lot.contributions.order_by("pk").first().pk).update(share=4)

    # then
    assert premi_mismatches(chunk_size=4) == [s.number for s in sales] == premi_mismatches_one_by_one()


def test_returns_post_their_own_entries_and_are_not_mismatches(books):
    # given eight sales: two returned whole, one in part, and one tampered with
    sales = sell(books, 8)
    sale_reverse(actor=None, sale=sales[1])
    first_line = sales[2].lines.order_by("pk").first()
    sale_reverse(actor=None, sale=sales[2], lines={first_line.pk: 1})
    sale_reverse(actor=None, sale=sales[6])
    tamper(sales[5])

    # when / then: each sale is checked against its own entry only; the reversals' entries are not read
    assert premi_mismatches(chunk_size=3) == [sales[5].number] == premi_mismatches_one_by_one()


def test_one_organization_is_checked_alone(books):
    # given two producers' sales, interleaved so that every chunk of pks holds sales of both, and three
    # tampered with
    other = _producer("Kelompok Tenun", "SMP-TNN-001", "SMP-PCT-002")
    ours, theirs = [], []
    for i in range(5):
        ours += sell(books, 1, start=i)
        theirs += sell(other, 1, start=i)
    tamper(ours[3])
    tamper(theirs[0])
    tamper(theirs[4])

    # when / then
    assert premi_mismatches(organization=books["org"], chunk_size=2) == [ours[3].number]
    assert premi_mismatches(organization=other["org"], chunk_size=2) == [theirs[0].number, theirs[4].number]
    assert (
        premi_mismatches(chunk_size=3)
        == premi_mismatches_one_by_one()
        == [theirs[0].number, ours[3].number, theirs[4].number]
    )


def test_ledger_check_fails_on_a_tampered_sale_and_names_it(books):
    # given four sales
    sales = sell(books, 4)

    # when
    out = io.StringIO()
    call_command("ledger_check", stdout=out)

    # then
    assert "ok   premi credited equals the split rules" in out.getvalue()

    # when one of them is tampered with
    tamper(sales[2])
    out = io.StringIO()
    with pytest.raises(SystemExit) as excinfo:
        call_command("ledger_check", stdout=out)

    # then
    assert excinfo.value.code == 1
    text = out.getvalue()
    assert f"FAIL premi credited equals the split rules: ['{sales[2].number}']" in text
    assert "ok   every entry sums to zero" in text


def test_the_number_of_queries_does_not_grow_with_the_number_of_sales(books):
    # given three sales
    sell(books, 3)

    # when
    few, found = queries(premi_mismatches)

    # then
    assert found == []

    # when there are thirty
    sell(books, 27)
    many, found = queries(premi_mismatches)

    # then the premi accounts once; one chunk: the sales, their lines, their lots' contributions, their
    # entries' lines, the split rules
    assert found == []
    assert few == many <= 6

    # when they are read in chunks of ten
    chunked, found = queries(lambda: premi_mismatches(chunk_size=10))

    # then the accounts, four queries a chunk, the split rules once, and the empty fourth page
    assert found == [] and chunked <= 1 + 3 * 4 + 1 + 1
