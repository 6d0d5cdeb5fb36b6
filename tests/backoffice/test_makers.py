import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from binakarya.core.models import AuditEvent
from binakarya.makers.models import Group, GroupMembership, Maker
from binakarya.makers.services import group_member_add
from binakarya.organizations.models import Role
from tests.backoffice.helpers import day, html, text
from tests.factories import MakerFactory, MembershipFactory, ProducerOrgFactory

pytestmark = pytest.mark.django_db


def maker_post(**overrides):
    data = {
        "full_name": "Slamet Riyadi",
        "registration_number": "BI-321/2025",
        "admission_date": "2025-01-15",
        "expected_release_date": "2026-07-01",
        "status": "ACTIVE",
        "phone": "",
        "pseudonym": "",
        "public_story": "",
    }
    data.update(overrides)
    return data


def test_maker_list_shows_name_number_group_status_and_release(client_a, membership_a):
    # when
    response = client_a.get(reverse("backoffice:makers"))

    # then
    body = response.content.decode()
    assert response.status_code == 200
    for value in (
        "Ahmad Rahasia",
        "BI-100/2025",
        "Kelompok Batik Sumenep",
        text("Active"),
        day(datetime.date(2027, 6, 1)),
    ):
        assert html(value) in body


def test_maker_list_filters_by_status_and_search(client_a, facility_a, maker_a):
    # given
    released = MakerFactory(
        organization=facility_a, full_name="Joko Bebas", registration_number="BI-900/2024", status="RELEASED"
    )

    # when
    by_status = client_a.get(reverse("backoffice:makers"), {"status": "RELEASED"})
    by_name = client_a.get(reverse("backoffice:makers"), {"q": "ahmad"})
    by_number = client_a.get(reverse("backoffice:makers"), {"q": "900/2024"})
    nothing = client_a.get(reverse("backoffice:makers"), {"q": "tidak ada"})

    # then
    assert [m.pk for m in by_status.context["page"].object_list] == [released.pk]
    assert [m.pk for m in by_name.context["page"].object_list] == [maker_a.pk]
    assert [m.pk for m in by_number.context["page"].object_list] == [released.pk]
    assert list(nothing.context["page"].object_list) == []


def test_create_inmate(client_a, facility_a, staff_a):
    # when
    response = client_a.post(reverse("backoffice:maker_create"), maker_post(organization=facility_a.pk))

    # then
    maker = Maker.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("backoffice:maker_edit", args=[maker.pk])
    assert (maker.organization_id, maker.kind, maker.full_name, maker.registration_number) == (
        facility_a.pk,
        Maker.Kind.INMATE,
        "Slamet Riyadi",
        "BI-321/2025",
    )
    assert (maker.admission_date, maker.expected_release_date) == (
        datetime.date(2025, 1, 15),
        datetime.date(2026, 7, 1),
    )
    assert (maker.public_story_consent, maker.pseudonym) == (False, "")
    assert AuditEvent.objects.filter(action="maker.create", actor=staff_a).count() == 1


def test_create_inmate_requires_registration_number(client_a, facility_a):
    # when
    response = client_a.post(
        reverse("backoffice:maker_create"), maker_post(organization=facility_a.pk, registration_number="")
    )

    # then
    assert response.status_code == 200
    assert response.context["form"].errors == {"registration_number": [text("An inmate needs a registration number.")]}
    assert html("An inmate needs a registration number.") in response.content.decode()
    assert Maker.objects.count() == 0
    assert AuditEvent.objects.count() == 0


def test_consent_needs_a_pseudonym(client_a, facility_a):
    # when
    response = client_a.post(
        reverse("backoffice:maker_create"), maker_post(organization=facility_a.pk, public_story_consent="on")
    )

    # then
    assert response.context["form"].errors == {
        "pseudonym": [text("A public story needs a first name or pseudonym to show instead of the full name.")]
    }
    assert Maker.objects.count() == 0


def test_consent_with_a_pseudonym_is_recorded(client_a, facility_a):
    # when
    client_a.post(
        reverse("backoffice:maker_create"),
        maker_post(organization=facility_a.pk, public_story_consent="on", pseudonym="Pak S", public_story="…"),
    )

    # then
    maker = Maker.objects.get()
    assert (maker.public_story_consent, maker.pseudonym, maker.public_name) == (True, "Pak S", "Pak S")
    assert maker.consent_recorded_date is not None


