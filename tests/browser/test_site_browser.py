"""The static site (tools/build_site.py --slides) in headless Chromium, with the network cut off.

Every test loads pages from a local HTTP server with every request to any
other host blocked (and recorded): the site must typeset its formulas with
its own MathJax, play notebook 07's step-through view without a kernel, lay
the playground out side by side, read on a 390-px phone, and show its slide
decks, all without a single request elsewhere.

Screenshots go to tests/browser/screenshots/; docs/site_offline.png is
written when missing or with UPDATE_DOCS_SCREENSHOT=1.

Run with ``make test-browser`` (needs Debian's ``chromium``; the site's scripts come from ``tools/fetch_assets.py``).
"""
from __future__ import annotations

import os
import shutil
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = Path(__file__).resolve().parent / "screenshots"
DOCS_SCREENSHOT = ROOT / "docs" / "site_offline.png"
FORMULAS = "notebooks/02_a_3x3_blur_by_hand.html"
# found by its name, whatever its number in the series
PLAYGROUND = "notebooks/" + sorted((ROOT / "notebooks").glob("*kernel_playground*.ipynb"))[0].stem + ".html"


@contextmanager
def offline_page(browser, site, width=1280, height=900):
    """A page that may load only from ``site``; ``page.elsewhere`` lists every other URL it asked for."""
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    page.set_default_timeout(30_000)
    page.elsewhere = []
    page.errors = []

    def route(route):
        if route.request.url.startswith(site["url"] + "/") or route.request.url.startswith("data:"):
            route.continue_()
        else:
            page.elsewhere.append(route.request.url)
            route.abort()

    page.route("**/*", route)
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    try:
        yield page
    finally:
        context.close()


def typeset(page) -> None:
    """Wait until MathJax has typeset the page (its output elements are there and its queue is done)."""
    page.wait_for_function("() => window.MathJax && MathJax.startup && MathJax.startup.promise")
    page.evaluate("() => MathJax.startup.promise")
    page.wait_for_selector("mjx-container")


def test_formulas_are_typeset_with_no_request_to_another_host(served_site, chromium_browser):
    with offline_page(chromium_browser, served_site) as page:
        page.goto(f"{served_site['url']}/{FORMULAS}#The-output-size", wait_until="networkidle")
        typeset(page)
        count = page.locator(".jp-RenderedMarkdown mjx-container").count()
        text = " ".join(page.locator(".jp-RenderedMarkdown").all_inner_texts())
        assert count >= 10, f"only {count} typeset formulas"
        for source in ("\\lfloor", "\\frac", "$n_"):
            assert source not in text, f"{source!r} is still shown as LaTeX source"
        # The output-size formula is a display formula made of MathJax's CHTML elements.
        assert page.locator("mjx-container[display='true'] mjx-mfrac").count() >= 1
        SCREENSHOTS.mkdir(exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / "site_offline.png"))
        if not DOCS_SCREENSHOT.exists() or os.environ.get("UPDATE_DOCS_SCREENSHOT") == "1":
            shutil.copyfile(SCREENSHOTS / "site_offline.png", DOCS_SCREENSHOT)
        assert page.elsewhere == [], f"requests to other hosts: {page.elsewhere}"
        assert page.errors == [], page.errors


def test_the_step_through_view_plays_without_a_kernel(served_site, chromium_browser):
    with offline_page(chromium_browser, served_site) as page:
        page.goto(f"{served_site['url']}/{PLAYGROUND}#2.-One-output-pixel-at-a-time", wait_until="networkidle")
        assert page.locator(".site-player").count() == 2  # the 2-D step-through and the 1-D explorer
        player = page.locator(".site-player").filter(has=page.locator(".conv-step"))
        heading = ".site-player .site-frame:not([hidden]) .conv-step > div:first-child"
        assert page.locator(heading).inner_text().startswith("step 1 of 16")
        player.locator("button").click()
        page.wait_for_function(
            f"() => document.querySelector('{heading}').textContent.startsWith('step 2 of 16')", timeout=5000)
        page.wait_for_function(
            f"() => document.querySelector('{heading}').textContent.startsWith('step 3 of 16')", timeout=5000)
        assert player.locator(".site-readout").inner_text() in ("3", "4")
        player.locator("button").click()  # pause
        shown = player.locator(".site-frame:not([hidden])").count()
        assert shown == 1, f"{shown} frames shown at once"
        # The slider jumps to any step, as the live one does.
        player.locator("input[type=range]").fill("16")
        assert page.locator(heading).inner_text().startswith("step 16 of 16")
        player.screenshot(path=str(SCREENSHOTS / "site_step_through.png"))

        # The 1-D explorer plays too: its line of numbers and its picture follow the shift.
        explorer = page.locator(".site-player").filter(has_not=page.locator(".conv-step"))
        line = explorer.locator(".site-frame:not([hidden]) div").first
        assert line.inner_text().startswith("n = 0:")
        picture = explorer.locator(".site-frame:not([hidden]) img").get_attribute("src")
        explorer.locator("button").click()
        explorer.locator(".site-frame:not([hidden]) div").first.wait_for()
        page.wait_for_function(
            """() => [...document.querySelectorAll('.site-player .site-frame:not([hidden]) div')]
                     .some(d => d.textContent.startsWith('n = 2:'))""", timeout=5000)
        assert explorer.locator(".site-frame:not([hidden]) img").get_attribute("src") != picture
        text = page.locator("main").inner_text()
        assert "play: " not in text, "a meaningless play control is listed"
        assert page.elsewhere == [] and page.errors == [], (page.elsewhere, page.errors)


