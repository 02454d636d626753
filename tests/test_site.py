"""The static site (tools/build_site.py): every page is there and every internal link resolves.

The site is rendered once for this module (a few seconds); the link checker
itself is tested on tiny hand-made sites, so we know it can fail.
"""
import re
from pathlib import Path

import nbformat
import pytest
from tool_loading import load_tool

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def site_tool():
    return load_tool("build_site")


@pytest.fixture(scope="module")
def series():
    return load_tool("build_notebooks").lessons()


@pytest.fixture(scope="module")
def site(site_tool, tmp_path_factory):
    out = tmp_path_factory.mktemp("site")
    site_tool.build(out, slides=True)
    return out


def _links(site_tool, page: Path) -> list[str]:
    return site_tool.scan(page).links


# --------------------------------------------------------------------------- the real site


def test_every_internal_link_resolves(site_tool, site):
    assert site_tool.broken_links(site) == []


def test_every_notebook_has_a_page(site):
    notebooks = sorted((ROOT / "notebooks").glob("*.ipynb")) + sorted((ROOT / "notebooks/solutions").glob("*.ipynb"))
    assert notebooks, "no notebooks found"
    for path in notebooks:
        page = site / path.relative_to(ROOT).with_suffix(".html")
        assert page.is_file(), f"no page for {path.relative_to(ROOT)}"


def test_index_links_every_lesson_and_its_solutions(site_tool, site, series):
    links = set(_links(site_tool, site / "index.html"))
    for lesson in series:
        assert f"notebooks/{lesson.stem}.html" in links, lesson.stem
        if lesson.has_solution:
            assert f"notebooks/solutions/{lesson.stem}.html" in links, lesson.stem
    if (ROOT / "docs" / "teaching.md").exists():
        assert "docs/teaching.html" in links


def test_lessons_link_to_their_solutions_and_back(site_tool, site, series):
    for lesson in series:
        if not lesson.has_solution:
            continue
        pages = [site / "notebooks" / f"{lesson.stem}.html", site / "notebooks" / "solutions" / f"{lesson.stem}.html"]
        for page in pages:
            assert page.is_file(), f"no page {page.relative_to(site)} (is the student notebook generated?)"
        student, solution = (_links(site_tool, page) for page in pages)
        assert f"solutions/{lesson.stem}.html" in student, lesson.stem
        assert f"../{lesson.stem}.html" in solution, lesson.stem
        assert "../00_start_here.html" in solution, lesson.stem


def test_no_page_still_links_to_a_notebook_file(site_tool, site):
    for page in _pages(site):
        for url in _links(site_tool, page):
            if site_tool.is_relative_url(url):
                assert ".ipynb" not in url.split("#")[0], f"{page.name}: {url}"


class _Loads(__import__("html.parser").parser.HTMLParser):
    """What a page loads by itself: script src, stylesheet href, img/source/iframe src."""

    def __init__(self):
        super().__init__()
        self.loads: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in ("script", "img", "iframe", "source", "video", "audio", "embed") and attrs.get("src"):
            self.loads.append(attrs["src"])
        if tag == "link" and attrs.get("href") and "stylesheet" in (attrs.get("rel") or ""):
            self.loads.append(attrs["href"])


def _pages(site: Path) -> list[Path]:
    """The site's own pages (not the HTML files that come with reveal.js and MathJax)."""
    return [p for p in sorted(site.rglob("*.html")) if "assets" not in p.relative_to(site).parts]


def test_no_page_loads_anything_from_another_host(site):
    pages = _pages(site)
    for page in pages:
        parser = _Loads()
        parser.feed(page.read_text(encoding="utf-8"))
        outside = [url for url in parser.loads if re.match(r"(https?:)?//", url)]
        assert outside == [], f"{page.relative_to(site)} loads {outside}"
        text = page.read_text(encoding="utf-8")
        assert "@import url(http" not in text and "cdnjs" not in text and "unpkg.com" not in text, page.name
    for css in site.rglob("*.css"):
        assert not re.search(r"url\((['\"]?)(https?:)?//", css.read_text(encoding="utf-8")), css


def test_pages_load_mathjax_from_the_site(site):
    mathjax = site / "assets" / "mathjax" / "es5" / "tex-chtml-full.js"
    assert mathjax.is_file()
    for page in _pages(site):
        text = page.read_text(encoding="utf-8")
        assert "tex-chtml-full.js" in text, page.name
        assert "__SITE_ROOT__" not in text, page.name


