from django.urls import path

from . import views

# Mounted at the site's root (kokemuspankki/urls.py): participants' links are short, /p/ACDE34/, to
# type from a slide; staff pages live under /palaute/.
app_name = "feedback"
urlpatterns = [
    path("p/", views.start, name="start"),
    path("p/<str:code>/", views.answer, name="answer"),
    path("p/<str:code>/kiitos/", views.thanks, name="thanks"),
    path("palaute/", views.index, name="index"),
    path("palaute/uusi/<int:type_id>/<int:object_id>/", views.round_create, name="create"),
    path("palaute/<int:pk>/", views.round_detail, name="round"),
    path("palaute/<int:pk>/tulokset.<str:fmt>", views.round_export, name="export"),
    path("palaute/<int:pk>/juliste/", views.round_poster, name="poster"),
    path("palaute/<int:pk>/qr.svg", views.round_qr, name="qr"),
    path("palaute/<int:pk>/paperilomakkeet/", views.round_paper, name="paper"),
    path("palaute/<int:pk>/ajat/", views.round_times, name="times"),
    path("palaute/sarjat/<int:pk>/", views.series_detail, name="series"),
]
