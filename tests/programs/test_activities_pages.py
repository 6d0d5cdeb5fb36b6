"""The Kegiatan pages: list, record and change an activity, its detail, the phone attendance page (untick the
absent, save), the agreement's page with its activities, grants and sales; permissions, isolation, privacy."""

import datetime

import pytest
from django.urls import reverse

from binakarya.ledger.services import capital_grant
from binakarya.programs.models import Activity, ActivityProduct, AgreementGrant, Attendance
from binakarya.programs.services import activity_attendance_record
from tests.factories import ProducerFactory, ProductFactory
from tests.programs.activities_world import NAMES, activity_world, workshop


@pytest.fixture
def w(world, make, today):
    return activity_world(world, make, today)


def en(client, user):
    client.force_login(user)
    client.cookies["django_language"] = "en"
    return client


def test_the_admin_records_an_activity_from_the_form(client, w, today):
    en(client, w["admin"])
    page = client.get(reverse("backoffice:program_activity_create") + f"?kerja_sama={w['agreement'].pk}")
    assert page.status_code == 200 and "novalidate" in page.content.decode()

    response = client.post(
        reverse("backoffice:program_activity_create"),
        {
            "organization": w["facility"].pk,
            "kind": "DESIGN",
            "title": "Lokakarya desain kemasan",
            "agreement": w["agreement"].pk,
            "partner": w["polres"].pk,
            "group": w["group"].pk,
            "place": "Aula",
            "start_date": today.isoformat(),
            "end_date": today.isoformat(),
            "hours": "6",
            "instructors": "Kemendag",
            "outcomes": "",
        },
    )

    activity = Activity.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("backoffice:program_activity", args=[activity.pk])
    assert activity.agreement == w["agreement"] and activity.hours == 6


def test_a_refused_form_says_why_and_saves_nothing(client, w, today):
    en(client, w["admin"])
    response = client.post(
        reverse("backoffice:program_activity_create"),
        {
            "organization": w["facility"].pk,
            "kind": "DESIGN",
            "title": "Lokakarya",
            "agreement": w["agreement"].pk,
            "partner": w["kemendag"].pk,
            "place": "Aula",
            "start_date": today.isoformat(),
            "end_date": today.isoformat(),
            "hours": "0",
        },
    )
    text = response.content.decode()
    assert response.status_code == 400
    assert "Ensure this value is greater than or equal to 1." in text or "more than 0" in text
    assert not Activity.objects.exists()

    response = client.post(
        reverse("backoffice:program_activity_create"),
        {
            "organization": w["facility"].pk,
            "kind": "DESIGN",
            "title": "Lokakarya",
            "agreement": w["agreement"].pk,
            "partner": w["kemendag"].pk,
            "place": "Aula",
            "start_date": today.isoformat(),
            "end_date": today.isoformat(),
            "hours": "4",
        },
    )
    assert response.status_code == 400
    assert "is not a partner of agreement DEMO/001/2026" in response.content.decode()
    assert not Activity.objects.exists()


def test_an_instructor_takes_attendance_in_a_few_taps(client, w, today):
    activity = workshop(w, today)
    en(client, w["instructor"])

    detail = client.get(reverse("backoffice:program_activity", args=[activity.pk]))
    assert 'data-testid="take-attendance"' in detail.content.decode()
    page = client.get(reverse("backoffice:program_activity_attendance", args=[activity.pk]))
    text = page.content.decode()
    assert page.status_code == 200
    assert text.count('type="checkbox" name="present"') == 3 and text.count(" checked") == 3
    assert "Pulang Bebasiana" not in text  # released: not on the roster

    siti, budi, joko = w["makers"]
    # untick Budi, Joko left after 3 hours, save
    response = client.post(
        reverse("backoffice:program_activity_attendance", args=[activity.pk]),
        {"present": [siti.pk, joko.pk], f"hours-{joko.pk}": "3", f"hours-{budi.pk}": ""},
    )

    assert response.status_code == 302
    rows = {a.maker_id: (a.present, a.hours) for a in Attendance.objects.all()}
    assert rows == {siti.pk: (True, 8), budi.pk: (False, 0), joko.pk: (True, 3)}
    detail = client.get(reverse("backoffice:program_activity", args=[activity.pk])).content.decode()
    assert "2 participants, 11 hours" in detail and "Budi Tersembunyi" in detail


def test_a_wrong_hour_on_the_phone_saves_nobody(client, w, today):
    activity = workshop(w, today)
    en(client, w["instructor"])
    siti, budi, joko = w["makers"]
    response = client.post(
        reverse("backoffice:program_activity_attendance", args=[activity.pk]),
        {"present": [siti.pk, budi.pk, joko.pk], f"hours-{joko.pk}": "12"},
    )
    assert response.status_code == 400
    assert "Joko Samaran: at most 8 hours, the activity&#x27;s hours." in response.content.decode()
    assert not Attendance.objects.exists()


def test_the_instructor_may_not_create_or_change_activities(client, w, today):
    activity = workshop(w, today)
    en(client, w["instructor"])
    assert client.get(reverse("backoffice:program_activity_create")).status_code == 403
    assert client.get(reverse("backoffice:program_activity_edit", args=[activity.pk])).status_code == 403


def test_other_facilities_and_outlet_partners_get_nothing(client, w, today):
    activity = workshop(w, today)
    en(client, w["other_admin"])
    for name in ("program_activity", "program_activity_attendance", "program_activity_edit"):
        assert client.get(reverse(f"backoffice:{name}", args=[activity.pk])).status_code == 404, name
    assert "Lokakarya desain batik" not in client.get(reverse("backoffice:program_activities")).content.decode()
    en(client, w["partner"])
    assert client.get(reverse("backoffice:program_activities")).status_code == 403
    assert client.get(reverse("backoffice:program_activity", args=[activity.pk])).status_code == 403


