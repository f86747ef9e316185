from django.urls import path

from .views import attendance, cohorts, completion, guides, onboarding, programmes

app_name = "trainings"
urlpatterns = [
    # The trainer's and coordinator's front page, cohorts and sessions (views/cohorts.py)
    path("", cohorts.index, name="index"),
    # Attendance (views/attendance.py)
    # Programmes and materials (views/programmes.py)
    # The staff toolkit (views/guides.py)
    # Costs, completion and certificates (views/completion.py)
    # Onboarding of new experts (views/onboarding.py)
]
