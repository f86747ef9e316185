"""100 residents send their answers to one campaign at the same moment, through the view: every
answer is stored once and the counts are exact. Real threads, each with its own connections."""

import threading

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from feedback import answer_connection
from hearings.answering import forget_specs
from hearings.models import Answer, ContactRequest, Receipt, Response
from tests.hearings.public_helpers import campaign_with_questions, filled

# 100 answers from 20 threads at once: a thread per answer would need 200 database connections
# (Django's and the answer connection), over the shared server's max_connections.
THREADS, EACH = 20, 5


@pytest.mark.django_db(transaction=True)
def test_a_hundred_answers_at_once_are_all_stored_and_counted_exactly(settings):
    settings.KP_HEARINGS_RATE_LIMIT = 0  # every thread posts from 127.0.0.1
    forget_specs()
    campaign, questions = campaign_with_questions()
    single = questions["single"]
    first, second = list(single.choices.order_by("order"))
    url = reverse("hearings:campaign", args=[campaign.slug])
    forms = [
        filled(
            campaign,
            questions,
            **{f"q_{single.pk}": str((first if n % 4 else second).pk)},
            email="sama@example.fi",
            consent="on",
        )
        for n in range(THREADS * EACH)
    ]
    barrier = threading.Barrier(THREADS)
    statuses, errors = [], []

    def resident(mine):
        client = Client()
        try:
            barrier.wait(timeout=30)
            for data in mine:
                statuses.append(client.post(url, data).status_code)
                statuses.append(client.post(url, data).status_code)  # a double tap
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            answer_connection.close()
            connection.close()

    threads = [threading.Thread(target=resident, args=(forms[n::THREADS],)) for n in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []
    assert statuses == [302] * (2 * THREADS * EACH)
    assert Response.objects.filter(campaign=campaign).count() == 100
    assert Receipt.objects.filter(campaign=campaign).count() == 100
    assert Answer.objects.filter(question=single, choice=first).count() == 75
    assert Answer.objects.filter(question=single, choice=second).count() == 25
    assert Answer.objects.filter(question=questions["multiple"]).count() == 200
    assert Answer.objects.filter(question=questions["likert"], value=4).count() == 100
    assert ContactRequest.objects.filter(campaign=campaign).count() == 1  # the same address, once
