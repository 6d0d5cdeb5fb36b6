from django.urls import path

from binakarya.storefront import feed_views

app_name = "feeds"

# One pattern for every feed file: the names are the keys of binakarya.feeds.registry.FEEDS (meta.csv, …).
urlpatterns = [
    path("<slug:slug>/<str:lang>/<str:name>", feed_views.feed, name="feed"),
]
