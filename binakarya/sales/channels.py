"""What each sales channel means for a sale, in one table.

A channel is how a sale reached the buyer (``Channel`` in ``sales/models.py``). Its policy says:

- ``receivable``: whether the money is owed by an organization (an outlet, an agency, an importer)
  rather than received at once; it is then booked as a receivable from that organization, if the
  sale names it (the buyer, or the outlet holding consigned stock), and as cash otherwise;
- ``owed_by_outlet``: the organization that owes is the outlet where the goods were sold, when no
  buyer is named (consignment);
- ``commission``: whether a commission is part of the channel's usual terms (an outlet keeps its
  commission); the staff form offers the field for these channels first. A commission may be
  recorded on any channel: a market stall or a reseller may take one too;
- ``location_kinds``: where stock may be sold from through the channel;
- ``default_for``: the location kinds for which the staff form proposes this channel.

A new channel (orders, POS, consignment, agency deals, export) is a domain app whose service ends in
``sales.services.sale_record``; it adds a row here only if it brings a new ``Channel`` value.
"""

from dataclasses import dataclass

from binakarya.inventory.models import Location
from binakarya.sales.models import Channel

SELLING_KINDS = frozenset({Location.Kind.STORE, Location.Kind.SHOWROOM, Location.Kind.OUTLET, Location.Kind.EVENT})


@dataclass(frozen=True)
class ChannelPolicy:
    receivable: bool = False
    owed_by_outlet: bool = False
    commission: bool = False
    location_kinds: frozenset[str] = SELLING_KINDS
    default_for: frozenset[str] = frozenset()


POLICIES: dict[str, ChannelPolicy] = {
    Channel.WEB: ChannelPolicy(),
    Channel.WHATSAPP: ChannelPolicy(),
    Channel.POS: ChannelPolicy(
        default_for=frozenset({Location.Kind.STORE, Location.Kind.SHOWROOM, Location.Kind.EVENT})
    ),
    Channel.OUTLET: ChannelPolicy(
        receivable=True, owed_by_outlet=True, commission=True, default_for=frozenset({Location.Kind.OUTLET})
    ),
    Channel.INSTITUTIONAL: ChannelPolicy(receivable=True),
    Channel.EXPORT: ChannelPolicy(receivable=True),
    Channel.MARKETPLACE: ChannelPolicy(commission=True),
    Channel.DIRECT: ChannelPolicy(),
}


def channel_policy(channel: str) -> ChannelPolicy | None:
    """The channel's policy, or None for a value that is not a channel."""
    return POLICIES.get(channel)


def owed_by(*, channel: str, buyer_id: int | None, outlet_id: int | None) -> int | None:
    """The organization that owes a sale's money (its id), or None when the money is received at once."""
    policy = POLICIES[channel]
    if not policy.receivable:
        return None
    if buyer_id is not None:
        return buyer_id
    return outlet_id if policy.owed_by_outlet else None


def default_channel(location_kind: str) -> str:
    """The channel the staff form proposes for a sale at a location of this kind."""
    return next((channel for channel, p in POLICIES.items() if location_kind in p.default_for), Channel.POS)
