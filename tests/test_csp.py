"""The Content-Security-Policy header (kokemuspankki/csp.py): django-csp's policy, built once."""

import pytest
from csp.utils import build_policy
from django.test import override_settings
from django.urls import reverse


@pytest.mark.django_db
def test_every_page_carries_the_policy_django_csp_would_build(client):
    response = client.get(reverse("accessibility"))
    assert response["Content-Security-Policy"] == build_policy()
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert "Content-Security-Policy-Report-Only" not in response


@pytest.mark.django_db
def test_a_changed_policy_is_built_anew(client):
    policy = {"DIRECTIVES": {"default-src": ["'none'"]}}
    with override_settings(CONTENT_SECURITY_POLICY=policy, CONTENT_SECURITY_POLICY_REPORT_ONLY=policy):
        response = client.get(reverse("accessibility"))
        assert response["Content-Security-Policy"] == "default-src 'none'"
        assert response["Content-Security-Policy-Report-Only"] == "default-src 'none'"
    assert client.get(reverse("accessibility"))["Content-Security-Policy"] == build_policy()
