"""Answers written as the file `python -m scoring score` reads: one writer for the app's
download and the offline forms' command line."""

from __future__ import annotations

import yaml

from .models import Answers, Questionnaire


def answers_yaml(questionnaire: Questionnaire, answers: Answers) -> str:
    """The answers as the file `python -m scoring score` reads, in questionnaire order.

    Answers without a version are stamped with the questionnaire's, the one they were given against.
    """
    order = {q.id: i for i, (_, q) in enumerate(questionnaire.questions())}
    entries = sorted(answers.answers.items(), key=lambda item: order.get(item[0], len(order)))
    data: dict = {"questionnaire": answers.questionnaire, "version": answers.version or questionnaire.version}
    if answers.school is not None:
        data["school"] = answers.school.model_dump(exclude_none=True)
    data["answers"] = {
        qid: entry.value if entry.note is None else {"value": entry.value, "note": entry.note}
        for qid, entry in entries
    }
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, default_flow_style=False, width=100)