def test_every_lesson_has_a_slide_deck_with_one_slide_per_section(site, series):
    index_links = set(_links_of(site / "index.html"))
    for lesson in series:
        folder = "notebooks/solutions" if lesson.has_solution else "notebooks"
        deck = site / folder / f"{lesson.stem}.slides.html"
        assert deck.is_file(), deck
        assert f"{folder}/{lesson.stem}.slides.html" in index_links
        text = deck.read_text(encoding="utf-8")
        assert "assets/reveal.js/dist/reveal.js" in text
        source = nbformat.read(ROOT / folder / f"{lesson.stem}.ipynb", as_version=4)
        slides = sum(c.metadata.get("slideshow", {}).get("slide_type") in ("slide", "subslide") for c in source.cells)
        sections = sum(c.cell_type == "markdown" and c.source.startswith("## ") for c in source.cells)
        assert slides > sections, lesson.stem  # the title and every section, at least
        # nbconvert writes a <section> per slide (and one around each stack of subslides)
        assert text.count("<section") >= slides, lesson.stem
        assert ">Contents</a>" not in text, f"{lesson.stem}: the navigation cells are not skipped"


def _links_of(page: Path) -> list[str]:
    return load_tool("build_site").scan(page).links


def test_pages_are_readable_on_a_phone_and_need_no_script_from_the_network(site):
    for page in _pages(site):
        text = page.read_text(encoding="utf-8")
        viewport = re.search(r'<meta[^>]*name="viewport"[^>]*>', text)
        assert viewport and "width=device-width" in viewport.group(0), page.name
        assert "require.min.js" not in text, page.name
        assert "html-manager" not in text, page.name  # widget manager from a CDN
        assert "application/vnd.jupyter.widget-state+json" not in text, page.name


# --------------------------------------------------------------------------- the link checker on tiny sites


def _page(path: Path, body: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"<!DOCTYPE html><html><body>{body}</body></html>", encoding="utf-8")


def test_checker_passes_a_site_whose_links_resolve(site_tool, tmp_path):
    _page(tmp_path / "index.html", '<a href="a/b.html#Sec-1">b</a> <a href="#top">top</a> <p id="top"></p>'
          '<a href="https://example.org/missing.html">outside</a> <img src="img/x.png"> <a href="a/">a</a>')
    _page(tmp_path / "a" / "b.html", '<h2 id="Sec-1">one</h2><a href="../index.html">back</a>')
    _page(tmp_path / "a" / "index.html", "")
    (tmp_path / "img").mkdir()
    (tmp_path / "img" / "x.png").write_bytes(b"png")
    assert site_tool.broken_links(tmp_path) == []


def test_checker_reports_each_kind_of_broken_link(site_tool, tmp_path):
    _page(
        tmp_path / "index.html",
        '<a href="missing.html">1</a> <a href="b.html#nowhere">2</a> <a href="#no-such-id">3</a>'
        ' <a href="../outside.html">4</a> <a href="/b.html">5</a> <img src="img/none.png">'
        ' <a href="empty/">7</a> <a href="b.ipynb">8</a> <a href="b.html#ok">fine</a>',
    )
    _page(tmp_path / "b.html", '<h1 id="ok">b</h1>')
    (tmp_path / "empty").mkdir()
    problems = site_tool.broken_links(tmp_path)
    for url in ["missing.html", "b.html#nowhere", "#no-such-id", "../outside.html", "/b.html",
                "img/none.png", "empty/", "b.ipynb"]:
        assert sum(f"{url!r}" in p for p in problems) == 1, (url, problems)
    assert len(problems) == 8
    assert not any("b.html#ok" in p for p in problems)


def test_checker_accepts_percent_encoded_fragments(site_tool, tmp_path):
    # nbconvert writes heading ids percent-encoded ("3%C3%973" for "3×3"); links may use either form.
    _page(tmp_path / "index.html", '<h1 id="A-3%C3%973-blur">t</h1><a href="#A-3%C3%973-blur">x</a>'
          '<h2 id="B-3×3">u</h2><a href="#B-3%C3%973">y</a>')
    assert site_tool.broken_links(tmp_path) == []


