"""gunicorn's access log without secrets: invitation, unsubscribe, password-reset, email-confirmation and
calendar-feed links carry their token in the URL path, and a path in a log file is a working link for
whoever reads it."""

import re

from gunicorn.glogging import Logger

SECRET_IN_PATH = re.compile(
    r"(/tili/kutsu/|/ilmoitukset/peru/|/accounts/password/reset/key/|/accounts/confirm-email/"
    r"|/toimeksiannot/kalenteri/)[^/\s?]+"
)


def mask_path(path: str) -> str:
    return SECRET_IN_PATH.sub(r"\1***", path or "")


class MaskingLogger(Logger):
    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        for key in ("U", "r", "f"):  # path, request line, referer
            atoms[key] = mask_path(atoms[key])
        atoms["q"] = "-"  # query strings can hold search words about health: never logged
        return atoms
