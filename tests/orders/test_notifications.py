"""Emails go through the task worker after commit; they name no maker; an order schedules its own expiry."""

from django.core import mail
from django_tasks_db.models import DBTaskResult

from binakarya.orders.notifications import order_email_send, order_expire_task, whatsapp_status_text
from binakarya.orders.services import payment_record
from tests.orders.helpers import place, staff_of


def test_placing_an_order_enqueues_its_email_and_its_expiry(seller, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        (order,) = place((seller["variant"], 1))
    tasks = {r.task_path.rsplit(".", 1)[-1]: r for r in DBTaskResult.objects.all()}
    # and the seller's product feeds are rebuilt: the reservation lowered the variant's public stock figure
    assert set(tasks) == {"order_email_send", "order_expire_task", "feeds_rebuild_task"}
    assert tasks["order_expire_task"].run_after == order.expires_at
    assert tasks["feeds_rebuild_task"].args_kwargs["args"] == [order.organization_id]


def test_the_placed_email_tells_what_to_pay_and_where_to_follow_the_order(seller, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    (order,) = place((seller["variant"], 2))
    assert order_email_send.call(order.pk, "placed") is True
    (message,) = mail.outbox
    assert message.to == ["siti@example.com"]
    assert order.number in message.subject
    assert f"/pesanan/{order.token}/" in message.body
    assert "Rp" in message.body
    for maker in seller["members"]:
        assert maker.full_name and maker.full_name not in message.body and maker.full_name not in message.subject
        assert not maker.registration_number or maker.registration_number not in message.body


def test_no_email_without_an_address(seller):
    from binakarya.orders.services import Buyer

    (order,) = place((seller["variant"], 1), buyer=Buyer("Budi", "0812 1111 2222"))
    assert order_email_send.call(order.pk, "placed") is False


def test_the_expiry_task_expires_only_an_overdue_unpaid_order(seller):
    (order,) = place((seller["variant"], 1))
    assert order_expire_task.call(order.pk) is False  # not due yet
    payment_record(actor=staff_of(seller["org"]), order=order, amount_idr=order.total_idr, method="CASH")
    type(order).objects.filter(pk=order.pk).update(expires_at=order.created_at)
    assert order_expire_task.call(order.pk) is False  # paid: never expires
    order.refresh_from_db()
    assert order.status == "PAID"


def test_the_whatsapp_message_names_the_order_and_its_link(seller):
    (order,) = place((seller["variant"], 1))
    text = whatsapp_status_text(order)
    assert order.number in text and order.token in text
