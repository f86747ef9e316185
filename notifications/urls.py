from django.urls import path

from . import views

app_name = "notifications"
urlpatterns = [
    path("asetukset/", views.preferences, name="preferences"),
    path("peru/<str:token>/", views.unsubscribe, name="unsubscribe"),
]
