import pytest
from django.apps import apps
from django.contrib import admin
from django.urls import reverse

PROJECT_APPS = ["accounts", "experts", "hearings", "feedback", "trainings"]


# Kept out of admin on purpose, with the reason: nobody reads them one by one.
NOT_IN_ADMIN = {
    "feedback.Answer": "anonymous answers are read only as results, through the threshold rule",
    "feedback.Tally": "counts of answers, read only as results, through the threshold rule",
    "feedback.TextAnswer": "comments are read only as results, through the threshold rule",
    "feedback.Receipt": "hashes of sent forms' one-time tokens, nothing to read",
    "hearings.Response": "anonymous responses are read only as figures, on the analysis page",
    "hearings.Answer": "anonymous answers are read only as figures, on the analysis page",
    "hearings.ContactRequest": "addresses to be told an outcome: read by nobody, deleted once told",
    "hearings.Receipt": "hashes of sent forms' one-time tokens, nothing to read",
}


def test_every_project_model_is_registered_with_filters_and_search():
    for app_label in PROJECT_APPS:
        for model in apps.get_app_config(app_label).get_models():
            if model._meta.label in NOT_IN_ADMIN:
                assert model not in admin.site._registry, f"{model.__name__} is in admin"
                continue
            assert model in admin.site._registry, f"{model.__name__} is not in admin"
            model_admin = admin.site._registry[model]
            assert model_admin.list_filter, f"{model.__name__} admin has no list_filter"
            assert model_admin.search_fields, f"{model.__name__} admin has no search_fields"


@pytest.mark.django_db
def test_admin_lists_users_for_admins(client, admin_user):
    client.force_login(admin_user)
    response = client.get(reverse("admin:accounts_user_changelist") + "?q=mäkelä")
    assert response.status_code == 200


@pytest.mark.django_db
def test_coordinator_is_refused_by_admin(client, coordinator):
    client.force_login(coordinator)
    assert client.get(reverse("admin:login")).status_code == 403
    assert client.get(reverse("admin:index")).status_code == 302


@pytest.mark.django_db
def test_admin_role_without_superuser_flag_manages_every_model(client):
    from tests.factories import UserFactory

    admin = UserFactory(role="admin", mfa=True)
    assert not admin.is_superuser and admin.is_staff
    client.force_login(admin)
    html = client.get(reverse("admin:index")).content.decode()
    assert reverse("admin:accounts_user_changelist") in html
    assert reverse("admin:notifications_notification_changelist") in html
