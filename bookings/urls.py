from django.urls import path

from .views import coordinator, expert, exports

# Under /toimeksiannot/ (kokemuspankki/urls.py): the coordinators' assignments at the top, the
# expert's own under omat/, bookings' actions under varaukset/.
app_name = "bookings"
urlpatterns = [
    # Coordinators: assignments and bookings (views/coordinator.py).
    path("", coordinator.assignment_list, name="assignment_list"),
    path("uusi/", coordinator.assignment_create, name="assignment_create"),
    path("<int:pk>/", coordinator.assignment_detail, name="assignment_detail"),
    path("<int:pk>/muuta-aikaa/", coordinator.assignment_move, name="assignment_move"),
    path("<int:pk>/peru/", coordinator.assignment_cancel, name="assignment_cancel"),
    path("<int:pk>/kutsu/", coordinator.assignment_invite, name="assignment_invite"),
    path("varaukset/<int:pk>/vahvista/", coordinator.booking_confirm, name="booking_confirm"),
    path("varaukset/<int:pk>/peru/", coordinator.booking_cancel, name="booking_cancel"),
    path("varaukset/<int:pk>/kuittaa/", coordinator.booking_complete, name="booking_complete"),
    path("varaukset/<int:pk>/palaute/", coordinator.booking_feedback, name="booking_feedback"),
    # Coordinators: payroll exports (views/exports.py).
    path("palkkiot/", exports.export_page, name="assignment_export"),
    path("palkkiot.<str:fmt>", exports.export_file, name="assignment_export_file"),
    # Experts: my assignments (views/expert.py).
    path("omat/", expert.my_assignments, name="my_assignments"),
    path("omat/<int:pk>/", expert.my_assignment, name="my_assignment"),
    path("omat/<int:pk>/vastaa/", expert.booking_answer, name="booking_answer"),
    path("omat/<int:pk>/peru/", expert.my_booking_cancel, name="my_booking_cancel"),
    path("omat/<int:pk>/kalenteri.ics", expert.booking_ics, name="booking_ics"),
    path("omat/<int:pk>/kuulumiset/", expert.booking_check_in, name="booking_check_in"),
    path("omat/<int:pk>/palaute/", expert.my_booking_feedback, name="my_booking_feedback"),
    path("omat/ansiot/", expert.earnings_limits, name="earnings_limits"),
    path("<int:pk>/ilmoittaudu/", expert.assignment_volunteer, name="assignment_volunteer"),
    # Everyone with assignments: the personal calendar feed (views/expert.py).
    path("kalenteri/", expert.calendar_feed, name="calendar_feed"),
    path("kalenteri/<str:token>.ics", expert.calendar_feed_file, name="calendar_feed_file"),
]
