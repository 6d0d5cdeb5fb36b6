from django.contrib import admin

from binakarya.catalog.models import Category


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    """Categories are reference data shared by every organization."""

    list_display = ("name", "name_en", "slug", "hs_code", "position")
    prepopulated_fields = {"slug": ("name",)}
    search_fields = ("name", "name_en")
