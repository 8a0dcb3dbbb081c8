"""Reading zip members without trusting the sizes the zip declares (pure stdlib).

A zip's directory says how large each member is, but the compressed stream decides
how much comes out. So every member is inflated through `archive.open()` with a hard
cap: at most the limit plus one byte is inflated, and the member is refused if that
byte comes. The bytes actually inflated are counted for the whole archive, and a
member whose real size differs from its declared one is refused as damaged: what
passes here can then be handed to a reader that trusts the headers (openpyxl).

    capped = CappedZip(archive, member_limit=1 << 20, total_limit=50 << 20)
    try:
        raw = capped.read(member)
    except ZipTooLarge: ...     # MemberTooLarge, ArchiveTooLarge (TooManyMembers in read_all)
    except UNREADABLE: ...      # damaged, encrypted, odd compression
"""

from __future__ import annotations

import copy
import io
import zipfile
import zlib

# Only these: bzip2 and lzma members are inflated by zipfile without an output bound.
ALLOWED_METHODS = (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED)
CHUNK = 64 * 1024


class ZipTooLarge(ValueError):
    """A member, or the archive as a whole, inflates to more than its limit."""

    def __init__(self, name: str | None, limit: int):
        self.name = name  # the member; None for the archive as a whole
        self.limit = limit
        what = f"{name!r}" if name is not None else "the archive"
        super().__init__(f"{what} unpacks to more than {limit} bytes")


class MemberTooLarge(ZipTooLarge):
    pass


class ArchiveTooLarge(ZipTooLarge):
    pass


class TooManyMembers(ZipTooLarge):
    """More members than allowed; `limit` is the number of members."""

    def __init__(self, count: int, limit: int):
        self.count = count
        self.limit = limit
        ValueError.__init__(self, f"the archive holds {count} files; at most {limit}")


class SizeMismatch(zipfile.BadZipFile):
    """The member's real size is not the size its header declares: the zip lies or is damaged."""


# What a damaged, encrypted or oddly compressed member raises while it is read.
UNREADABLE = (zipfile.BadZipFile, zlib.error, RuntimeError, NotImplementedError, ValueError, EOFError, OSError)


class CappedZip:
    """Reads the members of one open archive, counting the bytes actually inflated."""

    def __init__(self, archive: zipfile.ZipFile, *, member_limit: int, total_limit: int):
        self.archive = archive
        self.member_limit = member_limit
        self.total_limit = total_limit
        self.inflated = 0  # bytes inflated so far, over every member read

    def read(self, member: zipfile.ZipInfo | str, limit: int | None = None) -> bytes:
        """The member's bytes, or MemberTooLarge / ArchiveTooLarge (checked on what really
        inflates), SizeMismatch, or one of UNREADABLE. `limit` lowers the member limit for this one."""
        member_limit = self.member_limit if limit is None else min(limit, self.member_limit)
        info = member if isinstance(member, zipfile.ZipInfo) else self.archive.getinfo(member)
        if info.compress_type not in ALLOWED_METHODS:
            raise NotImplementedError(f"{info.filename!r} uses compression method {info.compress_type}")
        remaining = self.total_limit - self.inflated
        cap = min(member_limit, remaining)
        # zipfile stops at the declared size: declare no end at all, so that the real stream
        # decides where it ends (and the CRC is checked there); read(cap + 1) bounds the work.
        probe = copy.copy(info)
        probe.file_size = 1 << 62
        chunks, got = [], 0
        with self.archive.open(probe) as stream:
            while got <= cap:
                want = min(CHUNK, cap + 1 - got)
                try:
                    chunk = stream.read(want)
                except BaseException:  # e.g. a bad CRC at the end: count what it inflated
                    self.inflated += want
                    raise
                if not chunk:
                    break
                chunks.append(chunk)
                got += len(chunk)
                self.inflated += len(chunk)
        data = b"".join(chunks)
        if len(data) > cap:
            if cap == member_limit:
                raise MemberTooLarge(info.filename, member_limit)
            raise ArchiveTooLarge(None, self.total_limit)
        if len(data) != info.file_size:
            raise SizeMismatch(f"{info.filename!r} declares {info.file_size} bytes but holds {len(data)}")
        return data


def read_all(data: bytes, *, member_limit: int, total_limit: int, max_members: int) -> dict[str, bytes]:
    """Every file member of a zip given as bytes, each checked as CappedZip.read does.
    Raises zipfile.BadZipFile, TooManyMembers, and the errors of CappedZip.read."""
    archive = zipfile.ZipFile(io.BytesIO(data))
    members = [m for m in archive.infolist() if not m.is_dir()]
    if len(members) > max_members:
        raise TooManyMembers(len(members), max_members)
    capped = CappedZip(archive, member_limit=member_limit, total_limit=total_limit)
    return {m.filename: capped.read(m) for m in members}
