"""Shared steps of the orders tests."""

from binakarya.orders.models import Order
from binakarya.orders.services import Address, Buyer, CartLine, orders_place
from tests.factories import MembershipFactory, UserFactory

BUYER = Buyer("Siti Aminah", "0812 3456 7890", "siti@example.com")
ADDRESS = Address("Jawa Timur", "Kabupaten Sumenep", "Kota Sumenep", "Jl. Mawar 3", "69411")


def staff_of(organization, role: str = "FACILITY_ADMIN"):
    user = UserFactory()
    MembershipFactory(user=user, organization=organization, role=role)
    return user


def place(*lines, fulfillment: str = "PICKUP", address: Address | None = None, **kw) -> list[Order]:
    """Place a web order of (variant, quantity) pairs."""
    return orders_place(
        lines=[CartLine(v.sku, q) for v, q in lines],
        buyer=kw.pop("buyer", BUYER),
        fulfillment=fulfillment,
        address=address if address is not None else (ADDRESS if fulfillment == "DELIVERY" else None),
        **kw,
    )


def balances(organization) -> dict[str, int]:
    """The organization's journal balance by account kind (debit positive)."""
    from django.db.models import Sum

    from binakarya.ledger.models import JournalLine

    return {
        row["account__kind"]: row["total"]
        for row in JournalLine.objects.filter(organization=organization)
        .values("account__kind")
        .annotate(total=Sum("amount_idr"))
    }
