"""Checks on an uploaded workbook before any spreadsheet code parses it: its size, what kind of
file it really is, how much it unpacks to (counted while unpacking, never trusting the sizes the
zip declares), and whether it carries macros."""

from __future__ import annotations

import io
import zipfile
import zlib

from scoring.loader import LoadError

from .forms import problem

MAX_BYTES = 5 * 1024 * 1024
MAX_UNPACKED = 50 * 1024 * 1024
MAX_MEMBERS = 2000
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # encrypted OOXML and old .xls are OLE compound files
_CHUNK = 64 * 1024


def check_workbook(data: bytes, source: str) -> None:
    """Raise LoadError with a bilingual reason unless `data` is a plain, macro-free .xlsx of sane size."""
    if len(data) > MAX_BYTES:
        raise LoadError([problem(source, "", f"file lebih dari {MAX_BYTES // 2**20} MiB",
                                 f"the file is larger than {MAX_BYTES // 2**20} MiB")])
    if data[:8] == OLE_MAGIC:
        raise LoadError([problem(
            source, "", "file ini terenkripsi (berkata sandi) atau berformat .xls lama; buka di Excel, hapus kata "
            "sandinya, lalu simpan sebagai Buku Kerja Excel (.xlsx)",
            "the file is encrypted (password-protected) or an old .xls; open it in Excel, remove the password and "
            "save it as an Excel Workbook (.xlsx)")])
    if data[:4] != b"PK\x03\x04":
        raise LoadError([problem(source, "", "bukan buku kerja .xlsx", "not an .xlsx workbook")])
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, zlib.error, ValueError, OSError):
        raise LoadError([problem(source, "", "file .xlsx rusak (bukan zip yang terbaca)",
                                 "the .xlsx file is damaged (not a readable zip)")]) from None
    with archive:
        if len(members) > MAX_MEMBERS:
            raise LoadError([problem(source, "", f"isi file terlalu banyak ({len(members)} bagian)",
                                     f"the file holds too many parts ({len(members)})")])
        names = {m.filename.lower() for m in members}
        content_types = _read_capped(archive, "[Content_Types].xml", source, MAX_UNPACKED) if (
            "[content_types].xml" in names) else b""
        if any(n.endswith("vbaproject.bin") for n in names) or b"macroEnabled" in content_types:
            raise LoadError([problem(
                source, "", "buku kerja ini berisi makro (.xlsm); simpan ulang sebagai Buku Kerja Excel (.xlsx) "
                "tanpa makro", "the workbook contains macros (.xlsm); save it again as an Excel Workbook (.xlsx) "
                "without macros")])
        budget = MAX_UNPACKED
        for member in members:
            budget -= len(_read_capped(archive, member.filename, source, budget))


def _read_capped(archive: zipfile.ZipFile, name: str, source: str, budget: int) -> bytes:
    """A member's bytes, stopping as soon as they pass `budget` (the declared size is not trusted)."""
    out = bytearray()
    try:
        with archive.open(name) as handle:
            while chunk := handle.read(_CHUNK):
                out += chunk
                if len(out) > budget:
                    raise LoadError([problem(
                        source, "", f"file membongkar lebih dari {MAX_UNPACKED // 2**20} MiB",
                        f"the file unpacks to more than {MAX_UNPACKED // 2**20} MiB")])
    except (zipfile.BadZipFile, zlib.error, RuntimeError, NotImplementedError, ValueError, OSError, EOFError):
        raise LoadError([problem(source, "", f"bagian '{name[:80]}' tidak dapat dibongkar (rusak atau terenkripsi)",
                                 f"the part '{name[:80]}' cannot be unpacked (damaged or encrypted)")]) from None
    return bytes(out)
