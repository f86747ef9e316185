"""Shared builders for the booking tests (imported by test modules, not a plugin)."""

from datetime import timedelta

from django.utils import timezone

from bookings.models import Assignment, Tariff, TariffKind
from experts.models import TaskType


def make_assignment(coordinator, *, starts_in=timedelta(days=7), hours=2, tariff_kind=TariffKind.HOURLY, **fields):
    """An assignment `starts_in` from now, lasting `hours`, priced by the seeded tariff of that kind."""
    starts = (timezone.now() + starts_in).replace(second=0, microsecond=0)
    values = {
        "title": "Luento masennuksesta",
        "description": "Kokemuspuheenvuoro sairaanhoitajaopiskelijoille.",
        "task_type": TaskType.objects.get(slug="luento"),
        "starts_at": starts,
        "ends_at": starts + timedelta(hours=hours),
        "address": "Keskussairaalankatu 7, Lahti",
        "unit": "Psykiatrian poliklinikka",
        "contact_person": coordinator,
        "created_by": coordinator,
        "tariff": Tariff.objects.filter(kind=tariff_kind).first(),
    }
    values.update(fields)
    return Assignment.objects.create(**values)
