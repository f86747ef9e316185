from django.urls import path

from .views import booking_coordinator, booking_expert, booking_exports, profile, search

app_name = "experts"
urlpatterns = [
    path("", search.index, name="index"),
    path("<int:pk>/", search.expert_detail, name="detail"),
    path("<int:pk>/kuva/", search.expert_photo, name="photo"),
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
    # Coordinators: assignments and bookings (views/booking_coordinator.py).
    path("toimeksiannot/", booking_coordinator.assignment_list, name="assignment_list"),
    path("toimeksiannot/uusi/", booking_coordinator.assignment_create, name="assignment_create"),
    path("toimeksiannot/<int:pk>/", booking_coordinator.assignment_detail, name="assignment_detail"),
    path("toimeksiannot/<int:pk>/muuta-aikaa/", booking_coordinator.assignment_move, name="assignment_move"),
    path("toimeksiannot/<int:pk>/peru/", booking_coordinator.assignment_cancel, name="assignment_cancel"),
    path("toimeksiannot/<int:pk>/kutsu/", booking_coordinator.assignment_invite, name="assignment_invite"),
    path("varaukset/<int:pk>/vahvista/", booking_coordinator.booking_confirm, name="booking_confirm"),
    path("varaukset/<int:pk>/peru/", booking_coordinator.booking_cancel, name="booking_cancel"),
    path("varaukset/<int:pk>/kuittaa/", booking_coordinator.booking_complete, name="booking_complete"),
    path("varaukset/<int:pk>/palaute/", booking_coordinator.booking_feedback, name="booking_feedback"),
    # Coordinators: payroll exports (views/booking_exports.py).
    path("toimeksiannot/vienti/", booking_exports.export_page, name="assignment_export"),
    path("toimeksiannot/vienti.<str:fmt>", booking_exports.export_file, name="assignment_export_file"),
    # Experts: my assignments (views/booking_expert.py).
    path("oma/toimeksiannot/", booking_expert.my_assignments, name="my_assignments"),
    path("oma/toimeksiannot/<int:pk>/", booking_expert.my_assignment, name="my_assignment"),
    path("oma/toimeksiannot/<int:pk>/vastaa/", booking_expert.booking_answer, name="booking_answer"),
    path("oma/toimeksiannot/<int:pk>/peru/", booking_expert.my_booking_cancel, name="my_booking_cancel"),
    path("oma/toimeksiannot/<int:pk>/kalenteri.ics", booking_expert.booking_ics, name="booking_ics"),
    path("oma/toimeksiannot/<int:pk>/kuulumiset/", booking_expert.booking_check_in, name="booking_check_in"),
    path("oma/toimeksiannot/<int:pk>/palaute/", booking_expert.my_booking_feedback, name="my_booking_feedback"),
    path("avoimet/<int:pk>/ilmoittaudu/", booking_expert.assignment_volunteer, name="assignment_volunteer"),
    path("oma/ansiot/", booking_expert.earnings_limits, name="earnings_limits"),
    # Everyone with assignments: the personal calendar feed (views/booking_expert.py).
    path("kalenteri/", booking_expert.calendar_feed, name="calendar_feed"),
    path("kalenteri/<str:token>.ics", booking_expert.calendar_feed_file, name="calendar_feed_file"),
]
