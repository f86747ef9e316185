from django.urls import path

from .views import afterwards, calendar, claims, coordinator, expert, exports, orders, payees, todo

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
    # Coordinators: after the fact (views/afterwards.py).
    path("kirjaa-jalkikateen/", afterwards.record_past, name="record_past"),
    path("varaukset/<int:pk>/korjaa/", afterwards.booking_correct, name="booking_correct"),
    # Coordinators: the calendar of a week or a month and the week's roster to print (views/calendar.py).
    # Not clashing with the feed's kalenteri/<token>.ics below: a token has no slash.
    path("kalenteri/viikko/", calendar.calendar_week, name="calendar_week"),
    path("kalenteri/viikko/tuloste/", calendar.roster, name="roster"),
    path("kalenteri/kuukausi/", calendar.calendar_month, name="calendar_month"),
    # Coordinators: the to-do and the debriefs it lists (views/todo.py).
    path("tehtavat/", todo.todo, name="todo"),
    path("tehtavat/vahvista/<int:pk>/", todo.todo_confirm, name="todo_confirm"),
    path("varaukset/<int:pk>/jalkipuinti/", todo.booking_debrief, name="debrief"),
    # Coordinators: payroll exports (views/exports.py).
    path("palkkiot/", exports.export_page, name="assignment_export"),
    path("palkkiot.<str:fmt>", exports.export_file, name="assignment_export_file"),
    # Units' orderers: their own requests; coordinators: the requests' inbox (views/orders.py).
    path("tilaukset/", orders.order_list, name="order_list"),
    path("tilaukset/uusi/", orders.order_create, name="order_create"),
    path("tilaukset/<int:pk>/", orders.order_detail, name="order_detail"),
    path("tilaukset/<int:pk>/peru/", orders.order_withdraw, name="order_withdraw"),
    path("tilaukset/palaute/<int:pk>/", orders.order_feedback, name="order_feedback"),
    path("tilaukset/saapuneet/", orders.order_inbox, name="order_inbox"),
    path("tilaukset/saapuneet/<int:pk>/", orders.order_request_detail, name="order_request_detail"),
    path("tilaukset/saapuneet/<int:pk>/hylkaa/", orders.order_decline, name="order_decline"),
    # Experts: my assignments (views/expert.py).
    path("omat/", expert.my_assignments, name="my_assignments"),
    path("omat/<int:pk>/", expert.my_assignment, name="my_assignment"),
    path("omat/<int:pk>/vastaa/", expert.booking_answer, name="booking_answer"),
    path("omat/<int:pk>/peru/", expert.my_booking_cancel, name="my_booking_cancel"),
    path("omat/<int:pk>/kalenteri.ics", expert.booking_ics, name="booking_ics"),
    path("omat/<int:pk>/kuulumiset/", expert.booking_check_in, name="booking_check_in"),
    path("omat/<int:pk>/palaute/", expert.my_booking_feedback, name="my_booking_feedback"),
    path("omat/ansiot/", expert.earnings_limits, name="earnings_limits"),
    # Travel and expense claims: the expert's, and the coordinators' review (views/claims.py).
    path("omat/<int:pk>/kulut/", claims.expense_claim, name="expense_claim"),
    path("kulut/", claims.claim_list, name="claim_list"),
    path("kulut/<int:pk>/", claims.claim_review, name="claim_review"),
    path("kulut/<int:pk>/kuitti/", claims.claim_receipt, name="claim_receipt"),
    # Coordinators: an expert's payee details for payroll (views/payees.py).
    path("maksutiedot/<int:pk>/", payees.payee_detail, name="payee"),
    path("maksutiedot/<int:pk>/muokkaa/", payees.payee_edit, name="payee_edit"),
    path("<int:pk>/ilmoittaudu/", expert.assignment_volunteer, name="assignment_volunteer"),
    # Everyone with assignments: the personal calendar feed (views/expert.py).
    path("kalenteri/", expert.calendar_feed, name="calendar_feed"),
    path("kalenteri/<str:token>.ics", expert.calendar_feed_file, name="calendar_feed_file"),
]
