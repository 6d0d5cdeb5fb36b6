"""Review fixes to livelihood_start (issue 15): the release is locked alone (not the facility's row), the new
producer's phone, regency and province are checked against the past too, facility markers are matched as whole
words, and the starting capital has an upper bound (service and API)."""

import importlib
from unittest import mock

import pytest
from django.apps import apps as django_apps
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.urls import reverse

from binakarya.organizations.models import Membership, Organization, Role
from binakarya.programs import selectors
from binakarya.programs.models import Livelihood
from binakarya.programs.services import (
    MAX_STARTING_CAPITAL_IDR,
    add_months,
    livelihood_start,
    outcome_record,
    phone_digits,
)
from tests.factories import MembershipFactory, OrganizationFactory, UserFactory
from tests.programs.factories_livelihood import ReleaseFactory
from tests.programs.test_api import headers
from tests.programs.test_livelihood import PASSWORD, errors_of
from tests.programs.test_release_api import livelihood_body, post


@pytest.fixture
def release(world):
    return ReleaseFactory(organization=world["facility"], premi_paid_idr=1_250_000)


@pytest.fixture
def start(world, release, today):
    def start(**overrides):
        arguments = {
            "actor": world["admin"],
            "release": release,
            "consent_date": today,
            "business_name": "Batik Canting Sari",
            "regency": "Sumenep",
            "province": "Jawa Timur",
            "phone": "0813 5555 2468",
            "description": "Batik tulis motif pesisir, dikerjakan di rumah.",
            "operator_username": "canting.sari",
            "operator_password": PASSWORD,
        }
        arguments.update(overrides)
        return livelihood_start(**arguments)

    return start


def producers():
    return Organization.objects.filter(kind=Organization.Kind.PRODUCER).exclude(slug="batik-tamanan")


# Locks ----------------------------------------------------------------------------------------------------------


def spy_locks():
    calls: list[dict] = []
    real = QuerySet.select_for_update

    def spy(self, *args, **kwargs):
        calls.append({"model": self.model.__name__, **kwargs})
        return real(self, *args, **kwargs)

    return calls, mock.patch.object(QuerySet, "select_for_update", spy)


def test_livelihood_start_locks_the_release_row_only(start):
    calls, patch = spy_locks()
    with patch:
        start()
    release_locks = [c for c in calls if c["model"] == "Release"]
    assert release_locks == [{"model": "Release", "of": ("self",)}]


def test_outcome_record_locks_the_release_row_only(world, today):
    release = ReleaseFactory(organization=world["facility"], released_on=add_months(today, -7))
    calls, patch = spy_locks()
    with patch:
        outcome_record(
            actor=world["admin"], release=release, months=6, checked_on=today, producing=True, income_band="NONE"
        )
    assert [c for c in calls if c["model"] == "Release"] == [{"model": "Release", "of": ("self",)}]


# Past words on every field ----------------------------------------------------------------------------------------


@pytest.fixture
def facility(world):
    facility = world["facility"]
    facility.phone = "0328-662 123"
    facility.code = "SMP"
    facility.address = "Jl. Urip Sumoharjo No. 5, Pajagalan"
    facility.save()
    return facility


@pytest.mark.parametrize("phone", ["0328 662123", "+62 328 662 123", "62328662123"])
def test_the_facilitys_phone_is_refused_in_any_form(facility, start, phone):
    with pytest.raises(ValidationError) as excinfo:
        start(phone=phone)
    assert errors_of(excinfo)["phone"] == ["This is the facility's phone number: give the new business's own number."]
    assert not producers().exists()


def test_phone_digits_are_compared_in_international_form():
    assert phone_digits("0812-3456-7890") == phone_digits("+62 812 3456 7890") == "6281234567890"
    assert phone_digits("") == ""


@pytest.mark.parametrize(
    ("field", "text", "word"),
    [
        ("regency", "Rutan Sumenep", "rutan"),
        ("province", "Lapas Jawa Timur", "lapas"),
        ("regency", "Sumenep SMP", "smp"),
        ("description", "Toko di Jl. Urip Sumoharjo No. 5, Pajagalan", "jl. urip sumoharjo no. 5, pajagalan"),
        ("business_name", "Batik Jl. Urip Sumoharjo No. 5", "jl. urip sumoharjo no. 5"),
    ],
)
def test_regency_province_and_the_facilitys_address_are_checked(facility, start, field, text, word):
    with pytest.raises(ValidationError) as excinfo:
        start(**{field: text})
    message = errors_of(excinfo)[field][0]
    assert message.startswith("This would tell the public about the person's past")
    assert f"\u201c{word}\u201d" in message
    assert not producers().exists()


def test_the_facility_code_is_matched_as_a_whole_word_only(facility, start):
    # "SMP" inside "SMPlus" or "Asmpul" is not the facility's code; "batik SMP" is
    livelihood = start(business_name="Batik SMPlus", description="Anyaman Asmpul dan batik", phone="0812 9999 0000")
    assert livelihood.producer.name == "Batik SMPlus"
    with pytest.raises(ValidationError) as excinfo:
        start(business_name="Batik SMP", operator_username="batik.smp")
    assert "\u201csmp\u201d" in errors_of(excinfo)["business_name"][0]


