"""The demo's uploads (demo.week's receipt photo) go to a temporary folder, not the checkout's .data/."""

import pytest


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