def test_links_are_rewritten_to_pages_and_unknown_files_left_for_the_check(site_tool, tmp_path):
    build = site_tool.Build(tmp_path)
    source = ROOT / "notebooks" / "00_start_here.ipynb"
    page = (
        '<a href="00_start_here.ipynb#Recap">a</a> <a href="https://x.org/y.ipynb">b</a>'
        ' <a href="no_such_lesson.ipynb">c</a> <img src="../data/camera.png">'
    )
    rewritten = build.rewrite_links(page, source)
    assert 'href="00_start_here.html#Recap"' in rewritten
    assert 'href="https://x.org/y.ipynb"' in rewritten
    assert 'href="no_such_lesson.ipynb"' in rewritten  # left alone, so the check reports it
    assert build.copies == {ROOT / "data" / "camera.png"}


# --------------------------------------------------------------------------- widgets and the output folder


def _widget_notebook(site_tool, state: dict, model_id: str):
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("interact(...)")])
    nb.cells[0].outputs = [nbformat.v4.new_output(
        "display_data", data={"text/plain": "VBox(...)", site_tool.WIDGET_VIEW: {"model_id": model_id}})]
    nb.metadata["widgets"] = {"application/vnd.jupyter.widget-state+json": {"state": state}}
    return nb


def test_widget_outputs_become_static_views_laid_out_as_the_live_boxes(site_tool):
    state = {
        "box": {"model_name": "VBoxModel", "state": {"children": [
            "IPY_MODEL_row", "IPY_MODEL_grid", "IPY_MODEL_out"]}},
        "row": {"model_name": "HBoxModel", "state": {"children": [
            "IPY_MODEL_size", "IPY_MODEL_mode", "IPY_MODEL_play", "IPY_MODEL_picture"]}},
        "size": {"model_name": "IntSliderModel", "state": {"description": "kernel size", "value": 5}},
        "mode": {"model_name": "DropdownModel", "state": {"description": "mode", "index": 1,
                                                          "_options_labels": ["clip", "rescale"]}},
        "play": {"model_name": "PlayModel", "state": {"description": "play", "value": 1}},
        "grid": {"model_name": "GridBoxModel", "state": {"children": ["IPY_MODEL_w1", "IPY_MODEL_w2"],
                                                         "layout": "IPY_MODEL_grid_layout"}},
        "grid_layout": {"model_name": "LayoutModel", "state": {"grid_template_columns": "repeat(3, 68px)"}},
        "w1": {"model_name": "FloatTextModel", "state": {"value": -1.0}},
        "w2": {"model_name": "FloatTextModel", "state": {"value": 4.0}},
        "picture": {"model_name": "ImageModel", "state": {"format": "png", "layout": "IPY_MODEL_picture_layout",
                                                           "tooltip": 'output: the "box" kernel'},
                    "buffers": [{"path": ["value"], "encoding": "base64", "data": "iVBORw0KGgo="}]},
        "picture_layout": {"model_name": "LayoutModel", "state": {"width": "250px"}},
        "out": {"model_name": "OutputModel", "state": {"outputs": [
            {"output_type": "stream", "name": "stdout", "text": "drawn with size 5\n"}]}},
    }
    nb = _widget_notebook(site_tool, state, "box")
    static = site_tool.static_widgets(nb)
    assert "widgets" not in static.metadata
    note, captured = static.cells[0].outputs
    page = note.data["text/html"]
    assert "kernel size: <code>5</code>" in page
    assert "mode: <code>rescale</code>" in page
    assert "play:" not in page  # a Play button means nothing on a page
    assert '<div class="site-grid" style="grid-template-columns:repeat(3, 68px)"><code>-1.0</code><code>4.0</code></div>' in page
    # the picture's text alternative is the live view's tooltip (the playground says there what it shows)
    assert ('<img src="data:image/png;base64,iVBORw0KGgo=" alt="output: the &quot;box&quot; kernel" '
            'style="width:250px">') in page
    # the row's children sit in one flex row, the VBox's in a column
    assert page.index('class="site-vbox"') < page.index('class="site-hbox"') < page.index("kernel size") < page.index("<img")
    assert captured.text == "drawn with size 5\n"
    assert site_tool.WIDGET_VIEW in nb.cells[0].outputs[0].data  # the original is untouched


