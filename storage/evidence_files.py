"""What an evidence file is, decided from its bytes alone: a photo (JPEG, PNG) or a PDF.

Nothing here touches the database. A photo is decoded and re-encoded with Pillow, so
what is stored holds pixels only: no EXIF (GPS included), no comments, no trailing data.
A PDF is kept byte for byte but never rendered; one that carries JavaScript or a launch
action is refused. Every refusal is an `EvidenceRefused` that names the file and the
question, in Bahasa Indonesia and English.
"""

from __future__ import annotations

import io
import re
import warnings
import zlib

from PIL import Image, ImageOps, UnidentifiedImageError

from .errors import InvalidInput

MAX_FILE_BYTES = 2 * 1024 * 1024
MAX_FILES_PER_QUESTION = 3
SCHOOL_QUOTA_BYTES = 50 * 1024 * 1024
MAX_FILE_NAME = 200
# A photo from any phone is below 50 megapixels; a bigger one is a decompression bomb.
MAX_IMAGE_PIXELS = 50_000_000
MAX_PDF_INFLATED = 32 * 1024 * 1024  # what the JavaScript check inflates of a PDF's streams, at most
MEDIA_TYPES = ("image/jpeg", "image/png", "application/pdf")
Image.MAX_IMAGE_PIXELS = MAX_IMAGE_PIXELS  # Pillow's own guard, for every image this process opens

# id: (Bahasa Indonesia, English); {file} is the file's name, {field} the question.
TEXTS: dict[str, tuple[str, str]] = {
    "evidence.empty": ("{file}: berkas kosong (0 byte); bukti pertanyaan {field} tidak disimpan",
                       "{file}: the file is empty (0 bytes); nothing was stored as evidence for question {field}"),
    "evidence.too_big": ("{file}: {size} MiB, lebih dari batas {max} MiB per berkas (bukti pertanyaan {field})",
                         "{file}: {size} MiB, over the limit of {max} MiB a file (evidence for question {field})"),
    "evidence.wrong_type": ("{file}: bukan foto JPEG/PNG atau PDF (dilihat dari isinya, bukan namanya); "
                            "bukti pertanyaan {field} tidak disimpan",
                            "{file}: not a JPEG/PNG photo or a PDF (judged by its content, not its name); "
                            "nothing was stored as evidence for question {field}"),
    "evidence.program": ("{file}: berkas ini adalah program ({kind}), bukan foto atau PDF; "
                         "bukti pertanyaan {field} tidak disimpan",
                         "{file}: this file is a program ({kind}), not a photo or a PDF; "
                         "nothing was stored as evidence for question {field}"),
    "evidence.pdf_script": ("{file}: PDF ini memuat JavaScript atau tindakan otomatis ({found}) dan ditolak; "
                            "cetak ulang ke PDF tanpa skrip (bukti pertanyaan {field})",
                            "{file}: this PDF holds JavaScript or an automatic action ({found}) and is refused; "
                            "print it to a new PDF without scripts (evidence for question {field})"),
    "evidence.pdf_damaged": ("{file}: PDF rusak atau tidak lengkap (bukti pertanyaan {field})",
                             "{file}: the PDF is damaged or incomplete (evidence for question {field})"),
    "evidence.bomb": ("{file}: gambar {pixels} megapiksel, lebih dari batas {max} megapiksel "
                      "(bukti pertanyaan {field})",
                      "{file}: a {pixels}-megapixel image, over the limit of {max} megapixels "
                      "(evidence for question {field})"),
    "evidence.image_damaged": ("{file}: foto rusak atau tidak dapat dibaca (bukti pertanyaan {field})",
                               "{file}: the photo is damaged or cannot be read (evidence for question {field})"),
    "evidence.duplicate": ("{file}: berkas yang sama sudah dilampirkan sebagai bukti pertanyaan {field}",
                           "{file}: the same file is already attached as evidence for question {field}"),
    "evidence.too_many": ("{file}: pertanyaan {field} sudah punya {max} berkas bukti; hapus satu dulu",
                          "{file}: question {field} already has {max} evidence files; remove one first"),
    "evidence.quota": ("{file}: kuota bukti sekolah {quota} MiB akan terlampaui (terpakai {used} MiB); "
                       "hapus berkas lama dulu (bukti pertanyaan {field})",
                       "{file}: the school's evidence quota of {quota} MiB would be exceeded ({used} MiB used); "
                       "remove older files first (evidence for question {field})"),
    "evidence.read_only": ("{file}: penilaian sudah {status}; bukti hanya dapat diubah pada draf atau penilaian "
                           "yang dikembalikan (bukti pertanyaan {field})",
                           "{file}: the assessment is {status}; evidence can change only on a draft or a "
                           "returned assessment (evidence for question {field})"),
    "evidence.unknown_question": ("{file}: pertanyaan {field} tidak ada di kuesioner ini",
                                  "{file}: question {field} is not in this questionnaire"),
    "evidence.bad_name": ("nama berkas: {problem} (bukti pertanyaan {field})",
                          "file name: {problem} (evidence for question {field})"),
}


class EvidenceRefused(InvalidInput):
    """An evidence file that is not stored; `code` says why, `render(lang)` tells the person."""

    def __init__(self, code: str, file_name: str, question_id: str, **values):
        self.code, self.file_name, self.question_id, self.values = code, file_name, question_id, values
        super().__init__(self.render("en"))

    def render(self, lang: str = "en") -> str:
        indonesian, english = TEXTS[self.code]
        template = english if lang == "en" else indonesian
        return template.format(file=self.file_name, field=self.question_id, **self.values)


