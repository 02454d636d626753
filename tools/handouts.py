#!/usr/bin/env python3
"""One PDF per lesson, to hand out or post, and a teacher's answer key per lesson.

    python tools/handouts.py               # writes handouts/NN_name.pdf and handouts/answer-keys/NN_name.pdf (git-ignored)
    python tools/handouts.py --out DIR     # writes DIR instead

**The handout** is the student version as the site renders it, changed for paper by
:func:`handout_notebook` so that it keeps the surprise: a "predict first" question is
printed with a box to write the prediction in, and its answer (the Markdown that
reveals it, the prediction cell's output from the solution notebook, and the checks
that pin it) moves to an "Answers" section at the end. The checks' "not answered
yet" lines, the navigation cells and links that lead nowhere on paper (other pages
of the series, which the reader cannot click) are left out; a link to a web address
stays. The step players (07's step-through and 1-D explorer) print a step in the
middle of their run, where the picture shows something.

**The answer key** is the solution notebook, every answer in place, with the
lesson's speaker notes from the teacher's guide printed after the title
(:func:`answer_key_notebook`); 00 has no exercises and no key.

The student notebooks (00 and every ``notebooks/NN_*.ipynb``) are rendered by
tools/build_site.py into a scratch site, then each page is opened in headless
Chromium (Debian's ``/usr/bin/chromium`` through Playwright, as the browser
tests do), MathJax is left to typeset every formula, and the page is printed
to A4 with Chromium's own PDF printer. A print style sheet (:data:`PRINT_CSS`)
removes what means nothing on paper: the step players' buttons and sliders,
the "controls work only in a running notebook" line, the In/Out prompts; it
keeps figures whole on a page and lets long code lines wrap.

Afterwards :func:`problems` checks the PDFs (one per lesson and one key per lesson
with solutions, not empty, its text extractable with pypdf and holding the lesson's
title, no link to a local file, no check line, a box per prediction and the Answers
section) and the script exits 1 if one fails.
"""
from __future__ import annotations

