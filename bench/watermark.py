"""How long stamping a restricted file takes (what each cadre's download costs): a 50-page PDF
with real text on every page (core.watermark.stamp_pdf), then a 2000 × 1500 JPEG (stamp_image,
the largest side an attachment keeps) and a three-section .docx (stamp_docx).

    DJANGO_SETTINGS_MODULE=config.settings .venv/bin/python bench/watermark.py [--pages 50] [--repeats 30]
"""

import argparse
import io
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import django

django.setup()

from pypdf import PdfReader  # noqa: E402

from core.tests.pdfs import sample_docx, sample_image, sample_pdf  # noqa: E402
from core.watermark import stamp_docx, stamp_image, stamp_pdf  # noqa: E402


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--pages", type=int, default=50)
    parser.add_argument("--repeats", type=int, default=30)
    arguments = parser.parse_args()
    document = sample_pdf(arguments.pages)
    stamped, summary = timed(stamp_pdf, document, arguments.repeats)
    pages = PdfReader(io.BytesIO(stamped)).pages
    if len(pages) != arguments.pages or not all("K7Q2M9XD" in page.extract_text() for page in pages):
        raise SystemExit("the stamped copy lacks the watermark on some page")
    print(f"PDF, {arguments.pages} pages, {len(document) / 1024:.0f} KB → {len(stamped) / 1024:.0f} KB: {summary}")
    image = sample_image("JPEG", (2000, 1500))
    print(f"JPEG 2000 × 1500: {timed(stamp_image, image, arguments.repeats)[1]}")
    print(f"DOCX, 3 sections: {timed(stamp_docx, sample_docx(3), arguments.repeats)[1]}")


LINES = ["张三 东山镇向阳村", "2026-11-28 14:30", "追踪码 K7Q2M9XD"]


def timed(stamp, data: bytes, repeats: int):
    """(the last stamped copy, "median … p95 … max …") of `repeats` runs after one warm-up."""
    stamp(data, LINES)  # imports, fonts
    timings = []
    for _repeat in range(repeats):
        started = time.perf_counter()
        stamped = stamp(data, LINES)
        timings.append((time.perf_counter() - started) * 1000)
    timings.sort()
    p95 = timings[min(len(timings) - 1, round(0.95 * (len(timings) - 1)))]
    return stamped, (
        f"{repeats} runs, median {statistics.median(timings):.0f} ms, p95 {p95:.0f} ms, max {timings[-1]:.0f} ms"
    )


if __name__ == "__main__":
    main()
