"""Factories for the after-release tests (issue 15): releases, certificates, activities and attendance, made
directly as rows (the release checklist and certificate services are another slice's)."""

import datetime

import factory
from django.utils import timezone

from binakarya.documents.models import Document
from binakarya.makers.models import Maker
from binakarya.programs.models import Activity, Attendance, Certificate, Release
from tests.factories import MakerFactory, OrganizationFactory


class ReleasedMakerFactory(MakerFactory):
    status = Maker.Status.RELEASED


class ReleaseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Release

    organization = factory.SubFactory(OrganizationFactory)
    maker = factory.SubFactory(ReleasedMakerFactory, organization=factory.SelfAttribute("..organization"))
    released_on = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=30))
    premi_paid_idr = 1_250_000
    outcomes_consent = True


class DocumentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Document

    organization = factory.SubFactory(OrganizationFactory)
    kind = Document.Kind.SKILLS_CERTIFICATE
    number = factory.Sequence(lambda n: f"SERT/{n:04d}")
    verify_code = factory.Sequence(lambda n: f"CERT{n:08d}")
    title = "Sertifikat keterampilan"


class CertificateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Certificate

    organization = factory.SubFactory(OrganizationFactory)
    maker = factory.SubFactory(MakerFactory, organization=factory.SelfAttribute("..organization"))
    document = factory.SubFactory(DocumentFactory, organization=factory.SelfAttribute("..organization"))
    crafts = "Batik tulis"
    hours = 40
    period_start = datetime.date(2025, 2, 1)
    period_end = datetime.date(2025, 12, 1)


class ActivityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Activity

    organization = factory.SubFactory(OrganizationFactory)
    kind = Activity.Kind.TRAINING
    title = "Pelatihan desain"
    place = "Aula"
    start_date = factory.LazyFunction(timezone.localdate)
    end_date = factory.SelfAttribute("start_date")
    hours = 8


class AttendanceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Attendance

    activity = factory.SubFactory(ActivityFactory)
    organization = factory.SelfAttribute("activity.organization")
    maker = factory.SubFactory(MakerFactory, organization=factory.SelfAttribute("..activity.organization"))
    present = True
    hours = factory.LazyAttribute(lambda o: o.activity.hours if o.present else 0)
    recorded_at = factory.LazyFunction(timezone.now)


def sale_row(*, organization, when: datetime.datetime | datetime.date, gross_idr: int = 150_000):
    """A posted sale of ``organization`` at ``when``, written as rows (what the outcome and impact counts read:
    whether the producer sold, and when)."""
    from binakarya.ledger.models import JournalEntry
    from binakarya.sales.models import Channel, Sale
    from tests.factories import LocationFactory

    if isinstance(when, datetime.date) and not isinstance(when, datetime.datetime):
        when = timezone.make_aware(datetime.datetime.combine(when, datetime.time(12)))
    entry = JournalEntry.objects.create(organization=organization, kind=JournalEntry.Kind.SALE, occurred_at=when)
    return Sale.objects.create(
        organization=organization,
        number=f"TEST-{entry.pk}",
        channel=Channel.POS,
        location=LocationFactory(organization=organization),
        occurred_at=when,
        gross_idr=gross_idr,
        entry=entry,
    )
