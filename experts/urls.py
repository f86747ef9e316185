from django.urls import path

from .views import profile, search

app_name = "experts"
urlpatterns = [
    path("", search.index, name="index"),
    path("oma/", profile.my_profile, name="my_profile"),
]