def _step_state(stored_html: str, kernel="sobel_x", border="valid", step=1) -> dict:
    return {
        "ui": {"model_name": "VBoxModel", "state": {"_dom_classes": ["conv-step-through"], "children": [
            "IPY_MODEL_menus", "IPY_MODEL_player", "IPY_MODEL_view"]}},
        "menus": {"model_name": "HBoxModel", "state": {"children": ["IPY_MODEL_kernel", "IPY_MODEL_border"]}},
        "kernel": {"model_name": "DropdownModel", "state": {"description": "kernel", "index": 0,
                                                            "_options_labels": [kernel]}},
        "border": {"model_name": "DropdownModel", "state": {"description": "border", "index": 0,
                                                            "_options_labels": [border]}},
        "player": {"model_name": "HBoxModel", "state": {"children": ["IPY_MODEL_play", "IPY_MODEL_step"]}},
        "play": {"model_name": "PlayModel", "state": {"description": "play", "value": step}},
        "step": {"model_name": "IntSliderModel", "state": {"description": "step", "value": step}},
        "view": {"model_name": "HTMLModel", "state": {"value": stored_html}},
    }


def test_the_step_through_view_becomes_a_player_of_every_step(site_tool):
    from helpers.widgets import STEP_KERNELS, step_html, step_sample

    kernel = STEP_KERNELS["sobel_x"]
    stored = step_html(step_sample(), kernel, 0, "valid")
    frames = site_tool.step_frames("ui", _step_state(stored))
    assert len(frames) == 16 and frames[0] == stored  # 6×6 input, 3×3 kernel, valid: 4×4 steps
    assert "step 16 of 16" in frames[-1]
    same = site_tool.step_frames("ui", _step_state(step_html(step_sample(), STEP_KERNELS["box 3×3"], 0, "reflect"),
                                                   kernel="box 3×3", border="reflect"))
    assert len(same) == 36  # a padding border: one step per input pixel
    page = site_tool.static_widgets(_widget_notebook(site_tool, _step_state(stored), "ui")).cells[0].outputs[0]
    html_text = page.data["text/html"]
    assert html_text.count('class="site-frame"') == 16 and html_text.count("hidden>") == 15
    assert 'type="range" min="1" max="16" value="1"' in html_text and "</span> / 16" in html_text
    assert "play: " not in html_text and "step: <code>" not in html_text
    assert "kernel: <code>sobel_x</code>" in html_text


def test_the_1d_explorer_becomes_a_player_of_every_shift(site_tool):
    import base64

    from helpers.widgets import Explorer1D

    live = Explorer1D(signal="step", kernel="difference [1, 0, -1]")
    stored = base64.b64encode(live.view.value).decode("ascii")
    state = {
        "ui": {"model_name": "VBoxModel", "state": {"_dom_classes": ["conv-explorer-1d"], "children": [
            "IPY_MODEL_signal", "IPY_MODEL_kernel", "IPY_MODEL_shift", "IPY_MODEL_view"]}},
        "signal": {"model_name": "DropdownModel", "state": {"description": "signal", "index": 0,
                                                            "_options_labels": ["step"]}},
        "kernel": {"model_name": "DropdownModel", "state": {"description": "kernel", "index": 0,
                                                            "_options_labels": ["difference [1, 0, -1]"]}},
        "shift": {"model_name": "IntSliderModel", "state": {"description": "shift n", "value": 0}},
        "view": {"model_name": "ImageModel", "state": {"format": "png"},
                 "buffers": [{"path": ["value"], "encoding": "base64", "data": stored}]},
    }
    frames = site_tool.explorer_frames("ui", state)
    assert len(frames) == live.shift.max + 1
    assert stored in frames[0] and stored not in frames[1]
    assert "n = 0:" in frames[0] and "n = 1:" in frames[1]
    page = site_tool.static_widgets(_widget_notebook(site_tool, state, "ui")).cells[0].outputs[0].data["text/html"]
    assert f'type="range" min="0" max="{live.shift.max}" value="0"' in page
    state["view"]["buffers"][0]["data"] = base64.b64encode(b"another picture").decode("ascii")
    assert site_tool.explorer_frames("ui", state) is None  # not what the widget draws: no player


def test_a_step_through_view_of_another_input_keeps_its_stored_view(site_tool):
    from helpers.widgets import STEP_KERNELS, step_html

    other = step_html([[1, 2, 3, 4], [5, 6, 7, 8], [9, 10, 11, 12], [13, 14, 15, 16]], STEP_KERNELS["sobel_x"], 0)
    assert site_tool.step_frames("ui", _step_state(other)) is None
    page = site_tool.static_widgets(_widget_notebook(site_tool, _step_state(other), "ui")).cells[0].outputs[0]
    assert "site-player" not in page.data["text/html"] and other in page.data["text/html"]


