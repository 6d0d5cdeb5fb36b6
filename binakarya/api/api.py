"""The JSON API, mounted at /api/v1/ by binakarya/urls.py. See docs/api.md.

The interactive docs page (Swagger UI) needs its JavaScript served by the app itself, never from a
CDN. django-ninja ships those files, but Django only serves them when "ninja" is in INSTALLED_APPS;
until then the docs page is off and /api/v1/openapi.json is the reference.
"""

from django.conf import settings
from ninja import NinjaAPI, Swagger

from binakarya.api import (
    catalog,
    consignment_returns,
    consignments,
    dashboards,
    deal_orders,
    deal_sizes,
    deals,
    documents,
    export,
    exports,
    feeds,
    impact,
    inventory,
    ledger,
    listings,
    makers,
    orders,
    pos,
    production,
    program_activities,
    program_release,
    program_skills,
    programs,
    reports,
    sales,
    staff,
)
from binakarya.api.errors import install_exception_handlers
from binakarya.api.i18n import negotiate_language

LOCAL_DOCS = "ninja" in settings.INSTALLED_APPS

api = NinjaAPI(
    title="Binakarya API",
    version="1",
    description="Public catalog of crafts made in Indonesian correctional facilities and by UMKM producers; "
    "staff reads over makers and groups; staff writes for production lots, stock and transfers; "
    "sales, returns, makers' premi statements and payouts, split rules, capital funds and PNBP; "
    "public impact figures; web and WhatsApp orders, their payments and fulfilment, shop settings and rates; "
    "consignment agreements with outlets, goods placed there and the outlets' sales; "
    "requests for quotation and quotations for agencies and bulk buyers; "
    "export inquiries, pro-forma invoices, packing lists and the certificate-of-origin checklist; "
    "channel feed checks and the TikTok Shop and Shopee files; "
    "agreements (MoU, PKS) with partner agencies and their obligations; "
    "dashboards by facility, province, nation or agency; monthly reports and the e-Katalog marketing report. "
    "Money is integer rupiah (`*_idr`). See docs/api.md.",
    urls_namespace="api",
    docs_url="/docs" if LOCAL_DOCS else None,
    # No call-outs: the spec validator badge would fetch from validator.swagger.io.
    docs=Swagger(settings={"validatorUrl": None}),
)
install_exception_handlers(api)
# "view" mode wraps the whole operation (auth, validation, errors), so every message is translated.
api.add_decorator(negotiate_language, mode="view")
api.add_router("", catalog.router)
api.add_router("", export.router)
api.add_router("", makers.router)
api.add_router("", production.router)
api.add_router("", inventory.router)
api.add_router("", documents.router)
api.add_router("", sales.router)
api.add_router("", pos.router)
api.add_router("", ledger.router)
api.add_router("", impact.router)
api.add_router("", staff.router)
api.add_router("", orders.router)
api.add_router("", consignments.router)
api.add_router("", consignment_returns.router)
api.add_router("", listings.router)
api.add_router("", deals.router)
api.add_router("", deal_orders.router)
api.add_router("", deal_sizes.router)
api.add_router("", exports.router)
api.add_router("", feeds.router)
api.add_router("", programs.router)
api.add_router("", program_skills.router)
api.add_router("", program_activities.router)
api.add_router("", program_release.router)
api.add_router("", dashboards.router)
api.add_router("", reports.router)