def test_the_playground_views_sit_side_by_side_at_display_size(served_site, chromium_browser):
    with offline_page(chromium_browser, served_site, width=1440) as page:
        page.goto(f"{served_site['url']}/{PLAYGROUND}", wait_until="networkidle")
        boxes = page.evaluate(
            """() => [...document.querySelector('.site-widget').querySelectorAll('img:not([hidden])')].map(img => {
                   const r = img.getBoundingClientRect();
                   return {top: Math.round(r.top), width: Math.round(r.width)};
               })"""
        )
        assert len(boxes) == 3, boxes  # input, output and difference (the kernel is a grid; hidden helpers aside)
        # One screen scale for every view, as the live playground draws them (its Layout widths).
        assert len({box["width"] for box in boxes}) == 1 and boxes[0]["width"] >= 200, boxes
        assert boxes[0]["top"] == boxes[1]["top"], f"input and output are not side by side: {boxes}"


def test_pages_read_on_a_390px_phone(served_site, chromium_browser):
    with offline_page(chromium_browser, served_site, width=390, height=844) as page:
        page.goto(f"{served_site['url']}/notebooks/01_edge_confidence_scores.html", wait_until="networkidle")
        # Figures keep their size and scroll sideways inside their output, instead of shrinking.
        figures = page.evaluate(
            """() => [...document.querySelectorAll('.jp-RenderedImage img')].map(img => ({
                   shown: img.getBoundingClientRect().width, natural: img.naturalWidth,
                   scrolls: img.parentElement.scrollWidth > img.parentElement.clientWidth}))"""
        )
        wide = [f for f in figures if f["natural"] > 390]
        assert wide, "no figure wider than the phone on this page"
        for figure in wide:
            assert figure["shown"] == figure["natural"] and figure["scrolls"], figure
        # The page itself does not scroll sideways; output text wraps at spaces, not mid-word.
        assert page.evaluate("() => document.documentElement.scrollWidth") <= 390
        breaks = page.evaluate(
            "() => [...document.querySelectorAll('.jp-OutputArea-output pre')].map(p => getComputedStyle(p).wordBreak)")
        assert breaks and set(breaks) == {"normal"}, set(breaks)
        page.screenshot(path=str(SCREENSHOTS / "site_phone.png"))
        assert page.elsewhere == [] and page.errors == [], (page.elsewhere, page.errors)


def test_a_slide_deck_steps_through_its_slides_offline(served_site, chromium_browser):
    with offline_page(chromium_browser, served_site, width=1280, height=800) as page:
        page.goto(f"{served_site['url']}/notebooks/solutions/02_a_3x3_blur_by_hand.slides.html",
                  wait_until="networkidle")
        page.wait_for_function("() => window.Reveal && Reveal.isReady()")
        assert page.evaluate("() => Reveal.getIndices().h") == 0
        assert page.locator("section.present h1").text_content().startswith("A 3×3 blur")
        page.keyboard.press("ArrowRight")
        page.wait_for_function("() => Reveal.getIndices().h === 1")
        assert page.evaluate("() => Reveal.getTotalSlides()") >= 8
        typeset(page)
        page.screenshot(path=str(SCREENSHOTS / "deck.png"))
        assert page.elsewhere == [] and page.errors == [], (page.elsewhere, page.errors)


def test_a_decks_speaker_view_shows_each_sections_notes_formatted(served_site, chromium_browser):
    """Key S opens reveal.js's speaker view in a second window; the projected deck stays where it is.
    The notes are the presenter's copy's (tools/presenter.py): formatted, one block per section."""
    with offline_page(chromium_browser, served_site, width=1280, height=720) as page:
        page.goto(f"{served_site['url']}/notebooks/solutions/03_convolution_vs_cross_correlation.slides.html",
                  wait_until="networkidle")
        page.wait_for_function("() => window.Reveal && Reveal.isReady()")
        page.keyboard.press("ArrowRight")  # "What you will learn"
        page.keyboard.press("ArrowRight")  # "Two formulas"
        page.wait_for_function("() => Reveal.getIndices().h === 2")
        with page.context.expect_page() as opened:
            page.keyboard.press("s")
        speaker = opened.value
        speaker.wait_for_function(
            "() => (document.querySelector('.speaker-controls-notes') || {}).innerText?.includes('Ask')",
            timeout=60_000)
        notes = speaker.locator(".speaker-controls-notes")
        assert "274" in notes.inner_text()  # this section's own notes
        assert notes.locator("strong", has_text="Ask:").count() == 1  # formatted, not raw Markdown
        assert "**" not in notes.inner_text()
        assert page.evaluate("() => Reveal.getIndices().h") == 2  # the projector's window stays on its slide
        assert not page.evaluate("() => document.documentElement.classList.contains('reveal-speaker')"), \
            "the deck itself switched into the speaker view"
        SCREENSHOTS.mkdir(exist_ok=True)
        speaker.screenshot(path=str(SCREENSHOTS / "deck_speaker_view.png"))
        assert page.errors == [], page.errors
