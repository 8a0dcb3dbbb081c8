"""Real files for the evidence tests, made here: photos with EXIF GPS (Pillow), PDFs with and
without JavaScript, a decompression bomb, a real program renamed .jpg."""

from __future__ import annotations

import io
import shutil
import zlib
from pathlib import Path

from PIL import Image

GPS_IFD = 0x8825


def photo(fmt: str = "JPEG", size=(320, 240), color=(200, 40, 40), gps: bool = True) -> bytes:
    """A real photo with an EXIF block naming a camera and a GPS position (Jakarta)."""
    image = Image.new("RGB", size, color)
    for x in range(0, size[0], 7):  # some detail, so files differ by color
        image.putpixel((x, x % size[1]), (x % 255, 90, 160))
    exif = Image.Exif()
    exif[0x010F] = "KameraSekolah"  # Make
    exif[0x0132] = "2025:01:15 08:00:00"  # DateTime
    if gps:
        exif.get_ifd(GPS_IFD).update({1: "S", 2: (6.0, 12.0, 0.0), 3: "E", 4: (106.0, 50.0, 0.0)})
    out = io.BytesIO()
    image.save(out, fmt, exif=exif.tobytes())
    return out.getvalue()


def bomb_png(width: int = 12_000, height: int = 12_000) -> bytes:
    """144 megapixels in a few kilobytes: a one-bit image of zeros."""
    out = io.BytesIO()
    Image.new("1", (width, height)).save(out, "PNG")
    return out.getvalue()


def pdf(extra_catalog: str = "", stream: bytes | None = None) -> bytes:
    """A small valid PDF; `extra_catalog` goes into the catalog, `stream` into a Flate object stream."""
    objects = [f"<< /Type /Catalog /Pages 2 0 R {extra_catalog}>>".encode(),
               b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>"]  # fmt: skip
    if stream is not None:
        packed = zlib.compress(stream)
        objects.append(b"<< /Type /ObjStm /N 1 /First 4 /Filter /FlateDecode /Length %d >>\nstream\n"
                       % len(packed) + packed + b"\nendstream")  # fmt: skip
    out = io.BytesIO()
    out.write(b"%PDF-1.7\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref))
    return out.getvalue()


def pdf_with_javascript() -> bytes:
    return pdf("/OpenAction << /S /JavaScript /JS (app.alert\\('hai'\\)) >> ")


def pdf_with_escaped_javascript() -> bytes:
    return pdf("/OpenAction << /S /J#61vaScript /J#53 (app.alert\\(1\\)) >> ")


def pdf_with_hidden_javascript() -> bytes:
    """The script only inside a compressed object stream."""
    return pdf(stream=b"4 0 << /S /JavaScript /JS (this.exportDataObject\\(\\)) >>")


def program() -> bytes:
    """A real executable of this machine."""
    return Path(shutil.which("true") or "/bin/true").read_bytes()
