"""Telling the buyer abroad: an email with the link to their inquiry when it is received, and again when its
pro-forma invoice and packing list are issued. Sent by the task worker (django-tasks) once the transaction
commits, in the language the buyer wrote in (English unless they used the Indonesian form)."""

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django_tasks import task

from binakarya.exports.models import ExportInquiry


def buyer_language(inquiry: ExportInquiry) -> str:
    return "id" if inquiry.language == "id" else "en"


def buyer_url(inquiry: ExportInquiry) -> str:
    """The buyer's secret link to the inquiry and its documents, in their language."""
    with translation.override(buyer_language(inquiry)):
        return settings.SITE_URL + reverse("storefront:export_documents", args=[inquiry.token])


@task()
def inquiry_email_send(inquiry_id: int, kind: str) -> bool:
    """Email the buyer about ``inquiry_id`` (kind: received, issued)."""
    inquiry = ExportInquiry.objects.select_related("organization").filter(pk=inquiry_id).first()
    if inquiry is None or not inquiry.contact_email:
        return False
    with translation.override(buyer_language(inquiry)):
        context = {"inquiry": inquiry, "url": buyer_url(inquiry), "kind": kind}
        subject = " ".join(render_to_string("exports/email/subject.txt", context).split())
        body = render_to_string("exports/email/body.txt", context)
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [inquiry.contact_email])
    return True


def _on_commit(inquiry: ExportInquiry, kind: str) -> None:
    inquiry_id = inquiry.pk
    transaction.on_commit(lambda: inquiry_email_send.enqueue(inquiry_id, kind))


def inquiry_received(inquiry: ExportInquiry) -> None:
    _on_commit(inquiry, "received")


def documents_issued(inquiry: ExportInquiry) -> None:
    _on_commit(inquiry, "issued")
