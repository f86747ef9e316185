"""The fee table a new installation starts with (admin keeps it after that)."""

TARIFFS = [
    ("hourly", "Tuntipalkkio", "Timarvode", "Hourly fee", "25.00"),
    ("lecture", "Luento tai puheenvuoro", "Föreläsning eller anförande", "Lecture or talk", "100.00"),
    ("meeting", "Kokous tai asiakasraati", "Möte eller klientråd", "Meeting or client panel", "50.00"),
    ("travel_km", "Kilometrikorvaus", "Kilometerersättning", "Mileage", "0.55"),
    ("meal", "Ateriakorvaus", "Måltidsersättning", "Meal allowance", "13.25"),
]


def seed_tariffs(get_model) -> None:
    """The fee table, where there is none yet (admin keeps it after that)."""
    tariff = get_model("Tariff")
    if tariff.objects.exists():
        return
    for order, (kind, fi, sv, en, amount) in enumerate(TARIFFS):
        tariff.objects.create(kind=kind, name=fi, name_fi=fi, name_sv=sv, name_en=en, amount=amount, order=order)


# The lecture tariff in the task type's words (language review 2026-12): (column, then, now).
REWORDED = [
    ("name", "Luento tai alustus", "Luento tai puheenvuoro"),
    ("name_fi", "Luento tai alustus", "Luento tai puheenvuoro"),
    ("name_sv", "Föreläsning eller inledning", "Föreläsning eller anförande"),
]


def reword_tariffs(get_model) -> None:
    """The new wording for the seeded lecture tariff, where nobody has edited it."""
    tariff = get_model("Tariff")
    for column, then, now in REWORDED:
        tariff.objects.filter(kind="lecture", **{column: then}).update(**{column: now})