def test_producer_operator_registers_an_artisan_without_number(client):
    # given
    umkm = ProducerOrgFactory(name="Batik Tamanan Bondowoso")
    operator = MembershipFactory(organization=umkm, role=Role.PRODUCER_OPERATOR).user
    client.force_login(operator)

    # when
    response = client.post(
        reverse("backoffice:maker_create"),
        maker_post(organization=umkm.pk, registration_number="", full_name="Bu Siti"),
    )

    # then
    maker = Maker.objects.get()
    assert response.status_code == 302
    assert (maker.organization_id, maker.kind, maker.registration_number) == (umkm.pk, Maker.Kind.ARTISAN, "")


def test_create_maker_in_another_organization_is_refused(client_a, facility_b):
    # when
    response = client_a.post(reverse("backoffice:maker_create"), maker_post(organization=facility_b.pk))

    # then
    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["organization"]
    assert Maker.objects.count() == 0


def test_update_maker_records_release(client_a, maker_a, staff_a):
    # when
    response = client_a.post(
        reverse("backoffice:maker_edit", args=[maker_a.pk]),
        maker_post(
            full_name="Ahmad Rahasia",
            registration_number="BI-100/2025",
            admission_date="2025-01-10",
            expected_release_date="2027-06-01",
            status="RELEASED",
        ),
    )

    # then
    assert response.status_code == 302
    maker_a.refresh_from_db()
    assert maker_a.status == Maker.Status.RELEASED
    assert AuditEvent.objects.get(action="maker.update", actor=staff_a).data == {"fields": ["status"]}


def test_update_maker_with_release_before_admission_changes_nothing(client_a, maker_a):
    # when
    response = client_a.post(
        reverse("backoffice:maker_edit", args=[maker_a.pk]),
        maker_post(
            full_name="Ahmad Rahasia",
            registration_number="BI-100/2025",
            admission_date="2025-01-10",
            expected_release_date="2024-06-01",
        ),
    )

    # then
    assert response.context["form"].errors == {
        "expected_release_date": [text("The expected release date cannot be before admission.")]
    }
    maker_a.refresh_from_db()
    assert maker_a.expected_release_date == datetime.date(2027, 6, 1)


def test_create_group_with_crafts(client_a, facility_a, batik, pecut, staff_a):
    # when
    response = client_a.post(
        reverse("backoffice:group_create"),
        {
            "organization": facility_a.pk,
            "name": "Kelompok Rajutan",
            "crafts": [batik.pk, pecut.pk],
            "public_story": "Merajut boneka.",
        },
    )

    # then
    group = Group.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("backoffice:group_detail", args=[group.pk])
    assert (group.organization_id, group.name, group.public_story) == (
        facility_a.pk,
        "Kelompok Rajutan",
        "Merajut boneka.",
    )
    assert sorted(group.crafts.values_list("slug", flat=True)) == ["batik-tulis", "pecut"]


def test_create_group_with_a_taken_name_creates_nothing(client_a, group_a):
    # when
    response = client_a.post(
        reverse("backoffice:group_create"), {"organization": group_a.organization_id, "name": group_a.name}
    )

    # then
    assert response.context["form"].errors == {"name": [text("This facility already has a group with that name.")]}
    assert Group.objects.count() == 1


def test_producer_operator_cannot_create_groups(client):
    # given
    operator = MembershipFactory(organization=ProducerOrgFactory(), role=Role.PRODUCER_OPERATOR).user
    client.force_login(operator)

    # when
    response = client.get(reverse("backoffice:group_create"))

    # then
    assert response.status_code == 403


def test_group_detail_shows_members_with_joined_and_left_dates(client_a, group_a, membership_a, facility_a):
    # given a former member too
    former = MakerFactory(organization=facility_a, full_name="Dedi Lama", registration_number="BI-5/2024")
    GroupMembership.objects.create(
        organization=facility_a,
        group=group_a,
        maker=former,
        joined_date=datetime.date(2024, 3, 1),
        left_date=datetime.date(2024, 12, 31),
    )

    # when
    response = client_a.get(reverse("backoffice:group_detail", args=[group_a.pk]))

    # then
    body = response.content.decode()
    assert [m.maker.full_name for m in response.context["current"]] == ["Ahmad Rahasia"]
    assert [(m.maker.full_name, m.left_date) for m in response.context["past"]] == [
        ("Dedi Lama", datetime.date(2024, 12, 31))
    ]
    assert html("Joined %(d)s", d=day(datetime.date(2025, 2, 1))) in body
    assert f"{day(datetime.date(2024, 3, 1))} – {day(datetime.date(2024, 12, 31))}" in body


