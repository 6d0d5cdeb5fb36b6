"""A checkout carried out once per key: the same body gets the same orders; another body is refused."""

import threading

import pytest
from django.db import connection

from binakarya.orders.idempotency import (
    IdempotencyConflict,
    idempotency_purge,
    idempotent,
    request_hash,
)
from binakarya.orders.models import IdempotencyRecord, Order
from tests.orders.helpers import place


def checkout(variant, quantity: int, key: str):
    body = {"lines": [[variant.sku, quantity]], "buyer": "Siti"}

    def run():
        orders = place((variant, quantity))
        return {"orders": [o.number for o in orders]}

    return idempotent(scope="checkout", key=key, digest=request_hash(body), run=run)


def test_the_same_key_and_body_answers_with_the_same_orders(seller):
    first, replayed_first = checkout(seller["variant"], 2, "key-1")
    again, replayed_again = checkout(seller["variant"], 2, "key-1")
    assert (replayed_first, replayed_again) == (False, True)
    assert first == again
    assert Order.objects.count() == 1


def test_the_same_key_with_another_body_is_refused(seller):
    checkout(seller["variant"], 2, "key-1")
    with pytest.raises(IdempotencyConflict):
        checkout(seller["variant"], 3, "key-1")
    assert Order.objects.count() == 1


def test_a_request_that_fails_keeps_nothing_and_can_be_retried(seller):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        checkout(seller["variant"], 50, "key-1")
    assert not IdempotencyRecord.objects.exists()
    answer, replayed = checkout(seller["variant"], 5, "key-2")
    assert not replayed and len(answer["orders"]) == 1


def test_records_are_kept_a_day_at_least_then_purged(seller):
    import datetime

    from django.utils import timezone

    checkout(seller["variant"], 1, "key-1")
    record = IdempotencyRecord.objects.get()
    assert record.expires_at - record.created_at >= datetime.timedelta(hours=24)
    assert idempotency_purge(now=timezone.now() + datetime.timedelta(hours=23)) == 0
    assert idempotency_purge(now=timezone.now() + datetime.timedelta(hours=49)) == 1


def test_the_hash_ignores_key_order():
    assert request_hash({"a": 1, "b": [1, 2]}) == request_hash({"b": [1, 2], "a": 1})
    assert request_hash({"a": 1}) != request_hash({"a": 2})


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_two_requests_with_one_key_at_once_place_one_order():
    from tests.orders.conftest import make_seller

    seller = make_seller(name="Rutan Sumenep")
    barrier = threading.Barrier(2)
    answers = []

    def run():
        barrier.wait()
        try:
            answers.append(checkout(seller["variant"], 1, "same-key"))
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert Order.objects.count() == 1
    assert sorted(replayed for _answer, replayed in answers) == [False, True]
    assert answers[0][0] == answers[1][0]
