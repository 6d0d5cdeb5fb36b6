from django.contrib import admin

from binakarya.organizations.models import Membership, Organization


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ("user",)


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    """Registering tenants and granting roles is the platform administrator's reference work."""

    list_display = ("name", "kind", "facility_type", "facility_class", "regency", "province", "is_active")
    list_filter = ("kind", "facility_type", "province", "is_active")
    search_fields = ("name", "slug", "regency")
    prepopulated_fields = {"slug": ("name",)}
    inlines = [MembershipInline]
