"""An assessment keeps the questionnaire version it was started on, after a newer one is activated."""

from __future__ import annotations

from pathlib import Path

import storage
from scoring.loader import load_questionnaire
from storage import get_questionnaire
from storage.questionnaires import register_file
from tests.storage.conftest import SYSTEM

ROOT = Path(__file__).resolve().parents[2]
V1 = ROOT / "tests" / "data" / "v1" / "keamanan-siber-sekolah.yaml"
V2 = ROOT / "questionnaires" / "keamanan-siber-sekolah.yaml"
CYBER = "keamanan-siber-sekolah"


def test_an_assessment_started_on_version_1_still_loads_and_scores_on_it(world, make_session):
    operator = world.actors["operator_a"]
    old = load_questionnaire(V1)
    new = load_questionnaire(V2)
    assert (old.version, new.version) == ("1", "2")
    added = {q.id for _, q in new.questions()} - {q.id for _, q in old.questions()}
    assert added, "version 2 adds questions, so the versions really differ"

    session = make_session()
    register_file(session, SYSTEM, V1)
    started = storage.get_or_create_assessment(session, operator, "Z1300001", CYBER, "2025-2")
    assert started.questionnaire_version == "1"
    answers = {q.id: 3 for _, q in old.questions()}
    version = storage.save_draft(session, operator, started.id, answers, started.version)
    session.commit()

    register_file(make_session(), SYSTEM, V2)  # activates version 2
    session = make_session()
    assert get_questionnaire(session, SYSTEM, CYBER).version == "2"
    reopened = storage.get_assessment(session, operator, started.id)
    assert reopened.questionnaire_version == "1"
    submitted = storage.submit(session, operator, started.id, version)
    session.commit()
    assert submitted.status == "submitted"

    result = storage.get_result(make_session(), operator, started.id)
    assert result.version == "1"
    assert result.overall.score == 100.0  # every version-1 question answered at the top
    assert {d.id for d in result.domains} == {d.id for d in old.domains}
    assert not added & {a.question for a in result.actions}
    # A new assessment, for another period, starts on version 2.
    fresh = storage.get_or_create_assessment(make_session(), operator, "Z1300001", CYBER, "2026-1")
    assert fresh.questionnaire_version == "2"
