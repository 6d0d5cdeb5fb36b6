"""Load the demo data from the field reports. Running it again changes nothing."""

import datetime
import random
from typing import Any

from django.contrib.auth.hashers import make_password
from django.core.files.base import ContentFile
from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction
from django.utils import timezone

from binakarya.accounts.services import reference_editor_ensure
from binakarya.catalog.models import Category, Producer, Product, Variant
from binakarya.catalog.placeholders import placeholder_jpeg
from binakarya.catalog.services import VariantInput, photo_add, producer_create, product_create
from binakarya.demo import data as demo
from binakarya.demo.consignment import consignments_ensure
from binakarya.demo.deals import deal_ensure, uniform_order_ensure
from binakarya.demo.history import history_ensure
from binakarya.demo.orders import orders_ensure, shops_ensure
from binakarya.demo.programs import program_activities_ensure, program_agreements_ensure, program_certificates_ensure
from binakarya.inventory.models import Location, StockBalance
from binakarya.inventory.services import transfer_receive, transfer_send
from binakarya.ledger.models import SplitRule
from binakarya.ledger.services import capital_grant, pnbp_target_set, split_rule_create
from binakarya.makers.models import Group, Maker
from binakarya.makers.selectors import group_members_on
from binakarya.makers.services import group_create, group_member_add, maker_create
from binakarya.organizations.models import Organization
from binakarya.organizations.services import membership_grant, organization_upsert, user_ensure
from binakarya.production.models import Lot
from binakarya.production.services import ContributionInput, lot_record
from binakarya.sales.services import SaleLineInput, sale_record


