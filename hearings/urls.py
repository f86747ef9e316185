from django.urls import path, re_path

from .views import analysis as analysis_views
from .views import outcome as outcome_views
from .views import panels as panel_views
from .views import public, staff

app_name = "hearings"
# Staff pages live under hallinta/ ("administration"), before the public campaign pages' <slug>/
# (a campaign's slug cannot be "hallinta": forms refuse it).
urlpatterns = [
    # Staff: the landing page, topics, campaigns, questions, offline input (views/staff.py)
    path("hallinta/", staff.index, name="index"),
    path("hallinta/aiheet/", staff.topic_list, name="topic_list"),
    path("hallinta/aiheet/uusi/", staff.topic_create, name="topic_create"),
    path("hallinta/aiheet/<int:pk>/muokkaa/", staff.topic_edit, name="topic_edit"),
    path("hallinta/aiheet/<int:pk>/kampanjaksi/", staff.topic_campaign, name="topic_campaign"),
    path("hallinta/kampanjat/uusi/", staff.campaign_create, name="campaign_create"),
    path("hallinta/kampanjat/<int:pk>/", staff.campaign_manage, name="campaign_manage"),
    path("hallinta/kampanjat/<int:pk>/muokkaa/", staff.campaign_edit, name="campaign_edit"),
    path("hallinta/kampanjat/<int:pk>/kysymykset/uusi/", staff.question_create, name="question_create"),
    path("hallinta/kysymykset/<int:pk>/muokkaa/", staff.question_edit, name="question_edit"),
    path("hallinta/kysymykset/<int:pk>/poista/", staff.question_delete, name="question_delete"),
    path("hallinta/kysymykset/<int:pk>/siirra/", staff.question_move, name="question_move"),
    path("hallinta/kampanjat/<int:pk>/muistiinpanot/uusi/", staff.note_create, name="note_create"),
    path("hallinta/kampanjat/<int:pk>/paperivastaus/", staff.paper_create, name="paper_create"),
    # Staff: analysis, themes, exports, report (views/analysis.py)
    path("hallinta/kampanjat/<int:pk>/analyysi/", analysis_views.analysis, name="analysis"),
    path("hallinta/kampanjat/<int:pk>/analyysi/tekstit/", analysis_views.analysis_texts, name="analysis_texts"),
    path("hallinta/kampanjat/<int:pk>/teemat/", analysis_views.themes, name="themes"),
    path("hallinta/kampanjat/<int:pk>/teemat/uusi/", analysis_views.theme_create, name="theme_create"),
    path("hallinta/kampanjat/<int:pk>/teemat/<int:theme_pk>/", analysis_views.theme_rename, name="theme_rename"),
    path("hallinta/kampanjat/<int:pk>/teemat/<int:theme_pk>/poista/", analysis_views.theme_delete, name="theme_delete"),
    re_path(
        r"^hallinta/kampanjat/(?P<pk>[0-9]+)/vienti/(?P<kind>vastaukset|muistiinpanot)\.(?P<fmt>csv|xlsx)$",
        analysis_views.export,
        name="export",
    ),
    path("hallinta/kampanjat/<int:pk>/raportti/", analysis_views.report, name="report"),
    # Staff: the outcome, findings and decisions (views/outcome.py)
    path("hallinta/kampanjat/<int:pk>/tulos/", outcome_views.outcome_edit, name="outcome_edit"),
    path("hallinta/kampanjat/<int:pk>/tulos/julkaise/", outcome_views.outcome_publish, name="outcome_publish"),
    path("hallinta/kampanjat/<int:pk>/tulos/havainto/", outcome_views.finding_create, name="finding_create"),
    path("hallinta/havainnot/<int:pk>/", outcome_views.finding_edit, name="finding_edit"),
    path("hallinta/havainnot/<int:pk>/poista/", outcome_views.finding_delete, name="finding_delete"),
    path("hallinta/havainnot/<int:pk>/siirra/", outcome_views.finding_move, name="finding_move"),
    path("hallinta/havainnot/<int:pk>/paatos/", outcome_views.decision_create, name="decision_create"),
    path("hallinta/paatokset/<int:pk>/", outcome_views.decision_edit, name="decision_edit"),
    path("hallinta/paatokset/<int:pk>/poista/", outcome_views.decision_delete, name="decision_delete"),
    # Staff: client panels (views/panels.py)
    path("hallinta/raadit/", panel_views.panel_list, name="panel_list"),
    path("hallinta/raadit/uusi/", panel_views.panel_create, name="panel_create"),
    path("hallinta/raadit/<int:pk>/", panel_views.panel_detail, name="panel_detail"),
    path("hallinta/raadit/<int:pk>/muokkaa/", panel_views.panel_edit, name="panel_edit"),
    path("hallinta/raadit/<int:pk>/jasen/", panel_views.member_create, name="member_create"),
    path("hallinta/raatilaiset/<int:pk>/", panel_views.member_edit, name="member_edit"),
    path("hallinta/raadit/<int:pk>/kokous/", panel_views.meeting_create, name="meeting_create"),
    path("hallinta/kokoukset/<int:pk>/", panel_views.meeting_detail, name="meeting_detail"),
    path("hallinta/kokoukset/<int:pk>/varaa/", panel_views.meeting_book_experts, name="meeting_book_experts"),
    path("hallinta/kokoukset/<int:pk>/tuotos/", panel_views.meeting_output, name="meeting_output"),
    # Public: the list of campaigns, a campaign's page and its online form (views/public.py)
    path("", public.public_list, name="public_list"),
    path("<slug:slug>/", public.campaign, name="campaign"),
    path("<slug:slug>/kiitos/", public.thanks, name="thanks"),
]
