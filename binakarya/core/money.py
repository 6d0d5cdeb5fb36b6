"""Rupiah amounts are integers; this module only formats them for people."""


def format_rupiah(amount_idr: int | None) -> str:
    """Format an integer rupiah amount the Indonesian way: ``Rp1.250.000``."""
    if amount_idr is None:
        return ""
    amount = int(amount_idr)
    sign = "-" if amount < 0 else ""
    return f"{sign}Rp{abs(amount):,}".replace(",", ".")
