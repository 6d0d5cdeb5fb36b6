"""Settlement periods of an agreement: a calendar week (Monday to Sunday) or a calendar month, and the
day a period's statement is due (its last day + the agreement's ``payment_days``)."""

import calendar
import datetime

from binakarya.consignment.models import Agreement


def period_of(settlement_period: str, day: datetime.date) -> tuple[datetime.date, datetime.date]:
    """The week (Monday–Sunday) or month that contains ``day``: its first and last day."""
    if settlement_period == Agreement.Period.WEEKLY:
        start = day - datetime.timedelta(days=day.weekday())
        return start, start + datetime.timedelta(days=6)
    last = calendar.monthrange(day.year, day.month)[1]
    return day.replace(day=1), day.replace(day=last)


def current_period(agreement: Agreement, today: datetime.date) -> tuple[datetime.date, datetime.date]:
    return period_of(agreement.settlement_period, today)


def previous_period(agreement: Agreement, today: datetime.date) -> tuple[datetime.date, datetime.date]:
    """The last whole period before the one containing ``today``: the one a statement is usually issued for."""
    start, _end = current_period(agreement, today)
    return period_of(agreement.settlement_period, start - datetime.timedelta(days=1))


def due_date(agreement: Agreement, period_end: datetime.date) -> datetime.date:
    return period_end + datetime.timedelta(days=agreement.payment_days)