import argparse
import copy
import importlib.util
import os
import re
import shutil
import sys
import tempfile
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"
DEFAULT_OUT = ROOT / "handouts"
#: the answer keys' folder inside the handouts' folder
KEYS = "answer-keys"
PREDICTION_TAG = "prediction"
NAV_TAG = "navigation"
NOTES_TAG = "speaker-notes"
#: a check's one line before the student answered (helpers/exercises: "Exercise 03.2: not yet. Hint: ...")
CHECK_LINE = re.compile(r"^Exercise \d\d\.\d+: .*$\n?", re.M)
ANSWER_BOX = (
    '<div class="handout-answer-box" aria-label="space for your answer">'
    "<em>{label}</em></div>"
)

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
  /* code stays on the page of its output; a cell taller than a page still breaks */
  .jp-CodeCell { break-inside: avoid; }
  .jp-InternalAnchorLink, .anchor-link { display: none !important; }
}
.handout-answer-box { border: 1px solid #777; border-radius: 4px; min-height: 32mm; padding: 2mm 3mm;
                      margin: 2mm 0 4mm; color: #444; break-inside: avoid; break-before: avoid; }
"""

#: run in the page before printing: links that lead nowhere on paper become their text; each
#: player shows a step in the middle of its run (its first step is often an empty picture)
PAPER_JS = """() => {
  document.querySelectorAll('a.anchor-link').forEach(function (a) { a.remove(); });
  document.querySelectorAll('a[href]').forEach(function (a) {
    if (/^https?:/.test(a.getAttribute('href'))) return;
    var span = document.createElement('span');
    span.innerHTML = a.innerHTML;
    a.replaceWith(span);
  });
  document.querySelectorAll('.site-player').forEach(function (player) {
    var frames = player.querySelectorAll('.site-frame');
    var range = player.querySelector('input[type=range]');
    var middle = Math.floor(frames.length / 2);
    frames.forEach(function (frame, i) { frame.hidden = i !== middle; });
    var label = document.createElement('p');
    label.className = 'handout-step';
    label.textContent = 'Shown at ' + range.closest('label').textContent.trim() + ' = ' + (Number(range.min) + middle)
      + ' of ' + range.max + '.';
    player.insertBefore(label, player.firstChild);
  });
}"""


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


def solution_notebooks() -> list[Path]:
    return sorted((NOTEBOOKS / "solutions").glob("[0-9][0-9]_*.ipynb"))


def _tags(cell) -> list[str]:
    return cell.get("metadata", {}).get("tags", [])


def _markdown(text: str, cell_id: str):
    import nbformat

    cell = nbformat.v4.new_markdown_cell(text)
    cell["id"] = cell_id[:64]
    return cell


def _section_title(cells, index: int) -> str:
    """The ``## `` heading above ``cells[index]`` (its text, without the hashes)."""
    for cell in reversed(cells[:index]):
        if cell.cell_type == "markdown" and cell.source.lstrip().startswith("## "):
            return cell.source.lstrip().splitlines()[0][3:].strip()
    return "the lesson"


def without_check_lines(cell) -> None:
    """Drop the check's "not answered yet" line from a code cell's printed output."""
    kept = []
    for output in cell.get("outputs", []):
        if output.get("output_type") == "stream":
            output["text"] = CHECK_LINE.sub("", output.get("text", ""))
            if not output["text"].strip():
                continue
        kept.append(output)
    cell["outputs"] = kept


def handout_notebook(nb, path: Path):
    """The student notebook ``nb`` made for paper (see the module's docstring).

    The answer to each prediction cell is the next Markdown cell (the reveal, as
    tools/build_notebooks.py defines it) and the code cells right after it that the
    generator moved there to pin the answer (ids ending in ``-checks``, or cells that
    came before the reveal in the solution notebook); the prediction's output comes from
    the solution notebook, matched by cell id.
    """
    import nbformat

    nb = copy.deepcopy(nb)
    solution_path = NOTEBOOKS / "solutions" / path.name
    solution = nbformat.read(solution_path, as_version=4) if solution_path.is_file() else None
    solution_cells = {c.get("id"): c for c in solution.cells} if solution else {}
    order = {c.get("id"): i for i, c in enumerate(solution.cells)} if solution else {}
    cells = [c for c in nb.cells if NAV_TAG not in _tags(c)]
    body, answers = [], []
    index = 0
    while index < len(cells):
        cell = cells[index]
        if cell.cell_type == "code":
            without_check_lines(cell)
        is_prediction = cell.cell_type == "code" and PREDICTION_TAG in _tags(cell)
        reveal = next((j for j in range(index + 1, len(cells)) if cells[j].cell_type == "markdown"), None)
        if not is_prediction or reveal is None or cells[reveal].source.lstrip().startswith(("#", "**Exercise")):
            body.append(cell)
            index += 1
            continue
        number = len(answers) + 1
        body += cells[index : reveal]
        body.append(_markdown(ANSWER_BOX.format(label=f"Your prediction (answer {number} at the end):"),
                              f"handout-box-{number}"))
        moved = [_markdown(f"### Answer {number}: {_section_title(cells, index)}", f"handout-answer-{number}")]
        asked = [c for c in cells[index:reveal] if c.cell_type == "code" and PREDICTION_TAG in _tags(c)]
        for part, question in enumerate(asked, start=1):
            shown = copy.deepcopy(solution_cells.get(question.get("id"), question))
            shown["id"] = f"handout-shown-{number}-{part}"
            shown.source = "# the prediction cell above, run"  # its code is printed with the question
            moved.append(shown)
        moved.append(cells[reveal])
        after = reveal + 1
        while after < len(cells) and cells[after].cell_type == "code" and (
            cells[after].get("id", "").endswith("-checks")
            or order.get(cells[after].get("id"), 10**9) < order.get(cells[reveal].get("id"), -1)
        ):
            moved.append(cells[after])
            after += 1
        answers.append(moved)
        index = after
    if answers:
        body.append(_markdown("## Answers\n\nThe answers to this lesson's \"predict first\" questions, "
                              "in the order they come.", "handout-answers"))
        body += [cell for moved in answers for cell in moved]
    nb.cells = body
    return nb


def answer_key_notebook(nb, path: Path):
    """The solution notebook ``nb`` with its speaker notes shown as text after the title (they are
    RISE ``notes`` cells, which pages leave out) and without navigation."""
    nb = copy.deepcopy(nb)
    nb.cells = [c for c in nb.cells if NAV_TAG not in _tags(c)]
    for cell in nb.cells:
        if NOTES_TAG in _tags(cell):
            cell.metadata.pop("slideshow", None)
            cell.metadata.pop("jupyter", None)
    return nb


def print_pages(pages: list[tuple[Path, Path]], browser=None) -> list[Path]:
    """Print each ``(page.html, target.pdf)`` pair, formulas typeset.

    ``browser`` is a Playwright Chromium already running (the browser tests share one);
    without it, one is started here and closed afterwards.
    """
    if browser is not None:
        return _print_with(browser, pages)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium_path(), headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"],
        )
        try:
            return _print_with(browser, pages)
        finally:
            browser.close()


def _print_with(browser, pages: list[tuple[Path, Path]]) -> list[Path]:
    written = []
    page = browser.new_page()
    try:
        for source, target in pages:
            target.parent.mkdir(parents=True, exist_ok=True)
            page.goto(source.as_uri(), wait_until="load")
            page.add_style_tag(content=PRINT_CSS)
            page.evaluate(PAPER_JS)
            # MathJax loads deferred; wait for it to start, then for every formula to be typeset
            page.wait_for_function("window.MathJax && MathJax.startup && MathJax.startup.promise", timeout=60_000)
            page.evaluate("MathJax.startup.promise.then(() => MathJax.typesetPromise())")
            page.emulate_media(media="print")
            page.pdf(path=str(target), format="A4", print_background=True, prefer_css_page_size=True)
            written.append(target)
    finally:
        page.close()
    return written


