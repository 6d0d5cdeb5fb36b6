from django.urls import path

from binakarya.storefront import views

app_name = "storefront"

urlpatterns = [
    path("", views.home, name="home"),
    path("katalog/", views.catalog, name="catalog"),
    path("produk/<slug:slug>/", views.product_detail, name="product"),
    path("produk/<slug:slug>/pesan/", views.product_order, name="order"),
    path("pembuat/", views.producer_list, name="producers"),
    path("pembuat/<slug:slug>/", views.producer_detail, name="producer"),
    path("lacak/<str:code>/", views.trace, name="trace"),
    path("dampak/<slug:slug>/", views.impact, name="impact"),
    path("verifikasi/", views.verify_lookup, name="verify_lookup"),
    path("verifikasi/<str:code>/", views.verify, name="verify"),
]
