from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from demo import accounts, bookings, expert_bank, experts, feedback, hearings, notifications, trainings, week


class Command(BaseCommand):
    help = "Load the demo data (idempotent). Refuses to run without DEBUG unless --allow-production."

    def add_arguments(self, parser):
        parser.add_argument("--allow-production", action="store_true", help="load even when DEBUG is off")

    def handle(self, *args, allow_production=False, **options):
        if not settings.DEBUG and not allow_production:
            raise CommandError("Demo accounts have a published password: refusing without DEBUG.")
        users = accounts.load()
        notifications.load()
        experts.load()
        searchable = expert_bank.load()
        assignments = bookings.load()
        coordinators_week = week.load()
        rounds = feedback.load()
        cohorts = trainings.load()
        campaigns = hearings.load()
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo data loaded: {searchable + 1} demo experts in the bank, {assignments} demo assignments,"
                f" {rounds} feedback rounds (try the form: /p/{feedback.OPEN_CODE}/), {cohorts} training cohorts,"
                f" {campaigns} hearing campaigns (one open: /kuulemiset/{hearings.OPEN_SLUG}/)."
                f" The coordinator's week: {week.waiting()} items in the to-do (/toimeksiannot/tehtavat/),"
                f" a weekly reception shift of {coordinators_week.series_dates} dates, and"
                f" {coordinators_week.orders} order requests from units (the orderer's: /toimeksiannot/tilaukset/)."
                " Demo accounts:"
            )
        )
        for email, role in users:
            self.stdout.write(f"  {role:<24} {email}")
        self.stdout.write(f"  password for all: {accounts.DEMO_PASSWORD}")
        self.stdout.write(
            f"  staff accounts (not the orderer) use two-factor authentication: TOTP secret {accounts.DEMO_TOTP_SECRET}"
            " (add it to an authenticator app, or run `make totp` for the current code)"
        )
        self.stdout.write("  outgoing email is written to .data/mail/ (the demo expert's welcome message is queued)")
