from django.urls import path

from . import views

app_name = "accounts"
urlpatterns = [
    path("kutsut/", views.invitation_create, name="invitation_create"),
    path("kutsu/<str:token>/", views.invitation_accept, name="invitation_accept"),
    path("puhelin/", views.phone, name="phone"),
]
