"""First-in first-out allocation of stock, as pure Python over balances already read (and locked).

Units leave a location oldest lot first (by the lot's finished date, then its id), so every unit
sold or sent is traced to its lot. ``FifoStock`` is filled once from the locked balances and then
answers any number of requests: one sale, one transfer, or a million-row import in file order.
"""

from collections import defaultdict, deque
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

SHORTFALL_MESSAGE = _("%(location)s holds only %(available)s of %(sku)s; %(wanted)s were asked for.")
LOT_SHORTFALL_MESSAGE = _(
    "%(location)s holds only %(available)s of %(sku)s from lot %(lot)s; %(wanted)s were asked for."
)


@dataclass(frozen=True)
class Shortfall:
    """More units of a variant asked for at a location than it holds."""

    location_id: int
    location: str
    variant_id: int
    sku: str
    available: int
    wanted: int
    lot: str = ""  # the lot's code, when units were asked for from one lot (a scanned hang tag)

    def error(self) -> ValidationError:
        params: dict[str, Any] = {
            "location": self.location,
            "available": self.available,
            "sku": self.sku,
            "wanted": self.wanted,
            "variant_id": self.variant_id,
        }
        if self.lot:
            params["lot"] = self.lot
            return ValidationError(LOT_SHORTFALL_MESSAGE, code="insufficient_stock", params=params)
        return ValidationError(SHORTFALL_MESSAGE, code="insufficient_stock", params=params)


class InsufficientStock(ValidationError):
    """A location holds fewer units than asked for.

    ``shortfalls`` lists every variant that is short (with what is held and what was wanted) when the
    request was checked as a whole; it is empty when the database refused a change (a balance would
    have gone below zero) or a single lot was short.
    """

    def __init__(self, message: Any = None, code: str | None = "insufficient_stock", params: Any = None):
        if isinstance(message, list) and message and all(isinstance(s, Shortfall) for s in message):
            self.shortfalls: list[Shortfall] = list(message)
            super().__init__([s.error() for s in self.shortfalls])
            return
        self.shortfalls = []
        super().__init__(message, code=code, params=params)

    @classmethod
    def database_refusal(cls) -> "InsufficientStock":
        """The database refused a change because a balance would have gone below zero (stock moved meanwhile)."""
        return cls(_("There is not enough stock for this change."))


class FifoStock:
    """Units held per (location id, variant id), lot by lot, oldest first."""

    def __init__(self) -> None:
        self._queues: dict[tuple[int, int], deque[list[Any]]] = defaultdict(deque)

    @classmethod
    def from_balances(cls, balances: Iterable[Any]) -> "FifoStock":
        """From StockBalance rows with their ``lot`` loaded (rows holding no units are left out)."""
        stock = cls()
        for b in sorted(balances, key=lambda b: (b.lot.finished_date, b.lot_id)):
            if b.quantity > 0:
                stock._queues[(b.location_id, b.variant_id)].append([b.lot, b.quantity])
        return stock

    def available(self, location_id: int, variant_id: int) -> int:
        queue = self._queues.get((location_id, variant_id))
        return sum(left for _lot, left in queue) if queue else 0

    def lots(self) -> list[Any]:
        """Every lot that still holds units, in no particular order."""
        return [lot for queue in self._queues.values() for lot, _left in queue]

    def lots_taken(self, *, location_id: int, wanted: Mapping[int, int]) -> list[Any]:
        """The lots that taking the ``wanted`` units ({variant id: units}) would take from, taking nothing."""
        lots = []
        for variant_id, units in wanted.items():
            for lot, left in self._queues.get((location_id, variant_id), ()):
                if units <= 0:
                    break
                lots.append(lot)
                units -= left
        return lots

    def shortfalls(
        self,
        *,
        location_id: int,
        location: str,
        wanted: Mapping[int, int],
        skus: Mapping[int, str],
        held_back: Mapping[int, int] | None = None,
    ) -> list[Shortfall]:
        """The variants of which more is ``wanted`` ({variant id: units}) than the location holds, by SKU.

        ``held_back`` ({variant id: units}) is reserved for others (orders awaiting payment): not available.
        """
        short = []
        held_back = held_back or {}
        for variant_id, units in wanted.items():
            available = max(self.available(location_id, variant_id) - held_back.get(variant_id, 0), 0)
            if units > available:
                short.append(Shortfall(location_id, location, variant_id, skus[variant_id], available, units))
        return sorted(short, key=lambda s: s.sku)

    def lot_available(self, location_id: int, variant_id: int, lot_id: int) -> int:
        """Units of one lot held at the location."""
        queue = self._queues.get((location_id, variant_id))
        return sum(left for lot, left in queue if lot.pk == lot_id) if queue else 0

    def lot_shortfalls(
        self,
        *,
        location_id: int,
        location: str,
        wanted: Mapping[tuple[int, int], int],
        skus: Mapping[int, str],
        codes: Mapping[int, str],
    ) -> list[Shortfall]:
        """The lots of which more is ``wanted`` ({(variant id, lot id): units}) than the location holds of them."""
        short = []
        for (variant_id, lot_id), units in wanted.items():
            available = self.lot_available(location_id, variant_id, lot_id)
            if units > available:
                short.append(
                    Shortfall(location_id, location, variant_id, skus[variant_id], available, units, codes[lot_id])
                )
        return sorted(short, key=lambda s: (s.sku, s.lot))

    def take_lot(self, location_id: int, variant_id: int, lot_id: int, quantity: int) -> list[tuple[Any, int]]:
        """Take ``quantity`` units from one lot (the one whose hang tag was scanned): [(lot, units)].

        Check ``lot_shortfalls`` first (ValueError). The lot leaves the queue once it is empty.
        """
        queue = self._queues[(location_id, variant_id)]
        for index, entry in enumerate(queue):
            lot, left = entry
            if lot.pk != lot_id:
                continue
            if left < quantity:
                break
            if left == quantity:
                del queue[index]
            else:
                entry[1] = left - quantity
            return [(lot, quantity)]
        raise ValueError(f"location {location_id} is short of lot {lot_id} of variant {variant_id}")

    def take(self, location_id: int, variant_id: int, quantity: int) -> list[tuple[Any, int]]:
        """Take ``quantity`` units, oldest lot first: [(lot, units)]. Check ``shortfalls`` first (ValueError)."""
        queue = self._queues[(location_id, variant_id)]
        taken = []
        wanted = quantity
        while wanted:
            if not queue:
                raise ValueError(f"location {location_id} is short of variant {variant_id}")
            head = queue[0]
            lot, left = head
            if left <= wanted:
                taken.append((lot, left))
                wanted -= left
                queue.popleft()
            else:
                taken.append((lot, wanted))
                head[1] = left - wanted
                wanted = 0
        return taken
