"""The OpenAPI schema and the (local-only) docs page."""

from django.conf import settings

from binakarya.api.api import LOCAL_DOCS


def test_openapi_json_describes_every_endpoint(client, db):
    # when
    response = client.get("/api/v1/openapi.json")

    # then
    assert response.status_code == 200
    schema = response.json()
    assert schema["info"]["title"] == "Binakarya API"
    assert sorted(schema["paths"]) == [
        "/api/v1/activities",
        "/api/v1/activities/{activity_id}",
        "/api/v1/activities/{activity_id}/attendance",
        "/api/v1/agreements",
        "/api/v1/agreements/{agreement_id}",
        "/api/v1/agreements/{agreement_id}/deals",
        "/api/v1/agreements/{agreement_id}/document",
        "/api/v1/agreements/{agreement_id}/grants",
        "/api/v1/agreements/{agreement_id}/obligations",
        "/api/v1/capital/funds",
        "/api/v1/capital/grants",
        "/api/v1/capital/purchases",
        "/api/v1/certificates/{certificate_id}/pdf",
        "/api/v1/certificates/{certificate_id}/withdraw-name-consent",
        "/api/v1/consignments",
        "/api/v1/consignments/{agreement_id}",
        "/api/v1/consignments/{agreement_id}/counts",
        "/api/v1/consignments/{agreement_id}/damage",
        "/api/v1/consignments/{agreement_id}/history/pdf",
        "/api/v1/consignments/{agreement_id}/payments",
        "/api/v1/consignments/{agreement_id}/placements",
        "/api/v1/consignments/{agreement_id}/placements/{placement_id}",
        "/api/v1/consignments/{agreement_id}/placements/{placement_id}/receive",
        "/api/v1/consignments/{agreement_id}/returns",
        "/api/v1/consignments/{agreement_id}/returns/{return_id}/pdf",
        "/api/v1/consignments/{agreement_id}/returns/{return_id}/receive",
        "/api/v1/consignments/{agreement_id}/review",
        "/api/v1/consignments/{agreement_id}/sales",
        "/api/v1/consignments/{agreement_id}/sales/import",
        "/api/v1/consignments/{agreement_id}/sales/template.csv",
        "/api/v1/consignments/{agreement_id}/statement",
        "/api/v1/consignments/{agreement_id}/statement/issue",
        "/api/v1/consignments/{agreement_id}/statements",
        "/api/v1/consignments/{agreement_id}/statements/{statement_id}/pdf",
        "/api/v1/consignments/{agreement_id}/stock",
        "/api/v1/dashboards",
        "/api/v1/dashboards/panels",
        "/api/v1/deals",
        "/api/v1/deals/{number}",
        "/api/v1/deals/{number}/bast",
        "/api/v1/deals/{number}/cancel",
        "/api/v1/deals/{number}/deliveries",
        "/api/v1/deals/{number}/documents/{document}/pdf",
        "/api/v1/deals/{number}/invoice",
        "/api/v1/deals/{number}/payments",
        "/api/v1/documents/{number}/pdf",
        "/api/v1/exchange-rates",
        "/api/v1/export-inquiries",
        "/api/v1/export-inquiries/{inquiry_id}",
        "/api/v1/export-inquiries/{inquiry_id}/checklist",
        "/api/v1/export-inquiries/{inquiry_id}/checklist/{item}",
        "/api/v1/export-inquiries/{inquiry_id}/close",
        "/api/v1/export-inquiries/{inquiry_id}/proforma",
        "/api/v1/exporter-settings",
        "/api/v1/feeds/{seller_slug}/problems",
        "/api/v1/feeds/{seller_slug}/shopee-stock.xlsx",
        "/api/v1/feeds/{seller_slug}/shopee.xlsx",
        "/api/v1/feeds/{seller_slug}/tiktok.csv",
        "/api/v1/groups",
        "/api/v1/impact/{organization_slug}",
        "/api/v1/ledger/trial-balance",
        "/api/v1/listings.xlsx",
        "/api/v1/locations",
        "/api/v1/lots",
        "/api/v1/lots/{code}",
        "/api/v1/lots/{code}/tags",
        "/api/v1/makers",
        "/api/v1/makers/{maker_id}/certificates",
        "/api/v1/makers/{maker_id}/payouts",
        "/api/v1/makers/{maker_id}/release",
        "/api/v1/makers/{maker_id}/skills",
        "/api/v1/makers/{maker_id}/statement",
        "/api/v1/orders",
        "/api/v1/orders/{number}",
        "/api/v1/orders/{number}/cancel",
        "/api/v1/orders/{number}/payments",
        "/api/v1/orders/{number}/payments/{payment_id}/confirm",
        "/api/v1/orders/{number}/payments/{payment_id}/reject",
        "/api/v1/orders/{number}/proofs",
        "/api/v1/orders/{number}/refunds",
        "/api/v1/orders/{number}/shipping",
        "/api/v1/orders/{number}/transitions",
        "/api/v1/payments/webhooks/{provider}",
        "/api/v1/pnbp",
        "/api/v1/pnbp/deposits",
        "/api/v1/pnbp/targets/{year}",
        "/api/v1/pos/sales",
        "/api/v1/pos/sessions",
        "/api/v1/pos/sessions/{session_id}",
        "/api/v1/pos/sessions/{session_id}/close",
        "/api/v1/producers",
        "/api/v1/products",
        "/api/v1/products/{slug}",
        "/api/v1/products/{slug}/export",
        "/api/v1/products/{slug}/listing",
        "/api/v1/products/{slug}/spec-sheet.pdf",
        "/api/v1/proformas/{number}",
        "/api/v1/proformas/{number}/commercial-invoice.pdf",
        "/api/v1/proformas/{number}/confirm",
        "/api/v1/proformas/{number}/packing-list.pdf",
        "/api/v1/proformas/{number}/payments",
        "/api/v1/proformas/{number}/pdf",
        "/api/v1/proformas/{number}/shipment",
        "/api/v1/programs/outcomes",
        "/api/v1/quotations",
        "/api/v1/quotations/{number}",
        "/api/v1/quotations/{number}/accept",
        "/api/v1/quotations/{number}/pdf",
        "/api/v1/releases",
        "/api/v1/releases/{release_id}/livelihood",
        "/api/v1/releases/{release_id}/outcomes",
        "/api/v1/reports/ekatalog",
        "/api/v1/reports/monthly/{org_slug}/{year}/{month}.pdf",
        "/api/v1/rfqs",
        "/api/v1/rfqs/with-size-list",
        "/api/v1/rfqs/{rfq_id}",
        "/api/v1/sales",
        "/api/v1/sales/{number}",
        "/api/v1/sales/{number}/reverse",
        "/api/v1/shop/{organization}/settings",
        "/api/v1/shop/{organization}/shipping-rates",
        "/api/v1/size-lists",
        "/api/v1/size-lists/template.xlsx",
        "/api/v1/size-lists/{size_list_id}",
        "/api/v1/size-lists/{size_list_id}/packing-list.pdf",
        "/api/v1/size-lists/{size_list_id}/packing-list.xlsx",
        "/api/v1/split-rules",
        "/api/v1/split-rules/preview",
        "/api/v1/staff",
        "/api/v1/staff/{membership_id}",
        "/api/v1/staff/{membership_id}/deactivate",
        "/api/v1/staff/{membership_id}/password",
        "/api/v1/staff/{membership_id}/reactivate",
        "/api/v1/staff/{membership_id}/role",
        "/api/v1/stock",
        "/api/v1/stock/adjustments",
        "/api/v1/stock/counts",
        "/api/v1/transfers",
        "/api/v1/transfers/{number}",
        "/api/v1/transfers/{number}/receive",
    ]
    assert sorted(schema["components"]["securitySchemes"]) == ["ApiTokenAuth", "OptionalSessionAuth", "SessionAuth"]
    assert "security" not in schema["paths"]["/api/v1/products"]["get"]
    assert "security" not in schema["paths"]["/api/v1/impact/{organization_slug}"]["get"]
    assert schema["paths"]["/api/v1/sales"]["post"]["security"] == [{"ApiTokenAuth": []}, {"SessionAuth": []}]
    assert schema["paths"]["/api/v1/ledger/trial-balance"]["get"]["security"] == [
        {"ApiTokenAuth": []},
        {"SessionAuth": []},
    ]
    assert schema["paths"]["/api/v1/makers"]["get"]["security"] == [{"ApiTokenAuth": []}, {"SessionAuth": []}]
    page = next(p for p in schema["paths"]["/api/v1/products"]["get"]["parameters"] if p["name"] == "page")
    assert page["schema"]["minimum"] == 1


def test_docs_page_is_served_only_with_local_assets(client, db):
    # when
    response = client.get("/api/v1/docs")

    # then: no CDN, ever; without "ninja" in INSTALLED_APPS there is no page at all
    assert LOCAL_DOCS == ("ninja" in settings.INSTALLED_APPS)
    if LOCAL_DOCS:
        assert response.status_code == 200
        assert b"cdn" not in response.content.lower()
    else:
        assert response.status_code == 404
