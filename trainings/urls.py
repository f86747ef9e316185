from django.urls import path

from .views import attendance, cohorts, completion, guides, onboarding, programmes

app_name = "trainings"
urlpatterns = [
    # The trainer's and coordinator's front page, cohorts and sessions (views/cohorts.py)
    path("", cohorts.index, name="index"),
    path("ryhmat/uusi/", cohorts.cohort_create, name="cohort_create"),
    path("ryhmat/<int:pk>/", cohorts.cohort_detail, name="cohort_detail"),
    path("ryhmat/<int:pk>/muokkaa/", cohorts.cohort_edit, name="cohort_edit"),
    path("ryhmat/<int:pk>/osallistujat/uusi/", cohorts.participant_create, name="participant_create"),
    path("osallistujat/<int:pk>/muokkaa/", cohorts.participant_edit, name="participant_edit"),
    path("osallistujat/<int:pk>/poista/", cohorts.participant_remove, name="participant_remove"),
    path("ryhmat/<int:pk>/kerrat/uusi/", cohorts.session_create, name="session_create"),
    path("kerrat/<int:pk>/", cohorts.session_detail, name="session_detail"),
    path("kerrat/<int:pk>/muokkaa/", cohorts.session_edit, name="session_edit"),
    path("kerrat/<int:pk>/peru/", cohorts.session_cancel, name="session_cancel"),
    path("kerrat/<int:pk>/varaa-valmentaja/", cohorts.session_book_trainer, name="session_book_trainer"),
    # Attendance (views/attendance.py)
    path("kerrat/<int:pk>/lasnaolo/", attendance.attendance, name="attendance"),
    # Programmes and materials (views/programmes.py)
    path("ohjelmat/", programmes.programme_list, name="programme_list"),
    path("ohjelmat/<slug:slug>/", programmes.programme_detail, name="programme_detail"),
    path("ohjelmat/<slug:slug>/materiaalit/", programmes.material_add, name="material_add"),
    path("materiaalit/<int:pk>/", programmes.material_download, name="material_download"),
    path("materiaalit/<int:pk>/poista/", programmes.material_delete, name="material_delete"),
    # A participant's own (any signed-in user; lists only their own participations)
    path("omat/", programmes.my_trainings, name="my_trainings"),
    # The staff toolkit (views/guides.py)
    path("tyokalupakki/", guides.guide_list, name="guide_list"),
    path("tyokalupakki/<slug:slug>/", guides.guide_detail, name="guide_detail"),
    # Costs, completion and certificates (views/completion.py)
    path("ryhmat/<int:pk>/kustannukset/", completion.cohort_costs, name="cohort_costs"),
    path("ryhmat/<int:pk>/kustannukset/<int:cost_pk>/poista/", completion.cost_delete, name="cost_delete"),
    path("ryhmat/<int:pk>/suoritukset/", completion.cohort_completion, name="cohort_completion"),
    path("ryhmat/<int:pk>/suoritukset/<int:participant_pk>/peru/", completion.completion_undo, name="completion_undo"),
    path("ryhmat/<int:pk>/suoritukset/<int:participant_pk>/kutsu/", completion.bank_invite, name="bank_invite"),
    path("ryhmat/<int:pk>/todistus/<int:participant_pk>/", completion.certificate, name="certificate"),
    # Onboarding of new experts (views/onboarding.py)
    path("perehdytys/", onboarding.onboarding_list, name="onboarding_list"),
    path("perehdytys/<int:profile_pk>/", onboarding.onboarding_detail, name="onboarding_detail"),
    path("perehdytys/<int:profile_pk>/vaiheet/<int:step_pk>/", onboarding.onboarding_step, name="onboarding_step"),
    path("perehdytys/<int:profile_pk>/valmis/", onboarding.onboarding_ready, name="onboarding_ready"),
]