def test_viewers_see_totals_but_never_a_makers_name(client, w, today):
    activity = workshop(w, today)
    activity_attendance_record(actor=w["admin"], activity=activity, rows=[(m, True, None) for m in w["makers"]])
    en(client, w["regional"])

    pages = [
        client.get(reverse("backoffice:program_activities")),
        client.get(reverse("backoffice:program_activity", args=[activity.pk])),
        client.get(reverse("backoffice:program_agreement", args=[w["agreement"].pk])),
    ]
    for page in pages:
        text = page.content.decode()
        assert page.status_code == 200
        for name in NAMES:
            assert name.split()[0] not in text
    assert "3 participants, 24 hours" in pages[1].content.decode()
    assert client.get(reverse("backoffice:program_activity_attendance", args=[activity.pk])).status_code == 403


def test_the_agreement_page_shows_what_came_from_it_and_links_a_grant(client, w, today):
    activity = workshop(w, today)
    activity_attendance_record(actor=w["admin"], activity=activity, rows=[(m, True, None) for m in w["makers"]])
    grant = capital_grant(
        actor=None, organization=w["facility"], group=None, amount_idr=2_500_000, agency=w["disperindag"]
    )
    en(client, w["admin"])
    url = reverse("backoffice:program_agreement", args=[w["agreement"].pk])

    page = client.get(url).content.decode()
    assert "1 activity, 24 participant-hours" in page and "Lokakarya desain batik" in page
    assert 'action="{}"'.format(reverse("backoffice:program_agreement_grant_link", args=[w["agreement"].pk])) in page

    response = client.post(
        reverse("backoffice:program_agreement_grant_link", args=[w["agreement"].pk]), {"movement": grant.pk}
    )
    assert response.status_code == 302
    assert AgreementGrant.objects.get().movement == grant
    page = client.get(url).content.decode()
    assert 'data-testid="grants-total">Rp2.500.000' in page

    client.post(reverse("backoffice:program_agreement_grant_unlink", args=[w["agreement"].pk, grant.pk]))
    assert not AgreementGrant.objects.exists()


def test_viewers_and_the_other_facility_may_not_link_grants(client, w, today):
    grant = capital_grant(actor=None, organization=w["facility"], group=None, amount_idr=1_000, agency=None)
    url = reverse("backoffice:program_agreement_grant_link", args=[w["agreement"].pk])
    en(client, w["regional"])
    assert client.post(url, {"movement": grant.pk}).status_code == 403
    en(client, w["other_admin"])
    assert client.post(url, {"movement": grant.pk}).status_code == 404
    assert not AgreementGrant.objects.exists()


def test_the_list_filters_by_agreement(client, w, today):
    workshop(w, today)
    workshop(w, today, title="Pameran mandiri", kind="EXHIBITION", agreement=None, partner=None)
    en(client, w["admin"])
    everything = client.get(reverse("backoffice:program_activities")).content.decode()
    assert "Pameran mandiri" in everything and "Lokakarya desain batik" in everything
    filtered = client.get(
        reverse("backoffice:program_activities") + f"?kerja_sama={w['agreement'].pk}"
    ).content.decode()
    assert "Pameran mandiri" not in filtered and "Lokakarya desain batik" in filtered
    assert client.get(reverse("backoffice:program_activities") + "?kerja_sama=999999").status_code == 404


def test_the_menu_has_kegiatan(client, w):
    client.force_login(w["admin"])
    page = client.get(reverse("backoffice:dashboard")).content.decode()
    assert reverse("backoffice:program_activities") in page


def test_the_edit_form_keeps_the_organization(client, w, today):
    activity = workshop(w, today)
    en(client, w["admin"])
    response = client.post(
        reverse("backoffice:program_activity_edit", args=[activity.pk]),
        {
            "kind": "PACKAGING",
            "title": "Lokakarya kemasan",
            "agreement": w["agreement"].pk,
            "partner": "",
            "group": w["group"].pk,
            "place": "Aula",
            "start_date": activity.start_date.isoformat(),
            "end_date": (activity.start_date + datetime.timedelta(days=2)).isoformat(),
            "hours": "10",
        },
    )
    assert response.status_code == 302
    activity.refresh_from_db()
    assert (activity.kind, activity.title, activity.hours, activity.partner) == (
        "PACKAGING",
        "Lokakarya kemasan",
        10,
        None,
    )


def test_a_product_designed_there_is_added_and_removed_on_the_page(client, w, today):
    activity = workshop(w, today)
    product = ProductFactory(producer=ProducerFactory(group=w["group"]), name="Batik Motif Garam", variants=[])
    en(client, w["admin"])
    url = reverse("backoffice:program_activity", args=[activity.pk])
    assert "Batik Motif Garam" in client.get(url).content.decode()  # offered

    assert (
        client.post(
            reverse("backoffice:program_activity_product_add", args=[activity.pk]), {"product": product.pk}
        ).status_code
        == 302
    )
    assert ActivityProduct.objects.get().product == product
    refused = client.post(
        reverse("backoffice:program_activity_product_add", args=[activity.pk]), {"product": product.pk}
    )
    assert refused.status_code == 400 and not ActivityProduct.objects.exclude(product=product).exists()
    client.post(reverse("backoffice:program_activity_product_remove", args=[activity.pk, product.pk]))
    assert not ActivityProduct.objects.exists()
    en(client, w["instructor"])
    assert (
        client.post(
            reverse("backoffice:program_activity_product_add", args=[activity.pk]), {"product": product.pk}
        ).status_code
        == 403
    )