def test_the_registration_number_is_matched_as_a_whole_word(release, start):
    number = release.maker.registration_number
    with pytest.raises(ValidationError):
        start(description=f"Nomor {number}.")
    livelihood = start(description=f"Kode produk X{number}9")
    assert livelihood.producer.description.endswith("9")


# Starting capital bound ---------------------------------------------------------------------------------------


def test_an_absurd_starting_capital_is_refused(start):
    with pytest.raises(ValidationError) as excinfo:
        start(starting_capital_idr=MAX_STARTING_CAPITAL_IDR + 1)
    assert errors_of(excinfo)["starting_capital_idr"] == [
        "The starting capital may be at most Rp1.000.000.000: it is the person's premi savings."
    ]
    assert not Livelihood.objects.exists() and not producers().exists()
    assert start(starting_capital_idr=MAX_STARTING_CAPITAL_IDR).starting_capital_idr == MAX_STARTING_CAPITAL_IDR


@pytest.mark.parametrize(("value", "status"), [(10**16, 422), (2 * 10**9, 400), (-1, 422), (1.5, 422)])
def test_the_api_bounds_the_starting_capital(client, world, release, today, value, status):
    response = post(
        client,
        world["admin"],
        f"/api/v1/releases/{release.pk}/livelihood",
        livelihood_body(today, starting_capital_idr=value),
    )
    assert response.status_code == status, response.content
    assert "starting_capital_idr" in str(response.json())
    assert not Livelihood.objects.exists()


def test_the_schema_documents_the_bound(client, world):
    schema = client.get("/api/v1/openapi.json", **headers(world["admin"])).json()
    field = schema["components"]["schemas"]["LivelihoodIn"]["properties"]["starting_capital_idr"]
    bounds = [option for option in field.get("anyOf", [field]) if option.get("type") == "integer"]
    assert bounds and bounds[0]["maximum"] == 10**15 and bounds[0]["minimum"] == 0


# The starting capital: the released person's own operator account only ------------------------------------------


def test_the_livelihood_records_its_operator_and_only_they_see_the_starting_capital(client, world, start):
    livelihood = start()
    person = get_user_model().objects.get(username="canting.sari")
    assert livelihood.operator == person
    # a second operator the producer takes on later
    colleague = UserFactory(username="rekan.canting")
    MembershipFactory(user=colleague, organization=livelihood.producer, role=Role.PRODUCER_OPERATOR)

    assert selectors.my_starting_capital(user=person) == 1_250_000
    assert selectors.starting_capital_for(user=person, producer=livelihood.producer) == 1_250_000
    assert selectors.my_starting_capital(user=colleague) is None
    assert selectors.starting_capital_for(user=colleague, producer=livelihood.producer) is None
    client.force_login(colleague)
    body = client.get(reverse("backoffice:dashboard")).content.decode()
    assert 'data-testid="starting-capital"' not in body and "Rp1.250.000" not in body
    # and once the person no longer operates the producer, no one is shown the figure
    Membership.objects.filter(user=person).delete()
    person = get_user_model().objects.get(pk=person.pk)  # memberships are cached on the user object
    assert selectors.starting_capital_for(user=person, producer=livelihood.producer) is None


def test_the_migration_takes_the_operator_from_the_audit_row(world, start, today):
    migration = importlib.import_module("binakarya.programs.migrations.0003_livelihood_operator")
    identified = start()
    moved = start(
        release=ReleaseFactory(organization=world["facility"]),
        business_name="Ukir Kayu Jati",
        operator_username="jati",
        phone="",
    )
    # a livelihood with no audit row to tell its operator
    producer = OrganizationFactory(kind=Organization.Kind.PRODUCER, facility_type="", facility_class="")
    unknown = Livelihood.objects.create(
        organization=world["facility"],
        release=ReleaseFactory(organization=world["facility"]),
        producer=producer,
        consent_date=today,
    )
    Livelihood.objects.update(operator=None)  # as before the migration
    # the second one's account no longer operates its producer
    Membership.objects.filter(user__username="jati").delete()

    migration.operators_from_the_audit(django_apps, None)

    rows = dict(Livelihood.objects.values_list("pk", "operator__username"))
    assert rows == {identified.pk: "canting.sari", moved.pk: None, unknown.pk: None}


@pytest.mark.postgres_only
def test_on_postgresql_the_lock_names_the_release_table_only(start):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        start()
    locks = [q["sql"] for q in queries.captured_queries if "FOR UPDATE" in q["sql"] and "programs_release" in q["sql"]]
    assert locks and all('FOR UPDATE OF "programs_release"' in sql for sql in locks)
    assert not any("organizations_organization" in sql.split("FOR UPDATE", 1)[1] for sql in locks)


def test_an_address_that_is_only_the_regency_does_not_refuse_the_regency(world, start):
    facility = world["facility"]
    facility.address = "Sumenep"
    facility.save()
    assert start(business_name="Batik Sumenep").producer.regency == "Sumenep"