def test_add_member_and_leave(client_a, group_a, maker_a, staff_a):
    # when the maker joins
    added = client_a.post(
        reverse("backoffice:group_member_add", args=[group_a.pk]), {"maker": maker_a.pk, "joined_date": "2025-03-01"}
    )
    membership = GroupMembership.objects.get()

    # and later leaves
    left = client_a.post(
        reverse("backoffice:group_member_leave", args=[group_a.pk, membership.pk]), {"left_date": "2025-09-30"}
    )

    # then
    assert (added.status_code, left.status_code) == (302, 302)
    membership.refresh_from_db()
    assert (membership.maker_id, membership.joined_date, membership.left_date) == (
        maker_a.pk,
        datetime.date(2025, 3, 1),
        datetime.date(2025, 9, 30),
    )
    assert sorted(AuditEvent.objects.filter(actor=staff_a).values_list("action", flat=True)) == [
        "group.member_add",
        "group.member_leave",
    ]


def test_leave_before_joining_is_refused(client_a, group_a, membership_a):
    # when
    response = client_a.post(
        reverse("backoffice:group_member_leave", args=[group_a.pk, membership_a.pk]), {"left_date": "2025-01-01"}
    )

    # then
    assert response.status_code == 200
    assert response.context["leave_form"].errors == {
        "left_date": [text("The leaving date cannot be before the joining date.")]
    }
    membership_a.refresh_from_db()
    assert membership_a.left_date is None


def test_join_before_admission_is_refused(client_a, group_a, maker_a):
    # when
    response = client_a.post(
        reverse("backoffice:group_member_add", args=[group_a.pk]), {"maker": maker_a.pk, "joined_date": "2024-12-01"}
    )

    # then
    assert response.context["add_form"].errors == {
        "joined_date": [text("A maker cannot join a group before admission.")]
    }
    assert GroupMembership.objects.count() == 0


def test_service_refuses_a_maker_of_another_organization(group_a, maker_b, staff_a):
    # when
    with pytest.raises(ValidationError) as excinfo:
        group_member_add(actor=None, group=group_a, maker=maker_b, joined_date=datetime.date(2025, 3, 1))

    # then
    assert excinfo.value.message_dict == {"maker": [text("This maker belongs to another organization.")]}
    assert GroupMembership.objects.count() == 0


def test_staff_of_two_facilities_cannot_mix_their_makers_in_a_group(client, group_a, maker_b, facility_a, facility_b):
    # given someone who manages makers in both facilities
    user = MembershipFactory(organization=facility_a, role=Role.PRODUCTION_OFFICER).user
    MembershipFactory(user=user, organization=facility_b, role=Role.PRODUCTION_OFFICER)
    client.force_login(user)

    # when B's maker is posted into A's group
    response = client.post(
        reverse("backoffice:group_member_add", args=[group_a.pk]), {"maker": maker_b.pk, "joined_date": "2025-03-01"}
    )

    # then the service's refusal is shown next to the maker field
    assert response.status_code == 200
    assert response.context["add_form"].errors == {"maker": [text("This maker belongs to another organization.")]}
    assert html("This maker belongs to another organization.") in response.content.decode()
    assert GroupMembership.objects.count() == 0
    assert AuditEvent.objects.count() == 0


def test_maker_of_another_facility_is_not_offered_or_accepted(client_a, group_a, maker_b):
    # when
    page = client_a.get(reverse("backoffice:group_detail", args=[group_a.pk]))
    post = client_a.post(
        reverse("backoffice:group_member_add", args=[group_a.pk]), {"maker": maker_b.pk, "joined_date": "2025-03-01"}
    )

    # then
    assert list(page.context["add_form"].fields["maker"].queryset) == []
    assert list(post.context["add_form"].errors) == ["maker"]
    assert GroupMembership.objects.count() == 0


def test_date_inputs_carry_iso_values_the_browser_understands(client_a, group_a, maker_a):
    # when
    maker_page = client_a.get(reverse("backoffice:maker_edit", args=[maker_a.pk]))
    group_page = client_a.get(reverse("backoffice:group_detail", args=[group_a.pk]))

    # then
    assert 'type="date" name="admission_date" value="2025-01-10"' in maker_page.content.decode()
    assert 'type="date" name="expected_release_date" value="2027-06-01"' in maker_page.content.decode()
    today = timezone.localdate().isoformat()
    assert f'type="date" name="joined_date" value="{today}"' in group_page.content.decode()
