"""Shared fixtures: the small example questionnaire of the format's specification."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import settings

from scoring.loader import load_baseline, load_questionnaire
from scoring.models import AnswerEntry, Answers

# Test databases are not the demo: storing a TOTP secret needs a key, as in production.
os.environ.setdefault("SIAGA_SECRET_KEY", "test-only-key-not-a-secret")

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data"

# No timing asserts in tests: the machine is shared, so no deadline per example either.
settings.register_profile("siaga", deadline=None)
settings.load_profile("siaga")


@pytest.fixture(scope="session")
def contoh():
    return load_questionnaire(DATA / "contoh.yaml")


@pytest.fixture(scope="session")
def contoh_baseline(contoh):
    return load_baseline(DATA / "baseline-contoh.yaml", contoh)


def answers_of(questionnaire_id: str = "contoh", **values) -> Answers:
    """Answers from keyword values: an int, "na", or None for unanswered."""
    return Answers(
        questionnaire=questionnaire_id,
        answers={qid: AnswerEntry(value=v) for qid, v in values.items() if v is not None},
    )


# The school app's AppTest world (a fixture shared by the app tests).
from tests.school_app import app  # noqa: E402, F401
