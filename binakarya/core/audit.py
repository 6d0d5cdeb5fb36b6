from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.db import models
from django.utils import timezone

from binakarya.core.models import AuditEvent
from binakarya.core.types import Actor, user_of

if TYPE_CHECKING:
    from binakarya.core.bulk import RowWriter
    from binakarya.organizations.models import Organization


class AuditAction(models.TextChoices):
    """What an audit row records, stored as its value in ``AuditEvent.action`` (a plain CharField:
    the model field has no choices, so adding an action needs no migration)."""

    # organizations
    ORGANIZATION_CREATE = "organization.create"
    MEMBERSHIP_GRANT = "membership.grant"
    # accounts: staff accounts managed by their facility's admin (accounts.services)
    STAFF_CREATE = "staff.create"
    STAFF_PASSWORD_SET = "staff.password_set"
    STAFF_ROLE_CHANGE = "staff.role_change"
    STAFF_DEACTIVATE = "staff.deactivate"
    STAFF_REACTIVATE = "staff.reactivate"
    # makers
    MAKER_CREATE = "maker.create"
    MAKER_UPDATE = "maker.update"
    GROUP_CREATE = "group.create"
    GROUP_MEMBER_ADD = "group.member_add"
    GROUP_MEMBER_LEAVE = "group.member_leave"
    # catalog
    PRODUCER_CREATE = "producer.create"
    PRODUCER_UPDATE = "producer.update"
    PRODUCT_CREATE = "product.create"
    PRODUCT_UPDATE = "product.update"
    VARIANT_CREATE = "variant.create"
    VARIANT_UPDATE = "variant.update"
    PHOTO_ADD = "photo.add"
    PHOTO_DELETE = "photo.delete"
    PHOTO_COVER = "photo.cover"
    # catalog: e-Katalog listing pack (issue 13)
    LISTING_SAVE = "listing.save"
    # catalog: export (issue 13)
    EXPORT_PROFILE_SAVE = "export_profile.save"
    PRODUCT_ENGLISH_UPDATE = "product.english_update"
    EXCHANGE_RATE_CREATE = "exchange_rate.create"
    # production
    LOT_RECORD = "lot.record"
    LOT_TAGS = "lot.tags"
    # inventory
    LOCATION_CREATE = "location.create"
    STOCK_ADJUST = "stock.adjust"
    STOCK_DAMAGE = "stock.damage"
    STOCK_REVERSE = "stock.reverse"
    STOCK_COUNT = "stock.count"
    TRANSFER_SEND = "transfer.send"
    TRANSFER_RECEIVE = "transfer.receive"
    # sales
    SALE_RECORD = "sale.record"
    SALE_REVERSE = "sale.reverse"
    SALES_IMPORT = "sales.import"
    # orders
    ORDER_PLACE = "order.place"
    ORDER_PAYMENT_SUBMIT = "order.payment_submit"
    ORDER_PAYMENT_CONFIRM = "order.payment_confirm"
    ORDER_PAYMENT_REJECT = "order.payment_reject"
    ORDER_REFUND = "order.refund"
    ORDER_TRANSITION = "order.transition"
    ORDER_CANCEL = "order.cancel"
    ORDER_EXPIRE = "order.expire"
    ORDER_SHIPPING_SET = "order.shipping_set"
    ORDER_DOCUMENT_ISSUE = "order.document_issue"
    SHOP_SETTINGS_UPDATE = "shop.settings_update"
    SHIPPING_RATES_UPDATE = "shop.shipping_rates_update"
    # point of sale
    POS_SESSION_OPEN = "pos.session_open"
    POS_SALE = "pos.sale"
    POS_SESSION_CLOSE = "pos.session_close"
    # consignment
    CONSIGNMENT_AGREEMENT_CREATE = "consignment.agreement_create"
    CONSIGNMENT_AGREEMENT_END = "consignment.agreement_end"
    CONSIGNMENT_PLACEMENT_SEND = "consignment.placement_send"
    CONSIGNMENT_PLACEMENT_RECEIVE = "consignment.placement_receive"
    CONSIGNMENT_SALE = "consignment.sale"
    CONSIGNMENT_PAYMENT = "consignment.payment"
    CONSIGNMENT_STATEMENT_ISSUE = "consignment.statement_issue"
    CONSIGNMENT_SALES_IMPORT = "consignment.sales_import"
    CONSIGNMENT_RETURN = "consignment.return"
    CONSIGNMENT_RETURN_RECEIVE = "consignment.return_receive"
    CONSIGNMENT_DAMAGE = "consignment.damage"
    CONSIGNMENT_COUNT = "consignment.count"
    # deals
    CONTRACT_RULE_CREATE = "deals.contract_rule_create"
    DEAL_TAX_SETTINGS = "deals.tax_settings"
    RFQ_SUBMIT = "deals.rfq_submit"
    QUOTATION_ISSUE = "deals.quotation_issue"
    DEAL_ACCEPT = "deals.accept"
    DEAL_DELIVERY = "deals.delivery"
    DEAL_HANDOVER = "deals.handover"
    DEAL_INVOICE = "deals.invoice"
    DEAL_PAYMENT = "deals.payment"
    DEAL_CANCEL = "deals.cancel"
    # deals: uniform size lists
    SIZE_LIST_UPLOAD = "deals.size_list_upload"
    PACKING_LIST_ISSUE = "deals.packing_list_issue"
    # exports
    EXPORT_INQUIRY_SUBMIT = "exports.inquiry_submit"
    EXPORT_INQUIRY_CLOSE = "exports.inquiry_close"
    EXPORTER_SETTINGS = "exports.exporter_settings"
    PROFORMA_ISSUE = "exports.proforma_issue"
    EXPORT_CHECKLIST_MARK = "exports.checklist_mark"
    EXPORT_ORDER_CONFIRM = "exports.order_confirm"
    EXPORT_PAYMENT = "exports.payment"
    EXPORT_SHIPMENT = "exports.shipment"
    # ledger
    SPLIT_RULE_CREATE = "split_rule.create"
    PREMI_PAYOUT = "premi.payout"
    PREMI_STATEMENT = "premi.statement"
    CAPITAL_GRANT = "capital.grant"
    CAPITAL_PURCHASE = "capital.purchase"
    PNBP_DEPOSIT = "pnbp.deposit"
    PNBP_TARGET = "pnbp.target"
    # programs: agreements with partner agencies (issue 15)
    PROGRAM_AGREEMENT_CREATE = "programs.agreement_create"
    PROGRAM_AGREEMENT_UPDATE = "programs.agreement_update"
    PROGRAM_OBLIGATION_ADD = "programs.obligation_add"
    PROGRAM_OBLIGATION_DONE = "programs.obligation_done"
    # programs: skills certificates and the release checklist (issue 15)
    PROGRAM_CERTIFICATE_ISSUE = "programs.certificate_issue"
    PROGRAM_CERTIFICATE_NAME_CONSENT_WITHDRAW = "programs.certificate_name_consent_withdraw"
    PROGRAM_RELEASE_COMPLETE = "programs.release_complete"
    # programs: activities, attendance and what came from an agreement (issue 15)
    PROGRAM_ACTIVITY_CREATE = "programs.activity_create"
    PROGRAM_ACTIVITY_UPDATE = "programs.activity_update"
    PROGRAM_ATTENDANCE_RECORD = "programs.attendance_record"
    PROGRAM_ACTIVITY_PRODUCT_ADD = "programs.activity_product_add"
    PROGRAM_ACTIVITY_PRODUCT_REMOVE = "programs.activity_product_remove"
    PROGRAM_ACTIVITY_POS_LINK = "programs.activity_pos_link"
    PROGRAM_ACTIVITY_POS_UNLINK = "programs.activity_pos_unlink"
    PROGRAM_GRANT_LINK = "programs.grant_link"
    PROGRAM_GRANT_UNLINK = "programs.grant_unlink"
    PROGRAM_DEAL_LINK = "programs.deal_link"
    PROGRAM_DEAL_UNLINK = "programs.deal_unlink"
    # programs: after release, livelihood and outcome checks (issue 15)
    PROGRAM_LIVELIHOOD_START = "programs.livelihood_start"
    PROGRAM_OUTCOME_RECORD = "programs.outcome_record"


def audit_record(
    *,
    actor: Actor,
    action: AuditAction,
    obj: models.Model,
    organization: Organization | None = None,
    **data: Any,
) -> AuditEvent:
    """Write an audit row inside the caller's transaction."""
    org = organization if organization is not None else getattr(obj, "organization", None)
    return AuditEvent.objects.create(
        organization=org,
        actor=user_of(actor),
        action=action,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        data=data,
    )


def audit_records_write(
    *,
    writer: RowWriter,
    actor_id: int | None,
    action: AuditAction,
    model: type[models.Model],
    events: Iterable[tuple[int | None, int, dict[str, Any]]],
) -> None:
    """Write one audit row per (organization id, object id, data) of ``model`` with ``writer`` (the bulk form)."""
    now = timezone.now()
    object_type = model._meta.label_lower
    writer.insert(
        AuditEvent,
        ("organization_id", "actor_id", "action", "object_type", "object_id", "data", "created_at"),
        [(org_id, actor_id, action, object_type, str(object_id), data, now) for org_id, object_id, data in events],
    )
