from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BookingsConfig(AppConfig):
    name = "bookings"
    verbose_name = _("Assignments and bookings")

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from experts.search_actions import register_search_action_provider
        from experts.workload import register_full_month_provider

        from .emails import register_notification_kinds
        from .models import Booking
        from .views.search import search_actions

        post_migrate.connect(seed_after_migrate, sender=self, dispatch_uid="bookings.seed")
        register_notification_kinds()
        # The expert bank's search asks these without importing bookings (experts/workload.py,
        # experts/search_actions.py).
        register_full_month_provider(Booking.objects.full_month_experts)
        register_search_action_provider(search_actions)
        register_feedback_target()


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
