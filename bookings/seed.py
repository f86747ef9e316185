"""The fee table a new installation starts with (admin keeps it after that)."""

TARIFFS = [
    ("hourly", "Tuntipalkkio", "Timarvode", "Hourly fee", "25.00"),
    ("lecture", "Luento tai alustus", "Föreläsning eller inledning", "Lecture or talk", "100.00"),
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
