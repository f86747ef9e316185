from django.urls import path

from .views import on_behalf, profile, search

app_name = "experts"
urlpatterns = [
    path("", search.index, name="index"),
    path("<int:pk>/", search.expert_detail, name="detail"),
    path("<int:pk>/kuva/", search.expert_photo, name="photo"),
    path("<int:pk>/muokkaa/", on_behalf.on_behalf, name="on_behalf"),
    path("<int:pk>/muokkaa/suostumus/", on_behalf.paper_consent, name="paper_consent"),
    path("<int:pk>/muokkaa/kuva/", on_behalf.on_behalf_photo, name="on_behalf_photo"),
    path("<int:pk>/muokkaa/<slug:section>/", on_behalf.on_behalf_section, name="on_behalf_section"),
    path("hakemisto/", search.directory, name="directory"),
    path("oma/", profile.my_profile, name="my_profile"),
    path("oma/jatka/", profile.profile_continue, name="profile_continue"),
    path("oma/vaihe/<int:step>/", profile.profile_step, name="profile_step"),
    path("oma/muokkaa/<slug:section>/", profile.profile_edit, name="profile_edit"),
    path("oma/tila/", profile.profile_status, name="profile_status"),
    path("oma/suostumus/", profile.profile_consent, name="profile_consent"),
    path("oma/suostumus/peru/", profile.profile_consent_withdraw, name="profile_consent_withdraw"),
    path("oma/esikatselu/<slug:level>/", profile.profile_preview, name="profile_preview"),
    path("oma/kuva/", profile.my_photo, name="my_photo"),
    path("oma/saatavuus/", profile.availability, name="availability"),
    path("oma/saatavuus/estot/", profile.blocked_period_add, name="blocked_period_add"),
    path("oma/saatavuus/estot/<int:pk>/poista/", profile.blocked_period_delete, name="blocked_period_delete"),
]