def _pdf_text(path: Path) -> str:
    from pypdf import PdfReader

    # NFKC: Chromium's PDFs write "fi" and "fl" as ligatures
    return unicodedata.normalize("NFKC", " ".join(page.extract_text() or "" for page in PdfReader(path).pages))


def _pdf_links(path: Path) -> list[str]:
    """The addresses of the links printed in a PDF (its pages' URI annotations)."""
    from pypdf import PdfReader

    found = []
    for page in PdfReader(path).pages:
        for annotation in page.get("/Annots") or []:
            action = annotation.get_object().get("/A")
            if action is not None and "/URI" in action:
                found.append(str(action["/URI"]))
    return found


def _one_problem(path: Path, title: str, kind: str) -> str | None:
    if not path.is_file() or path.stat().st_size == 0:
        return f"{kind} {path.name}: missing or empty"
    text = _pdf_text(path)
    if len(text.split()) < 50:
        return f"{kind} {path.name}: no text to extract"
    if title.split(":")[0] not in text:
        return f"{kind} {path.name}: the title {title!r} is not in its text"
    if "$$" in text or "\\frac" in text or "\\sum" in text:
        return f"{kind} {path.name}: a formula was printed untypeset"
    local = [url for url in _pdf_links(path) if not url.startswith(("http://", "https://", "mailto:"))]
    if local:
        return f"{kind} {path.name}: a link that leads nowhere on paper ({local[0]})"
    return None


def problems(out: Path, series, predictions: dict[str, int] | None = None) -> list[str]:
    """What is wrong with the handouts in ``out`` and their answer keys in ``out/answer-keys``.

    For each lesson: its PDF missing, empty or without text, its title absent, a formula
    untypeset, a link to a local file, a check's "not answered yet" line; a lesson with
    ``predictions[stem]`` "predict first" questions needs its "Answers" section and that
    many answer boxes. Each lesson with a solution needs its answer key, with the same checks.
    """
    found = []
    for lesson in series:
        path = out / f"{lesson.stem}.pdf"
        problem = _one_problem(path, lesson.title, "handout")
        if problem is None:
            text = _pdf_text(path)
            if "not answered yet" in text or "not yet. Hint" in text:
                problem = f"handout {path.name}: a check's line for an unanswered exercise is printed"
            wanted = (predictions or {}).get(lesson.stem, 0)
            boxes = text.count("Your prediction (answer")
            if wanted and ("Answers" not in text or boxes != wanted):
                problem = (f"handout {path.name}: {wanted} predict-first questions, but {boxes} answer boxes"
                           " and " + ("an" if "Answers" in text else "no") + " Answers section")
        if problem:
            found.append(problem)
        if lesson.has_solution:
            problem = _one_problem(out / KEYS / f"{lesson.stem}.pdf", lesson.title, "answer key")
            if problem:
                found.append(problem)
    extra = sorted({p.stem for p in out.glob("*.pdf")} - {lesson.stem for lesson in series})
    found += [f"{name}.pdf: not a lesson" for name in extra]
    return found


def prediction_counts() -> dict[str, int]:
    """How many questions each student notebook asks to predict: its prediction cells, two in a row
    counting once (they share one reveal, so one box and one answer)."""
    import nbformat

    counts = {}
    for path in student_notebooks():
        tagged = [PREDICTION_TAG in _tags(c) for c in nbformat.read(path, as_version=4).cells]
        counts[path.stem] = sum(this and not following for this, following in zip(tagged, [*tagged[1:], False], strict=True))
    return counts


def build(out: Path = DEFAULT_OUT, browser=None) -> list[str]:
    """Write every handout and answer key into ``out``; return the problems found in them (empty: all good).

    ``browser``: a running Playwright Chromium to print with (see :func:`print_pages`).
    """
    site_tool = _tool("build_site")
    series = _tool("build_notebooks").lessons()
    notebooks, solutions = student_notebooks(), solution_notebooks()
    out = Path(out)
    with tempfile.TemporaryDirectory(prefix="handouts-site-") as scratch:
        handout_site, key_site = Path(scratch) / "site", Path(scratch) / "keys"
        site_tool.build(handout_site, notebooks=notebooks, transform=handout_notebook)
        site_tool.build(key_site, notebooks=solutions, transform=answer_key_notebook)
        for old in [*out.glob("*.pdf"), *(out / KEYS).glob("*.pdf")]:
            old.unlink()
        pages = [(handout_site / "notebooks" / f"{path.stem}.html", out / f"{path.stem}.pdf") for path in notebooks]
        pages += [(key_site / "notebooks" / "solutions" / f"{path.stem}.html", out / KEYS / f"{path.stem}.pdf")
                  for path in solutions]
        print_pages(pages, browser)
    return problems(out, series, prediction_counts())


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="output folder (default: handouts/)")
    args = parser.parse_args(argv)
    found = build(args.out)
    for problem in found:
        print(f"handout problem: {problem}")
    pdfs, keys = sorted(args.out.glob("*.pdf")), sorted((args.out / KEYS).glob("*.pdf"))
    print(f"wrote {len(pdfs)} handouts to {args.out} and {len(keys)} answer keys to {args.out / KEYS}")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
