"""A finished cohort the completion tests share: two required modules, five sessions held (a sixth
cancelled), and participants who do and do not meet the rules."""

from datetime import timedelta

from django.utils import translation

from tests.factories import (
    AttendanceFactory,
    CohortFactory,
    ModuleFactory,
    ParticipantFactory,
    ProgrammeFactory,
    TrainingSessionFactory,
)


def finished_cohort():
    """Returns (cohort, participants by first name). Sari 5/5 and Jari 4/5 are eligible (80 %);
    Åsa 3/5 is not; Eeva was removed. The programme's and modules' names are written in Finnish
    whatever language an earlier test's request left active (modeltranslation writes the active one)."""
    with translation.override("fi"):
        return _finished_cohort()


def _finished_cohort():
    programme = ProgrammeFactory(completion_attendance=80)
    first, second = ModuleFactory(programme=programme, order=1), ModuleFactory(programme=programme, order=2)
    cohort = CohortFactory(programme=programme)
    sessions = [
        TrainingSessionFactory(cohort=cohort, module=module, starts_in=timedelta(days=-days))
        for module, days in [(first, 30), (first, 25), (second, 20), (second, 15), (second, 10)]
    ]
    TrainingSessionFactory(cohort=cohort, module=second, starts_in=timedelta(days=-5), cancelled=True)
    people = {
        name: ParticipantFactory(cohort=cohort, name=f"{name} Testinen") for name in ["Sari", "Jari", "Åsa", "Eeva"]
    }
    for name, present in [("Sari", [0, 1, 2, 3, 4]), ("Jari", [0, 2, 3, 4]), ("Åsa", [0, 1, 2])]:
        for index in present:
            AttendanceFactory(session=sessions[index], participant=people[name])
    AttendanceFactory(session=sessions[1], participant=people["Jari"], status="excused")
    people["Eeva"].removed_at = sessions[0].ends_at
    people["Eeva"].save(update_fields=["removed_at"])
    return cohort, people
