from django.urls import path

from binakarya.storefront import export_views, views

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
    path("pengadaan/permintaan/", views.rfq_form, name="rfq"),
    path("pengadaan/permintaan/terkirim/", views.rfq_sent, name="rfq_sent"),
    path("pengadaan/permintaan/templat-ukuran/", views.rfq_size_template, name="rfq_size_template"),
    # Export buyers (issue 13): the inquiry form and the buyer's own page with their documents
    path("ekspor/permintaan/", export_views.inquiry_form, name="export_inquiry"),
    path("ekspor/permintaan/terkirim/", export_views.inquiry_sent, name="export_inquiry_sent"),
    path("ekspor/dokumen/<str:token>/", export_views.buyer_documents, name="export_documents"),
    path("ekspor/dokumen/<str:token>/<str:number>.pdf", export_views.buyer_document_pdf, name="export_document_pdf"),
    path("keranjang/", views.cart_page, name="cart"),
    path("keranjang/tambah/", views.cart_add, name="cart_add"),
    path("keranjang/ubah/", views.cart_update, name="cart_update"),
    path("keranjang/checkout/", views.checkout, name="checkout"),
    path("pesanan/selesai/<str:checkout_token>/", views.checkout_done, name="checkout_done"),
    path("pesanan/<str:token>/", views.order_track, name="order_track"),
    path("pesanan/<str:token>/bukti/", views.order_proof, name="order_proof"),
    path("pesanan/<str:token>/batal/", views.order_cancel, name="order_cancel"),
]
