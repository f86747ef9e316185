"""`make bench`'s expert search part runs end to end (small), and cleans up after itself."""

from io import StringIO

import pytest
from django.core.management import call_command

from accounts.models import AuditEvent, User
from demo.management.commands.bench import steal_share
from experts.models import ExpertProfile


@pytest.mark.django_db
def test_the_search_bench_measures_every_kind_of_search_and_removes_its_profiles(monkeypatch):
    from demo import expert_bench

    # VACUUM cannot run inside the test's transaction; it only makes the figures realistic.
    monkeypatch.setattr(expert_bench, "settle", lambda: None)
    out = StringIO()
    call_command("bench", "--experts", "--no-notifications", "--expert-sizes=40", "--runs=2", stdout=out)
    text = out.getvalue()
    for name in ("facets only", "free text", "facets + text + date", "text 'skitsofernia'"):
        assert f"    {name}" in text
    assert "40 bench profiles" in text
    assert "hypervisor" in text
    # The whole request too, as a page and as live filtering, with the cards it rendered.
    for name in ("facets only", "free text", "facets + text + date"):
        assert f"    {name}, whole page" in text
        assert f"    {name}, live filtering (htmx)" in text
    assert " cards)" in text
    assert "(0 cards)" not in text.split("facets only, whole page")[1].splitlines()[0]
    assert not ExpertProfile.objects.filter(user__email__endswith="@bench.invalid").exists()
    assert not User.objects.filter(email__endswith="@bench.invalid").exists()
    assert not AuditEvent.objects.filter(actor__isnull=True, what="expert search result").exists()


@pytest.mark.django_db
def test_bench_profiles_have_their_facets():
    from demo import expert_bench

    expert_bench.remove_bench_experts()
    expert_bench.ExpertGenerator().add(0, 30)
    profiles = ExpertProfile.objects.filter(user__email__endswith=expert_bench.BENCH_DOMAIN)
    assert profiles.count() == 30
    assert not profiles.filter(facets=[]).exists()
    assert all(
        any(token.startswith("weekday:") for token in facets) for facets in profiles.values_list("facets", flat=True)
    )
    expert_bench.remove_bench_experts()


def test_steal_share_is_the_hypervisors_part_of_the_cpu_time():
    # user nice system idle iowait irq softirq steal
    before = [100, 0, 10, 500, 0, 0, 0, 10]
    after = [150, 0, 20, 530, 0, 0, 0, 20]
    assert steal_share(before, after) == "10 % steal"
    assert steal_share([], after) == "unknown"