class Command(BaseCommand):
    help = "Load demo facilities, groups, makers, producers, products, outlets, agencies and one user per role."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--no-photos",
            action="store_true",
            help="Skip generating placeholder photos (a product without a photo stays out of the public catalog).",
        )

    def handle(self, *args: Any, no_photos: bool = False, **options: Any) -> None:
        rng = random.Random(2017)
        with transaction.atomic():
            categories = self._categories()
            orgs = self._organizations()
            created_products = self._facility_groups(orgs, categories, rng)
            created_products += self._umkm(orgs, categories)
            self._users(orgs)
            locations = self._locations(orgs)
            self._stock(orgs, locations, rng)
            self._bazaar(orgs["rutan-sumenep"], locations["rutan-sumenep"])
            self._ledger(orgs, categories, locations)
            shops = shops_ensure(orgs, locations)
            agreements = consignments_ensure(orgs)
            partner_agreements = program_agreements_ensure(orgs)
            program_activities = program_activities_ensure(orgs)
            program_certificates = program_certificates_ensure(orgs)
        if not no_photos:
            for product in created_products:
                if not product.photos.exists():
                    subtitle = product.producer.name
                    if product.producer.kind == Producer.Kind.FACILITY_GROUP:
                        subtitle += f" · {product.organization.name}"
                    upload = ContentFile(placeholder_jpeg(product.name, subtitle), name=f"{product.slug}.jpg")
                    photo_add(actor=None, product=product, upload=upload, alt_text=product.name)
        # After the photos: the web order needs its product public.
        orders = orders_ensure(orgs)
        size_lists = uniform_order_ensure(orgs)
        deals = deal_ensure(orgs)
        # Last: months of past sales from what the stores still hold, for the dashboards (issue 14).
        history = history_ensure(locations)
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo data ready ({len(created_products)} new products, {shops} new shops, {orders} new orders, "
                f"{agreements} new consignment agreements, {size_lists} new uniform size lists, {deals} new deals, "
                f"{partner_agreements} new agreements with partner agencies, "
                f"{program_activities} new program activities, "
                f"{program_certificates} new skills certificates, "
                f"{history} past sales)."
            )
        )
        self._print_users()

    def _categories(self) -> dict[str, Category]:
        result: dict[str, Category] = {}
        for position, (slug, name, name_en, hs) in enumerate(demo.CATEGORIES):
            category, _ = Category.objects.get_or_create(
                slug=slug, defaults={"name": name, "name_en": name_en, "hs_code": hs, "position": position}
            )
            result[slug] = category
        return result

    def _organizations(self) -> dict[str, Organization]:
        orgs: dict[str, Organization] = {}
        for spec in demo.ORGANIZATIONS:
            fields: dict[str, Any] = dict(spec)
            slug = fields.pop("slug")
            parent = fields.pop("parent", None)
            if parent:
                fields["parent"] = orgs[parent]
            orgs[slug], _ = organization_upsert(actor=None, slug=slug, **fields)
        return orgs

    def _facility_groups(
        self, orgs: dict[str, Organization], categories: dict[str, Category], rng: random.Random
    ) -> list[Product]:
        created: list[Product] = []
        for org_slug, groups in demo.GROUPS.items():
            org = orgs[org_slug]
            for group_name, crafts, story, member_count, products in groups:
                group = Group.objects.filter(organization=org, name=group_name).first()
                if group is None:
                    group = group_create(
                        actor=None,
                        organization=org,
                        name=group_name,
                        crafts=[categories[c] for c in crafts],
                        public_story=story,
                    )
                    self._members(org, group, member_count, rng)
                producer = Producer.objects.filter(group=group).first() or producer_create(
                    actor=None,
                    organization=org,
                    group=group,
                    name=group_name,
                    story=story,
                    phone=org.phone,
                    description=f"{group_name}, {org.name}.",
                )
                created += self._products(producer, categories, products)
        return created

    def _members(self, org: Organization, group: Group, count: int, rng: random.Random) -> None:
        start = datetime.date(2024, 7, 1)
        for _ in range(count):
            serial = Maker.objects.filter(organization=org).count() + 1
            admission = start + datetime.timedelta(days=rng.randint(0, 300))
            consent = rng.random() < 0.25
            first = rng.choice(demo.FIRST_NAMES)
            maker = maker_create(
                actor=None,
                organization=org,
                kind=Maker.Kind.INMATE,
                full_name=f"{first} {rng.choice(demo.LAST_NAMES)}",
                registration_number=f"BI.{serial:04d}/{admission.year}/{org.regency[:3].upper()}",
                admission_date=admission,
                expected_release_date=admission + datetime.timedelta(days=rng.randint(300, 1400)),
                public_story_consent=consent,
                pseudonym=f"{first[0]}." if consent else "",
            )
            group_member_add(actor=None, group=group, maker=maker, joined_date=admission + datetime.timedelta(days=14))

    def _products(
        self, producer: Producer, categories: dict[str, Category], products: list[demo.ProductSpec]
    ) -> list[Product]:
        created: list[Product] = []
        for name, category, description, materials, technique, variants, extra in products:
            if Variant.objects.filter(sku=variants[0][0]).exists():
                continue
            created.append(
                product_create(
                    actor=None,
                    producer=producer,
                    category=categories[category],
                    name=name,
                    description=description,
                    materials=materials,
                    technique=technique,
                    hs_code=extra.get("hs_code", categories[category].hs_code),
                    **{k: v for k, v in extra.items() if k != "hs_code"},
                    variants=[
                        VariantInput(sku=sku, name=variant_name, price_idr=price, weight_grams=weight)
                        for sku, variant_name, price, weight in variants
                    ],
                )
            )
        return created

    def _umkm(self, orgs: dict[str, Organization], categories: dict[str, Category]) -> list[Product]:
        created: list[Product] = []
        for org_slug, (artisans, products) in demo.UMKM.items():
            org = orgs[org_slug]
            if not Maker.objects.filter(organization=org).exists():
                for name in artisans:
                    maker_create(actor=None, organization=org, kind=Maker.Kind.ARTISAN, full_name=name)
            producer = Producer.objects.filter(organization=org, group__isnull=True).first() or producer_create(
                actor=None,
                organization=org,
                name=org.name,
                description=org.description,
                phone=org.phone,
                story="Bagian dari kluster batik Tamanan yang dibina Diskoperindag Bondowoso.",
            )
            created += self._products(producer, categories, products)
        return created

    def _locations(self, orgs: dict[str, Organization]) -> dict[str, dict[str, Location]]:
        """A store and a showroom for every facility and producer, and the outlets they consign to."""
        result: dict[str, dict[str, Location]] = {}
        for org in orgs.values():
            if org.kind not in (Organization.Kind.FACILITY, Organization.Kind.PRODUCER):
                continue
            existing = {loc.code: loc for loc in Location.objects.filter(organization=org)}
            places: dict[str, tuple[str, str, Organization | None]] = {
                "store": ("Gudang", Location.Kind.STORE, None),
                "showroom": ("Ruang Pamer", Location.Kind.SHOWROOM, None),
            }
            for outlet_slug in demo.CONSIGNMENTS.get(org.slug, []):
                places[outlet_slug] = (orgs[outlet_slug].name, Location.Kind.OUTLET, orgs[outlet_slug])
            result[org.slug] = {}
            for key, (name, kind, outlet) in places.items():
                code = f"{org.slug}-{key}"
                result[org.slug][key] = existing.get(code) or Location.objects.create(
                    organization=org, code=code, name=name, kind=kind, outlet=outlet
                )
        return result

    def _stock(
        self, orgs: dict[str, Organization], locations: dict[str, dict[str, Location]], rng: random.Random
    ) -> None:
        """Lots for every ready-stock variant, made by the group's members, some sent on to outlets."""
        today = timezone.localdate()
        variants = (
            Variant.objects.filter(organization__slug__in=list(locations), product__made_to_order=False)
            .select_related("product__producer__group", "organization")
            .order_by("sku")
        )
        for variant in variants:
            if Lot.objects.filter(variant=variant).exists():
                continue
            org = variant.organization
            group = variant.product.producer.group
            finished = today - datetime.timedelta(days=rng.randint(20, 200))
            if group is not None:
                makers = list(group_members_on(group=group, on_date=finished).order_by("pk"))
            else:
                makers = list(Maker.objects.filter(organization=org).order_by("pk"))
            contributors = rng.sample(makers, k=min(len(makers), rng.randint(2, 4)))
            produced = demo.LOT_SIZES.get(variant.sku) or rng.randint(8, 30)
            lot = lot_record(
                actor=None,
                variant=variant,
                group=group,
                location=locations[org.slug]["store"],
                quantity_produced=produced,
                quantity_passed=produced - rng.randint(0, 2),
                material_cost_idr=variant.price_idr * produced * rng.randint(20, 40) // 100 // 1000 * 1000,
                contributions=[ContributionInput(maker_id=m.pk, share=rng.randint(1, 5)) for m in contributors],
                started_date=finished - datetime.timedelta(days=rng.randint(3, 14)),
                finished_date=finished,
            )
            for key, location in locations[org.slug].items():
                if key == "store":
                    continue
                quantity = min(rng.randint(1, 4), lot.quantity_passed // 4)
                if quantity:
                    transfer = transfer_send(
                        actor=None,
                        from_location=locations[org.slug]["store"],
                        to_location=location,
                        lines=[(variant, quantity)],
                    )
                    transfer_receive(actor=None, transfer=transfer)

    def _bazaar(self, org: Organization, locations: dict[str, Location]) -> None:
        """An event location for the point of sale: Rutan Sumenep's stand at the Hari Bakti Pemasyarakatan bazaar,
        stocked from the store with a surat jalan (two of each ready-stock item the store holds four of)."""
        code = f"{org.slug}-bazar-hbp"
        if Location.objects.filter(code=code).exists():
            return
        bazaar = Location.objects.create(
            organization=org, code=code, name="Bazar Hari Bakti Pemasyarakatan", kind=Location.Kind.EVENT
        )
        store = locations["store"]
        held = StockBalance.objects.filter(location=store, quantity__gte=4).values_list("variant_id", flat=True)
        variants = list(Variant.objects.filter(pk__in=set(held)).order_by("sku")[:6])
        if variants:
            transfer = transfer_send(
                actor=None,
                from_location=store,
                to_location=bazaar,
                lines=[(variant, 2) for variant in variants],
                note="Bazar Hari Bakti Pemasyarakatan",
            )
            transfer_receive(actor=None, transfer=transfer)

    def _ledger(
        self,
        orgs: dict[str, Organization],
        categories: dict[str, Category],
        locations: dict[str, dict[str, Location]],
    ) -> None:
        """Split rules as facilities report them, a capital grant, and the sales of the field reports."""
        if SplitRule.objects.filter(organization__slug__in=list(demo.SPLIT_RULES)).exists():
            return
        start = datetime.date(2024, 1, 1)
        for slug, fields in demo.SPLIT_RULES.items():
            split_rule_create(actor=None, organization=orgs[slug], effective_from=start, **fields)
        for (slug, category), fields in demo.CATEGORY_RULES.items():
            split_rule_create(
                actor=None, organization=orgs[slug], category=categories[category], effective_from=start, **fields
            )
        batik = Group.objects.get(organization=orgs["rutan-sumenep"], name="Kelompok Batik Tulis")
        capital_grant(
            actor=None,
            organization=orgs["rutan-sumenep"],
            group=batik,
            amount_idr=3_000_000,
            agency=orgs["disperindag-sumenep"],
            memo="Bantuan modal batik tulis dari Disperindag Sumenep",
        )
        for org_slug, key, channel, items, buyer in demo.SALES:
            location = locations[org_slug][key]
            prices = dict(Variant.objects.filter(sku__in=[s for s, _ in items]).values_list("sku", "price_idr"))
            lines = [SaleLineInput(sku=sku, quantity=qty, unit_price_idr=prices[sku]) for sku, qty in items]
            gross = sum(line.quantity * line.unit_price_idr for line in lines)
            sale_record(
                actor=None,
                location=location,
                channel=channel,
                lines=lines,
                commission_idr=gross * demo.OUTLET_COMMISSION_BP // 10_000 if channel == "OUTLET" else 0,
                buyer=orgs[buyer] if buyer else None,
            )
        pnbp_target_set(
            actor=None, organization=orgs["rutan-sumenep"], year=timezone.localdate().year, target_idr=2_500_000
        )

    def _users(self, orgs: dict[str, Organization]) -> None:
        # One hash for the shared demo password: PBKDF2 takes most of a second per call.
        password_hash = make_password(demo.DEMO_PASSWORD)
        for username, org_slug, role, full_name in demo.USERS:
            user, _ = user_ensure(username=username, password_hash=password_hash, full_name=full_name)
            membership_grant(actor=None, user=user, organization=orgs[org_slug], role=role)
        # Reference data only: staff for /admin/, not a superuser (docs/accounts.md).
        reference_editor_ensure(username="admin", password_hash=password_hash, full_name="Admin Referensi")

    def _print_users(self) -> None:
        self.stdout.write(f"\nDemo users (password for all: {demo.DEMO_PASSWORD}):")
        for username, org_slug, role, _ in demo.USERS:
            self.stdout.write(f"  {username:<20} {role:<20} {org_slug}")
        self.stdout.write(f"  {'admin':<20} {'(Django admin)':<20} reference data only, not a superuser")
