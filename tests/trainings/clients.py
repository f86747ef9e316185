"""Signing a test client in for the trainings pages."""


def sign_in(client, user):
    """`client` signed in as `user`, the pages in English."""
    client.force_login(user)
    client.cookies["kp_language"] = "en"
    return client
