from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path, re_path

from binakarya.api.api import api
from binakarya.core import views as core_views

urlpatterns = [
    path("healthz", core_views.healthz, name="healthz"),
    path("ping", core_views.ping, name="ping"),
    path("api/v1/", api.urls),
    # Channel product feeds (issue 14): the language is in the path, so they stay outside i18n_patterns.
    path("feeds/", include("binakarya.storefront.feed_urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]

if settings.SERVE_MEDIA:
    urlpatterns += [
        re_path(r"^media/(?P<path>.*)$", core_views.serve_media),
    ]

# Indonesian at "/", English under "/en/".
urlpatterns += i18n_patterns(
    path("akun/", include("binakarya.accounts.urls")),
    path("staf/", include("binakarya.backoffice.urls")),
    path("", include("binakarya.storefront.urls")),
    prefix_default_language=False,
)

handler403 = "binakarya.core.views.permission_denied"
handler404 = "binakarya.core.views.page_not_found"
handler500 = "binakarya.core.views.server_error"
