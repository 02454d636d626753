#!/usr/bin/env python3
"""One PDF per lesson, to hand out or post: the student version as the site renders it.

    python tools/handouts.py               # writes handouts/NN_name.pdf (git-ignored)
    python tools/handouts.py --out DIR     # writes DIR instead

The student notebooks (00 and every ``notebooks/NN_*.ipynb``) are rendered by
tools/build_site.py into a scratch site, then each page is opened in headless
Chromium (Debian's ``/usr/bin/chromium`` through Playwright, as the browser
tests do), MathJax is left to typeset every formula, and the page is printed
to A4 with Chromium's own PDF printer. A print style sheet (:data:`PRINT_CSS`)
removes what means nothing on paper: the step players' buttons and sliders,
the "controls work only in a running notebook" line, the In/Out prompts; it
keeps figures whole on a page and lets long code lines wrap.

Afterwards :func:`problems` checks the PDFs (one per lesson, not empty, its
text extractable with pypdf and holding the lesson's title) and the script
exits 1 if one fails.
"""
from __future__ import annotations

import argparse
import importlib.util
import os
import shutil
import sys
import tempfile
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"
DEFAULT_OUT = ROOT / "handouts"

PRINT_CSS = """
@page { size: A4; margin: 14mm 12mm; }
@media print {
  .site-player-controls, .site-widget > p, .jp-InputPrompt, .jp-OutputPrompt { display: none !important; }
  .jp-RenderedImage, .jp-RenderedImage img, .site-widget img, mjx-container { break-inside: avoid; }
  .jp-RenderedImage img, .site-widget img { max-width: 100% !important; height: auto !important; }
  .jp-InputArea pre, .jp-OutputArea-output pre { white-space: pre-wrap; overflow-wrap: anywhere; }
  .jp-RenderedHTMLCommon table { display: table; overflow: visible; }
  main { max-width: none; }
  h1, h2, h3 { break-after: avoid; }
}
"""


def _tool(name: str):
    """tools/<name>.py as a module (registered in sys.modules: dataclasses look their module up there)."""
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, ROOT / "tools" / f"{name}.py")
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]


def chromium_path() -> str:
    for candidate in (os.environ.get("CHROMIUM"), "/usr/bin/chromium", shutil.which("chromium")):
        if candidate and Path(candidate).is_file():
            return candidate
    raise SystemExit("make handouts needs Chromium: apt-get update && apt-get install -y chromium")


def student_notebooks() -> list[Path]:
    """The lessons as students get them, in order (00 first)."""
    return sorted(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"))


def print_pages(site: Path, stems: list[str], out: Path, browser=None) -> list[Path]:
    """Print ``site/notebooks/<stem>.html`` for each stem to ``out/<stem>.pdf``, formulas typeset.

    ``browser`` is a Playwright Chromium already running (the browser tests share one);
    without it, one is started here and closed afterwards.
    """
    out.mkdir(parents=True, exist_ok=True)
    if browser is not None:
        return _print_with(browser, site, stems, out)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium_path(), headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"],
        )
        try:
            return _print_with(browser, site, stems, out)
        finally:
            browser.close()


def _print_with(browser, site: Path, stems: list[str], out: Path) -> list[Path]:
    written = []
    page = browser.new_page()
    try:
        for stem in stems:
            page.goto((site / "notebooks" / f"{stem}.html").as_uri(), wait_until="load")
            page.add_style_tag(content=PRINT_CSS)
            # MathJax loads deferred; wait for it to start, then for every formula to be typeset
            page.wait_for_function("window.MathJax && MathJax.startup && MathJax.startup.promise", timeout=60_000)
            page.evaluate("MathJax.startup.promise.then(() => MathJax.typesetPromise())")
            page.emulate_media(media="print")
            target = out / f"{stem}.pdf"
            page.pdf(path=str(target), format="A4", print_background=True, prefer_css_page_size=True)
            written.append(target)
    finally:
        page.close()
    return written


def problems(out: Path, series) -> list[str]:
    """What is wrong with the handouts in ``out``: a lesson without its PDF, an empty one, no text."""
    from pypdf import PdfReader

    found = []
    for lesson in series:
        path = out / f"{lesson.stem}.pdf"
        if not path.is_file() or path.stat().st_size == 0:
            found.append(f"{path.name}: missing or empty")
            continue
        reader = PdfReader(path)
        # NFKC: Chromium's PDFs write "fi" and "fl" as ligatures
        text = unicodedata.normalize("NFKC", " ".join(page.extract_text() or "" for page in reader.pages))
        if not reader.pages or len(text.split()) < 50:
            found.append(f"{path.name}: no text to extract")
        elif lesson.title.split(":")[0] not in text:
            found.append(f"{path.name}: the title {lesson.title!r} is not in its text")
        elif "$$" in text or "\\frac" in text or "\\sum" in text:
            found.append(f"{path.name}: a formula was printed untypeset")
    extra = sorted({p.stem for p in out.glob("*.pdf")} - {lesson.stem for lesson in series})
    found += [f"{name}.pdf: not a lesson" for name in extra]
    return found


def build(out: Path = DEFAULT_OUT, browser=None) -> list[str]:
    """Write every handout into ``out``; return the problems found in them (empty: all good).

    ``browser``: a running Playwright Chromium to print with (see :func:`print_pages`).
    """
    site_tool = _tool("build_site")
    series = _tool("build_notebooks").lessons()
    notebooks = student_notebooks()
    with tempfile.TemporaryDirectory(prefix="handouts-site-") as scratch:
        site = Path(scratch) / "site"
        site_tool.build(site, notebooks=notebooks)
        for old in Path(out).glob("*.pdf"):
            old.unlink()
        print_pages(site, [path.stem for path in notebooks], Path(out), browser)
    return problems(Path(out), series)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="output folder (default: handouts/)")
    args = parser.parse_args(argv)
    found = build(args.out)
    for problem in found:
        print(f"handout problem: {problem}")
    pdfs = sorted(args.out.glob("*.pdf"))
    print(f"wrote {len(pdfs)} handouts to {args.out}")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
