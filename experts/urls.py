from django.urls import path

from . import views

app_name = "experts"
urlpatterns = [
    path("", views.index, name="index"),
    path("oma/", views.my_profile, name="my_profile"),
]
