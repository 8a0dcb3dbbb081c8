"""Evidence behind answers: what is stored (photos re-encoded without EXIF, PDFs as uploaded),
who may read and change it, the limits, read-only after submission, and one test per bad input."""

from __future__ import annotations

import hashlib
import io

import pytest
from PIL import Image
from sqlalchemy import func, select

import storage
from storage import AccessDenied
from storage import evidence as ev
from storage.evidence import attach_evidence, download_evidence, evidence_counts, list_evidence, remove_evidence
from storage.evidence_files import EvidenceRefused
from storage.review import finish_review, mark_question, review_comments

from . import evidence_samples as samples
from .conftest import FULL_ANSWERS, audit_actions

A, C = "Z1300001", "Z3100001"


def stored_count(session) -> int:
    found = session.scalar(select(func.count()).select_from(ev.EvidenceRow))
    session.rollback()
    return found


def test_a_photo_is_stored_re_encoded_without_exif_or_gps(world, session):
    operator, draft = world.actors["operator_a"], world.drafts[A]
    original = samples.photo("JPEG")
    assert Image.open(io.BytesIO(original)).getexif().get_ifd(samples.GPS_IFD)  # the sample really has GPS
    info = attach_evidence(session, operator, draft, "q2", "C:\\foto\\ruang server.jpg", original)
    assert (info.question_id, info.file_name, info.media_type) == ("q2", "ruang server.jpg", "image/jpeg")
    stored = download_evidence(session, operator, info.id)
    assert stored.media_type == "image/jpeg" and stored.content != original
    image = Image.open(io.BytesIO(stored.content))
    assert image.format == "JPEG" and image.size == (320, 240)
    assert not image.getexif() and b"Exif" not in stored.content and b"KameraSekolah" not in stored.content
    assert info.sha256 == hashlib.sha256(stored.content).hexdigest() and info.size == len(stored.content)
    assert info.assessment_version == world.draft_versions[A]
    png = attach_evidence(session, operator, draft, "q2", "layar.png", samples.photo("PNG"))
    assert png.media_type == "image/png"
    assert not Image.open(io.BytesIO(download_evidence(session, operator, png.id).content)).getexif()
    actions = [a for _, a, _ in audit_actions(session, "operator_a")]
    assert actions.count("evidence_attach") == 2 and actions.count("evidence_download") == 2


def test_a_pdf_is_stored_byte_for_byte(world, session):
    operator, draft = world.actors["operator_a"], world.drafts[A]
    document = samples.pdf()
    info = attach_evidence(session, operator, draft, "q4", "kebijakan.pdf", document)
    assert info.media_type == "application/pdf"
    assert download_evidence(session, operator, info.id).content == document
    assert evidence_counts(session, operator, draft) == {"q4": 1}
    assert list(list_evidence(session, operator, draft)) == ["q4"]


# actor -> may read A's evidence
READERS = {"operator_a": True, "operator_c": False, "auditor_13": True, "auditor_31": False,
           "pimpinan_13": True, "pimpinan_nasional": True, "admin": True}  # fmt: skip


@pytest.mark.parametrize(("name", "allowed"), READERS.items())
def test_evidence_is_read_through_the_assessments_scope_and_every_download_is_logged(world, session, name, allowed):
    info = attach_evidence(session, world.actors["operator_a"], world.drafts[A], "q2", "a.png", samples.photo("PNG"))
    actor = world.actors[name]
    if allowed:
        assert download_evidence(session, actor, info.id).file_name == "a.png"
        assert [e.id for e in list_evidence(session, actor, world.drafts[A])["q2"]] == [info.id]
        assert (name, "evidence_download", str(info.id)) in audit_actions(session, name)
    else:
        with pytest.raises(AccessDenied):
            download_evidence(session, actor, info.id)
        with pytest.raises(AccessDenied):
            list_evidence(session, actor, world.drafts[A])
        assert (name, "access_denied", str(info.id)) in audit_actions(session, name)
        assert not any(a == "evidence_download" for _, a, _ in audit_actions(session, name))


@pytest.mark.parametrize("name", ["operator_c", "auditor_13", "pimpinan_nasional", "admin"])
def test_only_the_schools_own_operator_may_attach_or_remove(world, session, name):
    mine = attach_evidence(session, world.actors["operator_a"], world.drafts[A], "q2", "a.png", samples.photo("PNG"))
    with pytest.raises(AccessDenied):
        attach_evidence(session, world.actors[name], world.drafts[A], "q2", "b.png",
                        samples.photo("PNG", color=(1, 2, 3)))  # fmt: skip
    with pytest.raises(AccessDenied):
        remove_evidence(session, world.actors[name], mine.id)
    assert stored_count(session) == 1


def test_evidence_is_read_only_once_submitted_and_changeable_after_a_return(world, session):
    operator, auditor, submitted = world.actors["operator_a"], world.actors["auditor_13"], world.submitted[A]
    with pytest.raises(EvidenceRefused) as refused:
        attach_evidence(session, operator, submitted, "q2", "foto.jpg", samples.photo())
    assert refused.value.code == "evidence.read_only" and "foto.jpg" in refused.value.render("id")
    mark_question(session, auditor, submitted, "q2", False, "Lampirkan bukti MFA.", evidence_ok=False)
    returned = finish_review(session, auditor, submitted, "returned", 3, "Lampirkan bukti q2.")
    info = attach_evidence(session, operator, submitted, "q2", "foto.jpg", samples.photo())
    assert review_comments(session, operator, submitted)["q2"].evidence_ok is False
    version = storage.save_draft(session, operator, submitted, FULL_ANSWERS, returned.version)
    storage.submit(session, operator, submitted, version)
    with pytest.raises(EvidenceRefused):
        remove_evidence(session, operator, info.id)
    mark_question(session, auditor, submitted, "q2", True, evidence_ok=True)
    assert review_comments(session, auditor, submitted)["q2"] == (True, None, True)
    assert stored_count(session) == 1


