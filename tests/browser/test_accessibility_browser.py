"""Every page of the site and every slide deck, checked with axe-core in headless Chromium.

axe-core (package.json, pinned by its lock entry, installed into
node_modules/ with the site's other JavaScript) runs with the WCAG 2.0 and
2.1 rules of levels A and AA on each page the site build writes: the lessons,
the solutions, the front page, the teacher's guide and every deck. A deck is
checked in reveal.js's scroll view (``?view=scroll``), where every slide is
laid out on one page with its fragments shown, so no slide escapes the
check, and as presented (the first slide and reveal.js's own controls).

The report (violations per page and rule, counted by element as axe counts
them) is printed and written to tests/browser/screenshots/axe_report.txt;
the test fails on any violation. Run with ``make test-browser``.

:func:`axe_violations` also runs on its own, on a site built elsewhere:

    python tests/browser/test_accessibility_browser.py SITE_DIR
"""
from __future__ import annotations

import functools
import http.server
import sys
import threading
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = Path(__file__).resolve().parent / "screenshots"
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
NO_DESCRIPTION = "No description has been provided"


def site_pages(site: Path) -> list[str]:
    """Every HTML page the build wrote (relative paths), the copied JavaScript assets left out."""
    return sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html")
                  if "assets" not in p.relative_to(site).parts)


def _run_axe(browser, url: str, deck: bool) -> list[dict]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(60_000)
    try:
        page.goto(url, wait_until="load")
        if deck:
            page.wait_for_function("() => window.Reveal && Reveal.isReady()")
            # every fragment shown, as it is once the presenter has stepped through the slide
            page.evaluate("() => document.querySelectorAll('.reveal .fragment').forEach(f => f.classList.add('visible'))")
        # MathJax typesets after load; check the page as a reader sees it.
        page.wait_for_function("() => !window.MathJax || (MathJax.startup && MathJax.startup.promise)")
        page.evaluate("() => window.MathJax && MathJax.startup.promise")
        page.add_script_tag(path=str(AXE))
        return page.evaluate(
            """async (tags) => {
                const found = await axe.run(document, {runOnly: {type: 'tag', values: tags},
                                                       resultTypes: ['violations']});
                return found.violations.map(v => ({id: v.id, nodes: v.nodes.length,
                                                   targets: v.nodes.slice(0, 3).map(n => n.target.join(' '))}));
            }""",
            WCAG_TAGS,
        )
    finally:
        context.close()


def check_page(browser, url: str, deck: bool) -> list[dict]:
    """axe-core's violations on one page: [{"id", "nodes", "targets"}] (empty when it passes).

    A deck is checked twice: as presented (its first slide and reveal.js's
    controls) and in the scroll view, every slide and fragment laid out.
    """
    found = _run_axe(browser, url, deck)
    if deck:
        merged = {v["id"]: v for v in found}
        for v in _run_axe(browser, url + "?view=scroll", deck):
            if v["id"] in merged:
                merged[v["id"]] = {**v, "nodes": merged[v["id"]]["nodes"] + v["nodes"]}
            else:
                merged[v["id"]] = v
        found = list(merged.values())
    return found


def axe_violations(browser, base_url: str, pages: list[str]) -> dict[str, list[dict]]:
    """{page: its violations} for every page (relative path under ``base_url``)."""
    return {name: check_page(browser, f"{base_url}/{name}", name.endswith(".slides.html")) for name in pages}


def report(found: dict[str, list[dict]]) -> str:
    """One line per page: its violations by rule (counted by element), then the totals."""
    totals: Counter = Counter()
    lines = []
    for name, violations in found.items():
        counts = {v["id"]: v["nodes"] for v in violations}
        totals.update(counts)
        shown = ", ".join(f"{rule} {n}" for rule, n in sorted(counts.items())) or "0"
        lines.append(f"  {name:<60} {shown}")
    summary = ", ".join(f"{rule} {n}" for rule, n in sorted(totals.items())) or "none"
    lines.append(f"axe-core ({', '.join(WCAG_TAGS)}) on {len(found)} pages: "
                 f"{sum(totals.values())} violations ({summary})")
    return "\n".join(lines)


def test_every_page_and_deck_has_no_axe_violation(served_site, chromium_browser, capsys):
    site = Path(served_site["dir"])
    pages = site_pages(site)
    assert any(p.endswith(".slides.html") for p in pages), "the site was built without its decks"
    assert "index.html" in pages and any(p.startswith("notebooks/solutions/") for p in pages), pages
    found = axe_violations(chromium_browser, served_site["url"], pages)
    text = report(found)
    SCREENSHOTS.mkdir(exist_ok=True)
    (SCREENSHOTS / "axe_report.txt").write_text(text + "\n", encoding="utf-8")
    with capsys.disabled():
        print("\n" + text)
    failing = {name: v for name, v in found.items() if v}
    assert not failing, "axe-core violations:\n" + "\n".join(
        f"{name}: {v['id']} on {v['nodes']} elements, e.g. {v['targets']}"
        for name, violations in failing.items() for v in violations)


def test_no_page_says_an_image_has_no_description(served_site):
    site = Path(served_site["dir"])
    undescribed = [name for name in site_pages(site)
                   if NO_DESCRIPTION in (site / name).read_text(encoding="utf-8")]
    assert undescribed == [], f"images without a text alternative on {undescribed}"


def test_axe_finds_what_it_should(chromium_browser, tmp_path):
    """The check can fail: a page with grey-on-white text and an image without alt has violations."""
    (tmp_path / "bad.html").write_text(
        '<!doctype html><html lang="en"><head><title>bad</title></head><body><main>'
        '<p style="color:#b0b0b0">In [1]:</p><img src="data:image/png;base64,'
        'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR4nGNgYGD4DwABBAEAHnOcQAAAAABJRU5ErkJggg==">'
        "</main></body></html>", encoding="utf-8")
    with _serve(tmp_path) as url:
        found = axe_violations(chromium_browser, url, ["bad.html"])
    assert {v["id"] for v in found["bad.html"]} >= {"color-contrast", "image-alt"}


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


class _serve:
    """A folder on a local HTTP server for the length of a ``with`` block; yields its URL."""

    def __init__(self, folder: Path):
        handler = functools.partial(_Quiet, directory=str(folder))
        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)

    def __enter__(self) -> str:
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()


if __name__ == "__main__":
    import playwright.sync_api as playwright_api

    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from conftest import CHROMIUM_ARGS, chromium_path

    folder = Path(sys.argv[1]).resolve()
    with _serve(folder) as url, playwright_api.sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=chromium_path(), headless=True, args=CHROMIUM_ARGS)
        try:
            print(report(axe_violations(chromium, url, site_pages(folder))))
        finally:
            chromium.close()
