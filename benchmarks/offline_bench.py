"""How fast the offline forms are built and read, and how big they are.

Per shipped questionnaire: workbooks built per second, filled workbooks read per second,
the size of the HTML and paper forms; then the time to build the auditor's zip of 2,000
pre-filled forms (workbooks and HTML forms) of the biggest questionnaire.

    python benchmarks/offline_bench.py [--repeat 40] [--zip 2000]
"""

from __future__ import annotations

import argparse
import io
import random
import sys
import time
from pathlib import Path

from openpyxl import load_workbook

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from offline import build_html_form, build_paper_form, build_workbook, read_form  # noqa: E402
from offline.bundle import forms_zip  # noqa: E402
from offline.workbook import SHEET  # noqa: E402
from scoring.loader import load_questionnaire  # noqa: E402
from scoring.models import School  # noqa: E402

SHIPPED = sorted(p for p in (ROOT / "questionnaires").glob("*.yaml") if p.name != "glossary.yaml")
SCHOOL = School(npsn="Z1300001", name="SMK Negeri Contoh 1 Kota Padang", jenjang="SMK", province="Sumatera Barat")


def filled(questionnaire, rng: random.Random) -> bytes:
    book = load_workbook(io.BytesIO(build_workbook(questionnaire, "id", SCHOOL)))
    sheet = book[SHEET]
    for row in range(2, sheet.max_row + 1):
        question = questionnaire.question(sheet.cell(row, 1).value)
        option = rng.choice(questionnaire.scales[question.scale])
        sheet.cell(row, 5).value = option.label.id
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def rate(fn, repeat: int) -> float:
    start = time.perf_counter()
    for _ in range(repeat):
        fn()
    return repeat / (time.perf_counter() - start)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=40)
    parser.add_argument("--zip", type=int, default=2000, dest="zip_forms")
    args = parser.parse_args()
    rng = random.Random(11)
    biggest = None
    print(f"{'questionnaire':28} {'questions':>9} {'built/s':>8} {'read/s':>7} {'xlsx KB':>8} {'html KB':>8} "
          f"{'paper KB':>9}")
    for path in SHIPPED:
        questionnaire = load_questionnaire(path)
        if biggest is None or len(questionnaire.questions()) > len(biggest.questions()):
            biggest = questionnaire
        data = filled(questionnaire, rng)
        built = rate(lambda q=questionnaire: build_workbook(q, "id", SCHOOL), args.repeat)
        read = rate(lambda q=questionnaire, d=data: read_form(d, "f.xlsx", q), args.repeat)
        html = len(build_html_form(questionnaire, "id", SCHOOL).encode())
        paper = len(build_paper_form(questionnaire, "id", SCHOOL).encode())
        print(f"{questionnaire.id:28} {len(questionnaire.questions()):>9} {built:>8.1f} {read:>7.1f} "
              f"{len(data) / 1024:>8.1f} {html / 1024:>8.1f} {paper / 1024:>9.1f}")
    schools = [SCHOOL.model_copy(update={"npsn": f"Z{i:07d}"}) for i in range(args.zip_forms)]
    for fmt in ("xlsx", "html"):
        start = time.perf_counter()
        data = forms_zip(biggest, schools, fmt)
        seconds = time.perf_counter() - start
        print(f"zip of {args.zip_forms:,} {fmt} forms of {biggest.id}: {seconds:.1f} s, {len(data) / 2**20:.1f} MiB")


if __name__ == "__main__":
    main()
