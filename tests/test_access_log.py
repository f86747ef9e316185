"""The production access log never holds a working secret link or a query string."""

from datetime import timedelta
from types import SimpleNamespace

import pytest
from gunicorn.config import Config

from kokemuspankki.gunicorn_logging import MaskingLogger


@pytest.mark.parametrize(
    "path, logged",
    [
        ("/tili/kutsu/Ab3_x-9TOKEN/", "/tili/kutsu/***/"),
        ("/ilmoitukset/peru/eyJ1IjoxfQ:1tSig/", "/ilmoitukset/peru/***/"),
        ("/accounts/password/reset/key/1-set-password/", "/accounts/password/reset/key/***/"),
        ("/accounts/confirm-email/MTU:1tKey/", "/accounts/confirm-email/***/"),
        ("/toimeksiannot/kalenteri/Zx81-feedTOKEN.ics", "/toimeksiannot/kalenteri/***"),
        ("/toimeksiannot/kalenteri/", "/toimeksiannot/kalenteri/"),
        ("/asiantuntijat/12/", "/asiantuntijat/12/"),
    ],
)
def test_secrets_in_paths_are_masked(path, logged):
    environ = {
        "REQUEST_METHOD": "GET",
        "RAW_URI": f"{path}?q=masennus",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "PATH_INFO": path,
        "QUERY_STRING": "q=masennus",
        "HTTP_REFERER": f"https://kp.example{path}",
    }
    response = SimpleNamespace(status="200 OK", sent=10, headers=[])
    atoms = MaskingLogger(Config()).atoms(response, [], environ, timedelta(0))
    assert atoms["U"] == logged
    assert atoms["r"].split()[1].startswith(logged)
    assert atoms["f"].endswith(logged)
    assert atoms["q"] == "-"
