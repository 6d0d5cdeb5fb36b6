from django.urls import path

from binakarya.backoffice import views

app_name = "backoffice"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    # Catalog
    path("produk/", views.product_list, name="products"),
    path("produk/baru/", views.product_create, name="product_create"),
    path("produk/<int:pk>/", views.product_edit, name="product_edit"),
    path("produk/<int:pk>/terbit/", views.product_publish, name="product_publish"),
    path("produk/<int:pk>/varian/", views.variant_add, name="variant_add"),
    path("produk/<int:pk>/varian/<int:variant_pk>/", views.variant_edit, name="variant_edit"),
    path("produk/<int:pk>/foto/", views.photo_upload, name="photo_upload"),
    path("produk/<int:pk>/foto/<int:photo_pk>/hapus/", views.photo_delete, name="photo_delete"),
    path("produk/<int:pk>/foto/<int:photo_pk>/sampul/", views.photo_make_cover, name="photo_make_cover"),
    path("pembuat/baru/", views.producer_create, name="producer_create"),
    path("pembuat/<int:pk>/", views.producer_edit, name="producer_edit"),
    # Makers and groups
    path("perajin/", views.maker_list, name="makers"),
    path("perajin/baru/", views.maker_create, name="maker_create"),
    path("perajin/<int:pk>/", views.maker_edit, name="maker_edit"),
    path("kelompok/", views.group_list, name="groups"),
    path("kelompok/baru/", views.group_create, name="group_create"),
    path("kelompok/<int:pk>/", views.group_detail, name="group_detail"),
    path("kelompok/<int:pk>/anggota/", views.group_member_add, name="group_member_add"),
    path(
        "kelompok/<int:pk>/anggota/<int:membership_pk>/keluar/",
        views.group_member_leave,
        name="group_member_leave",
    ),
    path("kelompok/<int:pk>/profil/", views.group_profile_create, name="group_profile_create"),
]
