"""A facility's books with one of each kind of posting, through the services (tests/ledger, tests/dashboards).

The consignment world (Rutan Sumenep, its Kelompok Rajutan and two makers, whips at Rp75.000 and bags at
Rp120.000, the 50/35/15 margin rule, the Hotel Bintang Sumenep outlet) and, on top of it:

- two sales at the showroom's point of sale (2 whips, then 1 bag), and a WhatsApp sale of 1 whip that is
  returned in full;
- a consignment: 4 whips placed at the hotel, which sells 3 and pays Rp100.000;
- a premi payout of Rp10.000 to the first maker, a Rp2.000.000 grant from Disperindag Sumenep into the
  group's capital fund, a PNBP deposit of Rp20.000 and a PNBP target of Rp5.000.000 for this year.
"""

import datetime
from typing import Any

from django.utils import timezone

from binakarya.consignment.services import (
    OutletSaleLine,
    PlacementLineInput,
    agreement_create,
    consignment_payment_record,
    outlet_sale_record,
    placement_receive,
    placement_send,
)
from binakarya.inventory.models import Location
from binakarya.inventory.services import location_create
from binakarya.ledger.services import capital_grant, pnbp_deposit_record, pnbp_target_set, premi_payout
from binakarya.organizations.models import Organization
from binakarya.sales.services import SaleLineInput, sale_record, sale_reverse
from tests.consignment.world import consignment_world
from tests.factories import OrganizationFactory, make_lot

WHIP, BAG = 75_000, 120_000


def posted_books() -> dict[str, Any]:
    world = consignment_world()
    facility, group, makers = world["facility"], world["group"], world["makers"]
    today = timezone.localdate()
    showroom = location_create(actor=None, organization=facility, name="Ruang Pamer", kind=Location.Kind.SHOWROOM)
    make_lot(variant=world["whip"], group=group, location=showroom, quantity=6, cost=120_000, makers=[makers[0]])
    make_lot(variant=world["bag"], group=group, location=showroom, quantity=2, cost=100_000, makers=[makers[1]])

    pos = [
        sale_record(actor=None, location=showroom, channel="POS", lines=[SaleLineInput("SMP-PCT-001", 2, WHIP)]),
        sale_record(actor=None, location=showroom, channel="POS", lines=[SaleLineInput("SMP-RJT-001", 1, BAG)]),
    ]
    returned = sale_record(
        actor=None, location=showroom, channel="WHATSAPP", lines=[SaleLineInput("SMP-PCT-001", 1, WHIP)]
    )
    sale_reverse(actor=None, sale=returned, reason="salah ukuran")

    agreement = agreement_create(
        actor=world["admin"],
        organization=facility,
        outlet=world["hotel"],
        commission_percent_bp=2000,
        settlement_period="MONTHLY",
        payment_days=14,
        review_months=6,
        start_date=today - datetime.timedelta(days=30),
    )
    placement = placement_send(
        actor=world["admin"],
        agreement=agreement,
        from_location=world["store"],
        lines=[PlacementLineInput(world["whip"], 4)],
    )
    placement_receive(actor=world["partner"], placement=placement)
    outlet_sale = outlet_sale_record(
        actor=world["partner"], agreement=agreement, sold_date=today, lines=[OutletSaleLine("SMP-PCT-001", 3)]
    )
    consignment_payment_record(actor=world["admin"], agreement=agreement, amount_idr=100_000, paid_date=today)

    premi_payout(actor=None, maker=makers[0], amount_idr=10_000, method="SAVINGS")
    agency = OrganizationFactory(
        kind=Organization.Kind.AGENCY, name="Disperindag Sumenep", slug="disperindag-sumenep", code="DPS"
    )
    capital_grant(actor=None, organization=facility, group=group, amount_idr=2_000_000, agency=agency)
    pnbp_deposit_record(
        actor=None,
        organization=facility,
        amount_idr=20_000,
        billing_code="820250101234567",
        ntpn="A1B2C3D4E5F6G7H8",
        deposited_date=today,
    )
    pnbp_target_set(actor=None, organization=facility, year=today.year, target_idr=5_000_000)
    return {
        **world,
        "showroom": showroom,
        "pos": pos,
        "returned": returned,
        "agreement": agreement,
        "outlet_sale": outlet_sale.sale,
        "agency": agency,
        "today": today,
    }