_PROGRAMS = ((b"\x7fELF", "ELF"), (b"MZ", "Windows EXE"), (b"#!", "script"), (b"\xca\xfe\xba\xbe", "Mach-O"),
             (b"\xcf\xfa\xed\xfe", "Mach-O"), (b"PK\x03\x04", "zip/APK/JAR"))  # fmt: skip


def sniff(data: bytes) -> str | None:
    """The media type the bytes really are, or None."""
    if data.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if data.startswith(b"%PDF-"):
        return "application/pdf"
    return None


def _program(data: bytes) -> str | None:
    return next((kind for magic, kind in _PROGRAMS if data.startswith(magic)), None)


def clean_file(file_name: str, question_id: str, data: bytes) -> tuple[str, bytes]:
    """(media type, the bytes to store), or EvidenceRefused. The type comes from the content."""
    if not data:
        raise EvidenceRefused("evidence.empty", file_name, question_id)
    if len(data) > MAX_FILE_BYTES:
        raise EvidenceRefused("evidence.too_big", file_name, question_id, size=_mib(len(data)),
                              max=_mib(MAX_FILE_BYTES))  # fmt: skip
    media_type = sniff(data)
    if media_type is None:
        kind = _program(data)
        if kind is not None:
            raise EvidenceRefused("evidence.program", file_name, question_id, kind=kind)
        raise EvidenceRefused("evidence.wrong_type", file_name, question_id)
    if media_type == "application/pdf":
        check_pdf(file_name, question_id, data)
        return media_type, data
    return media_type, reencode(file_name, question_id, data, media_type)


def _mib(size: int) -> str:
    return f"{size / 1024 / 1024:.1f}".rstrip("0").rstrip(".")


def reencode(file_name: str, question_id: str, data: bytes, media_type: str) -> bytes:
    """The photo's pixels in a new file of the same type: every metadata block is left behind."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as image:
                width, height = image.size  # from the header, before any pixel is decoded
                if width * height > MAX_IMAGE_PIXELS:
                    raise EvidenceRefused("evidence.bomb", file_name, question_id,
                                          pixels=round(width * height / 1e6), max=MAX_IMAGE_PIXELS // 1_000_000)
                expected = "JPEG" if media_type == "image/jpeg" else "PNG"
                if image.format != expected:
                    raise EvidenceRefused("evidence.image_damaged", file_name, question_id)
                image.load()
                pixels = _bare_pixels(image, expected)
                out = io.BytesIO()
                if expected == "JPEG":
                    pixels.save(out, "JPEG", quality=85, optimize=True)
                else:
                    pixels.save(out, "PNG", optimize=True)
                return out.getvalue()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise EvidenceRefused("evidence.bomb", file_name, question_id, pixels="?",
                              max=MAX_IMAGE_PIXELS // 1_000_000) from None  # fmt: skip
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError, EOFError):
        raise EvidenceRefused("evidence.image_damaged", file_name, question_id) from None


def _bare_pixels(image: Image.Image, fmt: str) -> Image.Image:
    """A new image built from the pixels alone, turned as the camera's orientation tag says:
    nothing of the original file (EXIF, GPS, ICC, text chunks) can ride along."""
    turned = ImageOps.exif_transpose(image)
    modes = ("RGB", "L") if fmt == "JPEG" else ("RGB", "RGBA", "L", "LA")
    if turned.mode not in modes:
        has_alpha = fmt == "PNG" and ("A" in turned.mode or "transparency" in turned.info)
        turned = turned.convert("RGBA" if has_alpha else "RGB")
    return Image.frombytes(turned.mode, turned.size, turned.tobytes())


# PDF names may escape characters as #xx (/J#61vaScript is /JavaScript).
_NAME = re.compile(rb"/[^\s/<>\[\]()%{}]+")
_FORBIDDEN_NAMES = {b"/JS", b"/JavaScript", b"/Launch", b"/RichMedia", b"/XFA"}
_STREAM = re.compile(rb"stream\r?\n(.*?)endstream", re.DOTALL)


def _names(chunk: bytes) -> set[bytes]:
    found = set()
    for match in _NAME.finditer(chunk):
        name = re.sub(rb"#([0-9A-Fa-f]{2})", lambda m: bytes([int(m.group(1), 16)]), match.group())
        if name in _FORBIDDEN_NAMES:
            found.add(name)
    return found


def check_pdf(file_name: str, question_id: str, data: bytes) -> None:
    """Refuse a PDF that can run something: JavaScript (also inside compressed object
    streams), a launch action, rich media or an XFA form. It is never parsed further."""
    if b"%%EOF" not in data[-2048:]:
        raise EvidenceRefused("evidence.pdf_damaged", file_name, question_id)
    found = _names(data)
    budget = MAX_PDF_INFLATED
    for stream in _STREAM.finditer(data):
        inflater = zlib.decompressobj()
        try:
            inflated = inflater.decompress(stream.group(1), budget)
        except zlib.error:
            continue  # not Flate: images, fonts; names are not hidden there
        budget -= len(inflated)
        found |= _names(inflated)
        if budget <= 0:
            raise EvidenceRefused("evidence.pdf_damaged", file_name, question_id)
    if found:
        names = ", ".join(sorted(n.decode("latin-1") for n in found))
        raise EvidenceRefused("evidence.pdf_script", file_name, question_id, found=names)
