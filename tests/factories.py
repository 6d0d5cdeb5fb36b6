"""factory_boy factories shared by the whole test suite."""

import datetime
import io
from functools import lru_cache

import factory
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from binakarya.catalog.models import Category, Producer, Product, Variant
from binakarya.catalog.services import photo_add, product_refresh
from binakarya.makers.models import Group, GroupMembership, Maker
from binakarya.organizations.models import Membership, Organization, Role


@lru_cache(maxsize=1)
def _small_jpeg_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (48, 36), (150, 90, 40)).save(buffer, format="JPEG")
    return buffer.getvalue()


def small_jpeg(name: str = "foto.jpg") -> SimpleUploadedFile:
    """A tiny JPEG upload, as a phone would send one (only smaller)."""
    return SimpleUploadedFile(name, _small_jpeg_bytes(), content_type="image/jpeg")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.test")
    password = factory.django.Password("pass-word-123")


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization

    kind = Organization.Kind.FACILITY
    name = factory.Sequence(lambda n: f"Rutan Kelas IIB Kota {n}")
    slug = factory.Sequence(lambda n: f"org-{n}")
    code = factory.Sequence(lambda n: f"O{n:04d}")
    facility_type = factory.LazyAttribute(lambda o: "RUTAN" if o.kind == "FACILITY" else "")
    facility_class = factory.LazyAttribute(lambda o: "IIB" if o.kind == "FACILITY" else "")
    regency = "Sumenep"
    province = "Jawa Timur"
    phone = "6281234567890"


class ProducerOrgFactory(OrganizationFactory):
    kind = Organization.Kind.PRODUCER
    name = factory.Sequence(lambda n: f"Batik Tamanan {n}")
    regency = "Bondowoso"


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organization = factory.SubFactory(OrganizationFactory)
    role = Role.FACILITY_ADMIN


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Category
        django_get_or_create = ("slug",)

    name = "Batik Tulis"
    name_en = "Hand-drawn batik"
    slug = factory.LazyAttribute(lambda o: o.name.lower().replace(" ", "-"))


class GroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Group

    organization = factory.SubFactory(OrganizationFactory)
    name = factory.Sequence(lambda n: f"Kelompok Batik {n}")
    slug = factory.Sequence(lambda n: f"kelompok-{n}")
    public_story = "Kelompok ini membatik setiap pagi."


class MakerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Maker

    organization = factory.SubFactory(OrganizationFactory)
    kind = Maker.Kind.INMATE
    full_name = factory.Sequence(lambda n: f"Rahasia Namalengkap {n}")
    registration_number = factory.Sequence(lambda n: f"B.I-{1000 + n}/2025")
    admission_date = datetime.date(2025, 1, 10)
    expected_release_date = datetime.date(2027, 6, 1)


class GroupMembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = GroupMembership

    group = factory.SubFactory(GroupFactory)
    maker = factory.SubFactory(MakerFactory, organization=factory.SelfAttribute("..group.organization"))
    organization = factory.SelfAttribute("group.organization")
    joined_date = datetime.date(2025, 2, 1)


class ProducerFactory(factory.django.DjangoModelFactory):
    """A facility group's producer profile by default."""

    class Meta:
        model = Producer

    group = factory.SubFactory(GroupFactory)
    organization = factory.SelfAttribute("group.organization")
    kind = Producer.Kind.FACILITY_GROUP
    name = factory.LazyAttribute(lambda o: o.group.name)
    slug = factory.Sequence(lambda n: f"pembuat-{n}")
    phone = "6281234567890"


class UmkmProducerFactory(ProducerFactory):
    group = None
    organization = factory.SubFactory(ProducerOrgFactory)
    kind = Producer.Kind.UMKM
    name = factory.LazyAttribute(lambda o: o.organization.name)


class ProductFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Product
        skip_postgeneration_save = True

    producer = factory.SubFactory(ProducerFactory)
    organization = factory.SelfAttribute("producer.organization")
    category = factory.SubFactory(CategoryFactory)
    name = factory.Sequence(lambda n: f"Kain Batik Tulis Motif {n}")
    slug = factory.Sequence(lambda n: f"produk-{n}")
    description = "Kain batik tulis pewarna alam."
    materials = "katun primisima, malam, pewarna alam"

    @factory.post_generation
    def variants(self, create, extracted, **kwargs):
        if not create:
            return
        prices = extracted if extracted is not None else [250_000]
        for i, price in enumerate(prices):
            Variant.objects.create(
                organization=self.organization,
                product=self,
                sku=f"SKU-{self.pk}-{i}",
                price_idr=price,
                stock_quantity=3,
            )
        product_refresh(product=self)

    @factory.post_generation
    def photos(self, create, extracted, **kwargs):
        """``photos=n`` adds n small photos (through photo_add). Buyers see a product once it has a price and
        a photo (catalog.selectors.READY_TO_SELL), so a test that needs a public product asks for one."""
        if not create or not extracted:
            return
        for i in range(extracted):
            photo_add(actor=None, product=self, upload=small_jpeg(f"foto-{i}.jpg"))


class VariantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Variant

    product = factory.SubFactory(ProductFactory, variants=[])
    organization = factory.SelfAttribute("product.organization")
    sku = factory.Sequence(lambda n: f"VAR-{n:05d}")
    price_idr = 150_000


class LocationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "inventory.Location"

    organization = factory.SubFactory(OrganizationFactory)
    code = factory.Sequence(lambda n: f"loc-{n}")
    name = factory.Sequence(lambda n: f"Gudang {n}")
    kind = "STORE"


def make_lot(*, variant, group, location, quantity=10, passed=None, cost=500_000, makers=None, finished=None, **kw):
    """Record a lot through the service, by the group's current members (one share each) by default."""
    from binakarya.production.services import ContributionInput, lot_record

    finished = finished or datetime.date(2025, 6, 1)
    if makers is None:
        makers = [m.maker for m in group.memberships.all()] if group is not None else []
    return lot_record(
        actor=None,
        variant=variant,
        group=group,
        location=location,
        quantity_produced=quantity,
        quantity_passed=quantity if passed is None else passed,
        material_cost_idr=cost,
        contributions=[ContributionInput(maker_id=m.pk, share=1) for m in makers],
        started_date=finished - datetime.timedelta(days=7),
        finished_date=finished,
        **kw,
    )
