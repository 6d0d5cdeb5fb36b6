from django.urls import path

from binakarya.storefront import feed_views

app_name = "feeds"

urlpatterns = [
    path("<slug:slug>/<str:lang>/meta.csv", feed_views.meta_csv, name="meta_csv"),
    path("<slug:slug>/<str:lang>/meta.xml", feed_views.meta_xml, name="meta_xml"),
    path("<slug:slug>/<str:lang>/google.xml", feed_views.google_xml, name="google_xml"),
]
