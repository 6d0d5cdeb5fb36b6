"""Telling the buyer: emails sent by the task worker (django-tasks), never while the buyer waits.

Each function here is called inside the service's transaction and enqueues its task only when that
transaction commits, so a rolled-back order sends nothing. ``make run`` starts the worker
(``manage.py db_worker``); the email backend is the console by default (settings.EMAIL_BACKEND).
An order also schedules its own expiry job for the moment it expires.
"""

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django_tasks import task

from binakarya.orders.models import Order


def tracking_url(order: Order) -> str:
    """The buyer's secret link to the order, in the language they ordered in."""
    with translation.override(order.language or settings.LANGUAGE_CODE):
        return settings.SITE_URL + reverse("storefront:order_track", args=[order.token])


def whatsapp_status_text(order: Order) -> str:
    """The message staff send the buyer on WhatsApp: the order's status, what to pay and its link."""
    with translation.override(order.language or settings.LANGUAGE_CODE):
        return render_to_string("orders/whatsapp_status.txt", {"order": order, "url": tracking_url(order)}).strip()


@task()
def order_email_send(order_id: int, kind: str) -> bool:
    """Email the buyer about ``order_id`` (kind: placed, status, proof); False when there is nobody to write to."""
    order = Order.objects.select_related("organization").filter(pk=order_id).first()
    if order is None or not order.buyer_email:
        return False
    with translation.override(order.language or settings.LANGUAGE_CODE):
        context = {"order": order, "url": tracking_url(order), "kind": kind, "lines": list(order.lines.all())}
        subject = " ".join(render_to_string("orders/email/subject.txt", context).split())
        body = render_to_string("orders/email/body.txt", context)
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [order.buyer_email])
    return True


@task()
def order_expire_task(order_id: int) -> bool:
    """Expire the order if it is still unpaid at its time (scheduled for that time when it is placed)."""
    # Imported here: the services import this module to send their notifications.
    from binakarya.orders.services import order_expire  # noqa: PLC0415

    order = Order.objects.filter(pk=order_id).first()
    return order is not None and order_expire(order=order)


def _on_commit_email(order: Order, kind: str) -> None:
    if order.buyer_email:
        order_id = order.pk
        transaction.on_commit(lambda: order_email_send.enqueue(order_id, kind))


def expiry_scheduled(order: Order) -> None:
    """Run the expiry job at the order's (new) deadline, once the transaction commits."""
    order_id, when = order.pk, order.expires_at
    transaction.on_commit(lambda: order_expire_task.using(run_after=when).enqueue(order_id))


def order_placed(order: Order) -> None:
    _on_commit_email(order, "placed")
    expiry_scheduled(order)


def order_status(order: Order) -> None:
    _on_commit_email(order, "status")


def proof_received(order: Order) -> None:
    _on_commit_email(order, "proof")
