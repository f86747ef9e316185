from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BookingsConfig(AppConfig):
    name = "bookings"
    verbose_name = _("Assignments and bookings")

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from experts.profile_panels import register_profile_panel_provider
        from experts.search_actions import register_search_action_provider
        from experts.workload import register_busy_provider, register_full_month_provider

        from .eligibility import experts_busy_between
        from .emails import register_notification_kinds
        from .matching import register_notification_kinds as register_digest_kind
        from .models import Booking
        from .views.profile_panel import expert_profile_panel
        from .views.search import search_actions

        post_migrate.connect(seed_after_migrate, sender=self, dispatch_uid="bookings.seed")
        register_notification_kinds()
        register_digest_kind()  # "open to all matching": the daily digest (matching.py)
        # The expert bank's search and profile page ask these without importing bookings
        # (experts/workload.py, experts/search_actions.py, experts/profile_panels.py).
        register_full_month_provider(Booking.objects.full_month_experts)
        register_busy_provider(experts_busy_between)
        register_search_action_provider(search_actions)
        register_profile_panel_provider(expert_profile_panel)
        register_feedback_target()
        register_payroll()
        register_orders()
        register_todo()


def register_orders() -> None:
    """Units ordering experts (orders.py): the orderer's messages, and their requests on the front page."""
    from accounts.waiting import register_front_page_section

    from .order_messages import register_order_notification_kinds
    from .views.orders import orderer_front_page

    register_order_notification_kinds()
    register_front_page_section(orderer_front_page)


def register_todo() -> None:
    """The coordinators' to-do (todo.py) on their front page, and its count in the navigation."""
    from accounts.waiting import register_front_page_section, register_nav_count

    from .todo import nav_count
    from .views.todo import front_page_section

    register_front_page_section(front_page_section)
    register_nav_count("todo", nav_count)


def register_payroll() -> None:
    """The experts' expense claims' messages and receipts (claims.py), and the system check that
    refuses to start with sensitive payee details on and no key to encrypt them (payees.py)."""
    from django.core import checks

    from .claims import connect_signals, register_claim_notification_kinds
    from .payees import check_payroll_key

    register_claim_notification_kinds()
    connect_signals()  # a deleted claim's receipt leaves the storage
    checks.register(check_payroll_key, checks.Tags.security)


def register_feedback_target() -> None:
    """Feedback can be collected on an assignment (feedback imports no app: feedback/targets.py)."""
    from feedback.targets import TargetKind, register

    from .models import Assignment, BookingStatus

    def readable_by(user):
        # Coordinators see every assignment, so they read every assignment's feedback; an expert
        # reads the feedback of the assignments they did (a peer group they led), never others'.
        if user.has_perm("accounts.search_experts"):
            return Assignment.objects.all()
        done = [BookingStatus.CONFIRMED, BookingStatus.COMPLETED]
        return Assignment.objects.filter(bookings__expert__user=user, bookings__status__in=done)

    def manageable_by(user):
        return Assignment.objects.all() if user.has_perm("accounts.search_experts") else Assignment.objects.none()

    register(
        TargetKind(
            model=Assignment,
            readable_by=readable_by,
            manageable_by=manageable_by,
            times=lambda assignment: (assignment.starts_at, assignment.ends_at),
        )
    )


def seed_after_migrate(sender, **kwargs):
    from django.apps import apps

    from .seed import seed_tariffs

    seed_tariffs(lambda name: apps.get_model("bookings", name))
