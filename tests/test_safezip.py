"""scoring.safezip: a member is inflated only up to its cap, whatever the zip's headers
declare, and the bytes really inflated are counted for the whole archive."""

from __future__ import annotations

import io
import struct
import tracemalloc
import zipfile
import zlib

import pytest

from scoring import safezip


def zipped(files: dict[str, bytes], method=zipfile.ZIP_DEFLATED) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=method) as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return out.getvalue()


def lying(data: bytes, declared: int, crc_of_prefix: bool = True) -> bytes:
    """`data` with every member's uncompressed size set to `declared`, in its local header
    and in the central directory; with crc_of_prefix, also the CRC of its first `declared`
    bytes, so that a reader stopping at the declared size finds nothing wrong."""
    raw = bytearray(data)
    archive = zipfile.ZipFile(io.BytesIO(data))
    central = raw.find(b"PK\x01\x02")
    for info in archive.infolist():  # the central directory lists the members in this order
        crc = zlib.crc32(archive.read(info)[:declared]) if crc_of_prefix else info.CRC
        assert raw[info.header_offset : info.header_offset + 4] == b"PK\x03\x04"
        struct.pack_into("<II", raw, info.header_offset + 14, crc, info.compress_size)
        struct.pack_into("<I", raw, info.header_offset + 22, declared)
        struct.pack_into("<I", raw, central + 16, crc)
        struct.pack_into("<I", raw, central + 24, declared)
        central = raw.find(b"PK\x01\x02", central + 4)
    return bytes(raw)


def open_zip(data: bytes) -> zipfile.ZipFile:
    return zipfile.ZipFile(io.BytesIO(data))


def test_the_crafted_zip_really_lies_and_zipfile_believes_it():
    bomb = lying(zipped({"a.yaml": b"\0" * (5 << 20)}), declared=200)
    archive = open_zip(bomb)
    assert archive.infolist()[0].file_size == 200 and len(bomb) < 20_000
    assert archive.read("a.yaml") == b"\0" * 200  # zipfile trusts the header and stops there


def test_a_member_that_inflates_beyond_its_cap_is_refused_whatever_it_declares():
    bomb = lying(zipped({"a.yaml": b"\0" * (5 << 20)}), declared=200)
    capped = safezip.CappedZip(open_zip(bomb), member_limit=1 << 20, total_limit=50 << 20)
    tracemalloc.start()
    with pytest.raises(safezip.MemberTooLarge) as refused:
        capped.read("a.yaml")
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert refused.value.name == "a.yaml" and refused.value.limit == 1 << 20
    assert capped.inflated == (1 << 20) + 1  # the real bytes, not the declared 200
    assert peak < 8 << 20, f"peak {peak} bytes while reading a capped member"


@pytest.mark.parametrize(("crc_of_prefix", "error"), [(False, safezip.SizeMismatch), (True, zipfile.BadZipFile)])
def test_a_member_within_its_cap_but_not_its_declared_size_is_refused_as_damaged(crc_of_prefix, error):
    bomb = lying(zipped({"a.yaml": b"x" * 5000}), declared=200, crc_of_prefix=crc_of_prefix)
    capped = safezip.CappedZip(open_zip(bomb), member_limit=1 << 20, total_limit=1 << 30)
    with pytest.raises(error):
        capped.read("a.yaml")
    assert issubclass(error, safezip.UNREADABLE)


def test_the_archive_total_counts_real_bytes_across_members():
    files = {f"{n}.yaml": b"\0" * 600_000 for n in range(5)}
    bomb = lying(zipped(files), declared=100)  # declares 500 bytes in all; inflates 3,000,000
    capped = safezip.CappedZip(open_zip(bomb), member_limit=1 << 20, total_limit=2_000_000)
    with pytest.raises(safezip.UNREADABLE):
        capped.read("0.yaml")  # within both limits, but not the size (nor the CRC) it declares
    honest = safezip.CappedZip(open_zip(zipped(files)), member_limit=1 << 20, total_limit=2_000_000)
    read = [honest.read(f"{n}.yaml") for n in range(3)]
    assert [len(r) for r in read] == [600_000] * 3
    with pytest.raises(safezip.ArchiveTooLarge):
        honest.read("3.yaml")
    assert honest.inflated <= 2_000_001


def test_an_honest_member_is_read_whole():
    data = zipped({"a.yaml": b"questionnaire: contoh\n" * 1000})
    capped = safezip.CappedZip(open_zip(data), member_limit=1 << 20, total_limit=1 << 20)
    assert capped.read("a.yaml") == b"questionnaire: contoh\n" * 1000
    assert capped.inflated == 22_000


def test_stored_members_are_capped_too():
    bomb = lying(zipped({"a.yaml": b"y" * 10_000}, method=zipfile.ZIP_STORED), declared=10)
    with pytest.raises(safezip.MemberTooLarge):
        safezip.CappedZip(open_zip(bomb), member_limit=1000, total_limit=1 << 20).read("a.yaml")


def test_compression_without_an_output_bound_is_refused():
    data = zipped({"a.yaml": b"z" * 100}, method=zipfile.ZIP_BZIP2)
    with pytest.raises(safezip.UNREADABLE):
        safezip.CappedZip(open_zip(data), member_limit=1000, total_limit=1000).read("a.yaml")


def test_a_damaged_crc_is_unreadable():
    raw = bytearray(zipped({"a.yaml": b"hello world" * 10}))
    central = raw.find(b"PK\x01\x02")
    struct.pack_into("<I", raw, central + 16, 12345)
    with pytest.raises(safezip.UNREADABLE):
        safezip.CappedZip(open_zip(bytes(raw)), member_limit=1000, total_limit=1000).read("a.yaml")


def test_read_all_returns_every_file_and_limits_the_count():
    data = zipped({"a/1.xml": b"<a/>", "a/2.xml": b"<b/>"})
    assert safezip.read_all(data, member_limit=100, total_limit=100, max_members=2) == {
        "a/1.xml": b"<a/>", "a/2.xml": b"<b/>"}
    with pytest.raises(safezip.TooManyMembers):
        safezip.read_all(data, member_limit=100, total_limit=100, max_members=1)
    with pytest.raises(safezip.MemberTooLarge):
        safezip.read_all(lying(zipped({"x.xml": b"\0" * 10_000}), 10), member_limit=100, total_limit=10**6,
                         max_members=5)