def test_at_most_three_files_a_question(world, session):
    operator, draft = world.actors["operator_a"], world.drafts[A]
    for i in range(3):
        attach_evidence(session, operator, draft, "q5", f"f{i}.png", samples.photo("PNG", color=(i, 9, 9)))
    with pytest.raises(EvidenceRefused) as refused:
        attach_evidence(session, operator, draft, "q5", "f3.png", samples.photo("PNG", color=(3, 9, 9)))
    assert refused.value.code == "evidence.too_many"
    assert "f3.png" in refused.value.render("id") and "q5" in refused.value.render("en")
    attach_evidence(session, operator, draft, "q4", "f3.png", samples.photo("PNG", color=(3, 9, 9)))  # another question
    assert stored_count(session) == 4


def test_the_schools_quota_counts_every_assessment_of_the_school(world, session, monkeypatch):
    operator = world.actors["operator_a"]
    first = attach_evidence(session, operator, world.drafts[A], "q1", "a.pdf", samples.pdf())
    monkeypatch.setattr(ev, "SCHOOL_QUOTA_BYTES", first.size * 2)
    attach_evidence(session, operator, world.drafts[A], "q2", "a.pdf", samples.pdf())
    with pytest.raises(EvidenceRefused) as refused:
        attach_evidence(session, operator, world.drafts[A], "q4", "b.pdf", samples.pdf("/Lang (id) "))
    assert refused.value.code == "evidence.quota" and "kuota" in refused.value.render("id")
    # another school has its own quota
    attach_evidence(session, world.actors["operator_c"], world.drafts[C], "q1", "c.pdf", samples.pdf("/Lang (id) "))
    assert stored_count(session) == 3


BAD = {
    "zero bytes": ("kosong.jpg", lambda: b"", "evidence.empty"),
    "a program renamed .jpg": ("foto.jpg", samples.program, "evidence.program"),
    "a PDF with JavaScript": ("surat.pdf", samples.pdf_with_javascript, "evidence.pdf_script"),
    "a PDF with an escaped JavaScript name": ("surat.pdf", samples.pdf_with_escaped_javascript, "evidence.pdf_script"),
    "a PDF with JavaScript in a compressed stream": ("surat.pdf", samples.pdf_with_hidden_javascript,
                                                     "evidence.pdf_script"),
    "a decompression bomb": ("peta.png", samples.bomb_png, "evidence.bomb"),
    "over 2 MiB": ("besar.pdf", lambda: samples.pdf() + b"%" * (2 * 1024 * 1024), "evidence.too_big"),
    "a text file named .png": ("catatan.png", lambda: b"bukan gambar", "evidence.wrong_type"),
    "a damaged photo": ("rusak.jpg", lambda: samples.photo()[:600], "evidence.image_damaged"),
    "a truncated PDF": ("rusak.pdf", lambda: samples.pdf()[:-40], "evidence.pdf_damaged"),
}  # fmt: skip


@pytest.mark.parametrize(("file_name", "make", "code"), BAD.values(), ids=BAD.keys())
def test_a_bad_file_is_refused_naming_the_file_and_question_and_stores_nothing(world, session, file_name, make,
                                                                               code):  # fmt: skip
    data = make()
    with pytest.raises(EvidenceRefused) as refused:
        attach_evidence(session, world.actors["operator_a"], world.drafts[A], "q2", file_name, data)
    assert refused.value.code == code
    for lang in ("id", "en"):
        message = refused.value.render(lang)
        assert file_name in message and "q2" in message
    assert refused.value.render("id") != refused.value.render("en")
    assert stored_count(session) == 0
    assert "evidence_attach" not in [a for _, a, _ in audit_actions(session)]


def test_the_same_file_twice_on_one_question_is_refused(world, session):
    operator, draft = world.actors["operator_a"], world.drafts[A]
    photo = samples.photo()
    attach_evidence(session, operator, draft, "q2", "mfa.jpg", photo)
    with pytest.raises(EvidenceRefused) as refused:
        attach_evidence(session, operator, draft, "q2", "mfa-lagi.jpg", photo)
    assert refused.value.code == "evidence.duplicate" and "mfa-lagi.jpg" in refused.value.render("id")
    attach_evidence(session, operator, draft, "q4", "mfa.jpg", photo)  # on another question it is new evidence
    assert stored_count(session) == 2


def test_a_question_outside_the_questionnaire_and_a_bad_name_are_refused(world, session):
    operator, draft = world.actors["operator_a"], world.drafts[A]
    with pytest.raises(EvidenceRefused) as refused:
        attach_evidence(session, operator, draft, "q99", "a.png", samples.photo("PNG"))
    assert refused.value.code == "evidence.unknown_question"
    with pytest.raises(EvidenceRefused) as refused:
        attach_evidence(session, operator, draft, "q2", "a\x00b.png", samples.photo("PNG"))
    assert refused.value.code == "evidence.bad_name"
    assert stored_count(session) == 0


def test_removing_a_file_frees_its_place(world, session):
    operator, draft = world.actors["operator_a"], world.drafts[A]
    info = attach_evidence(session, operator, draft, "q2", "a.png", samples.photo("PNG"))
    remove_evidence(session, operator, info.id)
    assert list_evidence(session, operator, draft) == {} and stored_count(session) == 0
    assert ("operator_a", "evidence_remove", str(draft)) in audit_actions(session, "operator_a")