def test_build_refuses_to_empty_a_folder_it_did_not_make(site_tool, tmp_path):
    (tmp_path / "precious.txt").write_text("keep me")
    with pytest.raises(SystemExit, match="not built by this script"):
        site_tool.prepare(tmp_path)
    assert (tmp_path / "precious.txt").read_text() == "keep me"


# --------------------------------------------------------------------------- text alternatives

_PIXEL = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR4nGNgYGD4DwABBAEAHnOcQAAAAABJRU5ErkJggg=="


def _figure_notebook(alt: str | None):
    metadata = {"image/png": {"alt": alt}} if alt is not None else {}
    output = nbformat.v4.new_output("display_data", data={"image/png": _PIXEL, "text/plain": "<Figure>"},
                                    metadata=metadata)
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("helpers.show_images(...);", outputs=[output])])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    return nb


@pytest.mark.parametrize("kind", ["page", "deck"])
def test_a_figure_gets_the_alt_text_stored_with_it(site_tool, kind):
    described = site_tool.export(_figure_notebook("Panel: 'edges & <corners>', a 4×4 image"), "t", kind=kind)
    assert 'alt="Panel: \'edges &amp; &lt;corners&gt;\', a 4×4 image"' in described or \
        'alt="Panel: &#39;edges &amp; &lt;corners&gt;&#39;, a 4×4 image"' in described
    assert "No description has been provided" not in described
    # the check can fail: without the metadata nbconvert's placeholder is all a reader gets
    undescribed = site_tool.export(_figure_notebook(None), "t", kind=kind)
    assert "No description has been provided" in undescribed


def test_every_figure_of_the_committed_notebooks_is_described(site):
    pages = [p for p in _pages(site) if "No description has been provided" in p.read_text(encoding="utf-8")]
    assert pages == []
    images = sum(p.read_text(encoding="utf-8").count('<img alt="Panel') for p in _pages(site))
    assert images > 50


def test_speaker_notes_stay_off_the_pages_and_in_the_decks_speaker_view(site, series):
    for lesson in series:
        if not lesson.has_solution:
            continue
        source = nbformat.read(ROOT / "notebooks/solutions" / f"{lesson.stem}.ipynb", as_version=4)
        notes = [c for c in source.cells if c.metadata.get("slideshow", {}).get("slide_type") == "notes"]
        assert notes, f"{lesson.stem}: no speaker notes"
        page = (site / "notebooks/solutions" / f"{lesson.stem}.html").read_text(encoding="utf-8")
        deck = (site / "notebooks/solutions" / f"{lesson.stem}.slides.html").read_text(encoding="utf-8")
        assert "Speaker notes" not in page, f"{lesson.stem}: the page shows the speaker notes"
        assert re.search(r'<aside class="notes">.*?Speaker notes', deck, re.S), lesson.stem
        student = (site / "notebooks" / f"{lesson.stem}.html").read_text(encoding="utf-8")
        assert "Speaker notes" not in student, lesson.stem
    assert "white-space: pre-wrap" in deck  # long code lines wrap on a slide


def test_a_decks_speaker_notes_are_its_sections_notes_formatted(site):
    """The decks are made from the presenter's copy (tools/presenter.py): notes after every section,
    rendered as HTML for reveal.js's speaker view, and 03.1's answer one key press after its kernels."""
    deck = (site / "notebooks/solutions/03_convolution_vs_cross_correlation.slides.html").read_text(encoding="utf-8")
    asides = re.findall(r'<aside class="notes">(.*?)</aside>', deck, re.S)
    assert len(asides) >= 12  # the title, eleven sections and the exercises
    assert any("<strong>Ask:</strong>" in a and "274" in a for a in asides), "the notes of 'Two formulas'"
    assert not any("**Ask:**" in a for a in asides), "notes left as raw Markdown"
    assert "querySelectorAll('aside.notes details')" in deck  # opened for the speaker view
    asked = deck.index("changes_under_turn")
    answer = deck.index("Exercise 03.1: correct")
    fragment = deck.rfind('class="fragment"', 0, answer)
    assert asked < fragment < answer
