from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.urls import include, path
from django.views.generic import TemplateView

from accounts import views as account_views

from . import pages
from .health import healthz

# The admin login goes through allauth: its rate limits and two-factor step apply to admins too.
admin.autodiscover()
admin.site.login = secure_admin_login(admin.site.login)
admin.site.site_header = "Kokemuspankki"
admin.site.site_title = "Kokemuspankki"

urlpatterns = [
    path("", account_views.home, name="home"),
    path("healthz", healthz, name="healthz"),
    path("i18n/setlang/", account_views.set_language, name="set_language"),
    path("accounts/", include("allauth.urls")),
    path("tili/", include("accounts.urls")),
    path("ilmoitukset/", include("notifications.urls")),
    path("asiantuntijat/", include("experts.urls")),
    path("toimeksiannot/", include("bookings.urls")),
    path("kuulemiset/", include("hearings.urls")),
    path("", include("feedback.urls")),  # /p/<code>/ for participants, /palaute/ for staff
    path("valmennukset/", include("trainings.urls")),
    path("saavutettavuus/", pages.accessibility, name="accessibility"),
    path("tietosuoja/", TemplateView.as_view(template_name="pages/privacy.html"), name="privacy"),
    path("admin/", admin.site.urls),
]
