"""Programme list and detail: who sees them, what the detail shows, and how many queries they take."""

import pytest
from django.urls import reverse

from tests.factories import (
    CohortFactory,
    ModuleFactory,
    ProgrammeFactory,
    TrainingSessionFactory,
    UserFactory,
)
from tests.trainings.clients import sign_in as login

pytestmark = pytest.mark.usefixtures("english")


@pytest.fixture
def programme(db):
    programme = ProgrammeFactory(
        name="Kasvava kokemusasiantuntijuus",
        slug="kasvava",
        competence_requirements="Noudattaa vaitiolovelvollisuutta.\n\nToimii ryhmässä.",
    )
    ModuleFactory(programme=programme, order=2, name="Turvallinen tarinankerronta", hours=4, is_required=False)
    ModuleFactory(programme=programme, order=1, name="Oma tarina voimavarana", hours=3)
    return programme


# --- Access ----------------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["programme_list", "programme_detail"])
def test_anonymous_is_sent_to_login(client, programme, name):
    url = reverse(f"trainings:{name}", args=[] if name == "programme_list" else [programme.slug])
    response = client.get(url)
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["programme_list", "programme_detail"])
def test_expert_is_refused(client, expert, programme, name):
    url = reverse(f"trainings:{name}", args=[] if name == "programme_list" else [programme.slug])
    assert login(client, expert).get(url).status_code == 403


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["trainer", "coordinator"])
def test_trainers_and_coordinators_see_programmes(client, programme, role):
    user = UserFactory(role=role, mfa=True)
    login(client, user)
    assert client.get(reverse("trainings:programme_list")).status_code == 200
    assert client.get(programme.get_absolute_url()).status_code == 200


@pytest.mark.django_db
def test_unknown_programme_is_404(client, coordinator):
    assert login(client, coordinator).get(reverse("trainings:programme_detail", args=["ei-ole"])).status_code == 404


# --- What the pages show -----------------------------------------------------------------------


@pytest.mark.django_db
def test_list_shows_modules_and_hours(client, coordinator, programme):
    html = login(client, coordinator).get(reverse("trainings:programme_list")).content.decode()
    assert "Kasvava kokemusasiantuntijuus" in html
    assert "2 modules, 7 hours" in html


@pytest.mark.django_db
def test_inactive_programme_is_marked_and_listed_last(client, coordinator, programme):
    ProgrammeFactory(name="Aiempi valmennus", is_active=False)
    response = login(client, coordinator).get(reverse("trainings:programme_list"))
    names = [p.name for p in response.context["programmes"]]
    assert names == ["Kasvava kokemusasiantuntijuus", "Aiempi valmennus"]
    assert "Not in use" in response.content.decode()


@pytest.mark.django_db
def test_detail_lists_modules_in_order_with_goals_and_requirements(client, coordinator, programme):
    html = login(client, coordinator).get(programme.get_absolute_url()).content.decode()
    assert html.index("1. Oma tarina voimavarana") < html.index("2. Turvallinen tarinankerronta")
    assert "<li>Tunnistan oman kokemukseni voiman.</li>" in html
    assert "<li>Toimii ryhmässä.</li>" in html
    assert "optional" in html and "required for completion" in html


@pytest.mark.django_db
def test_detail_names_the_feedback_form(client, coordinator, programme):
    from feedback.models import FormTemplate

    form = FormTemplate.objects.filter(kind="participant").first()
    programme.feedback_template = form
    programme.save()
    html = login(client, coordinator).get(programme.get_absolute_url()).content.decode()
    assert form.name in html


@pytest.mark.django_db
def test_trainer_sees_only_their_own_cohorts_of_the_programme(client, trainer, programme):
    own = CohortFactory(programme=programme, name="Pälkäneen ryhmä")
    own.trainers.add(trainer)
    via_session = CohortFactory(programme=programme, name="Orimattilan ryhmä")
    TrainingSessionFactory(cohort=via_session).trainers.add(trainer)
    CohortFactory(programme=programme, name="Hollolan ryhmä")
    response = login(client, trainer).get(programme.get_absolute_url())
    assert {c.name for c in response.context["cohorts"]} == {"Pälkäneen ryhmä", "Orimattilan ryhmä"}
    assert "Hollolan ryhmä" not in response.content.decode()


@pytest.mark.django_db
def test_coordinator_sees_every_cohort_and_the_material_form(client, coordinator, programme):
    CohortFactory(programme=programme, name="Hollolan ryhmä")
    response = login(client, coordinator).get(programme.get_absolute_url())
    assert [c.name for c in response.context["cohorts"]] == ["Hollolan ryhmä"]
    assert reverse("trainings:material_add", args=[programme.slug]) in response.content.decode()


@pytest.mark.django_db
def test_trainer_gets_no_material_form(client, trainer, programme):
    html = login(client, trainer).get(programme.get_absolute_url()).content.decode()
    assert reverse("trainings:material_add", args=[programme.slug]) not in html


# --- Queries ---------------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("count", [1, 5])
def test_list_queries_do_not_grow_with_programmes(client, coordinator, django_assert_num_queries, count):
    for _n in range(count):
        ModuleFactory(programme=ProgrammeFactory())
    login(client, coordinator)
    # session, the user with roles, permissions and MFA status (accounts.backends); the programmes
    # with their module counts and hours; then the idle-timeout session save (savepoint, update, release).
    with django_assert_num_queries(6):
        response = client.get(reverse("trainings:programme_list"))
    assert len(response.context["programmes"]) == count


@pytest.mark.django_db
@pytest.mark.parametrize("count", [1, 4])
def test_detail_queries_do_not_grow_with_modules_and_cohorts(
    client, trainer, django_assert_num_queries, count, tmp_path, settings
):
    from trainings.models import Material

    programme = ProgrammeFactory()
    for n in range(count):
        module = ModuleFactory(programme=programme)
        Material.objects.create(programme=programme, module=module, title=f"Dia {n}", url="https://example.fi/")
        CohortFactory(programme=programme).trainers.add(trainer)
    login(client, trainer)
    # session, the user with roles, permissions and MFA status (accounts.backends); the programme with
    # its feedback form; its materials; its modules; whether the user may download them; the cohorts
    # the user sees; then the idle-timeout session save (savepoint, update, release).
    with django_assert_num_queries(10):
        response = client.get(programme.get_absolute_url())
    assert len(response.context["modules"]) == count
    assert len(response.context["cohorts"]) == count
