"""The static site (tools/build_site.py): every page is there and every internal link resolves.

The site is rendered once for this module (a few seconds); the link checker
itself is tested on tiny hand-made sites, so we know it can fail.
"""
import importlib.util
import re
import sys
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parent.parent


def _load(name: str):
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, ROOT / "tools" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclasses look their module up here
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def site_tool():
    return _load("build_site")


@pytest.fixture(scope="module")
def series():
    return _load("build_notebooks").lessons()


@pytest.fixture(scope="module")
def site(site_tool, tmp_path_factory):
    out = tmp_path_factory.mktemp("site")
    site_tool.build(out)
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
    for page in site.rglob("*.html"):
        for url in _links(site_tool, page):
            if site_tool.is_relative_url(url):
                assert ".ipynb" not in url.split("#")[0], f"{page.name}: {url}"


def test_pages_are_readable_on_a_phone_and_need_no_script_from_the_network(site):
    for page in site.rglob("*.html"):
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


def test_widget_outputs_become_static_notes_with_their_captured_outputs(site_tool):
    state = {
        "box": {"model_name": "VBoxModel", "state": {"children": [
            "IPY_MODEL_size", "IPY_MODEL_mode", "IPY_MODEL_grid", "IPY_MODEL_picture", "IPY_MODEL_out"]}},
        "size": {"model_name": "IntSliderModel", "state": {"description": "kernel size", "value": 5}},
        "mode": {"model_name": "DropdownModel", "state": {"description": "mode", "index": 1,
                                                          "_options_labels": ["clip", "rescale"]}},
        "grid": {"model_name": "GridBoxModel", "state": {"children": ["IPY_MODEL_w1", "IPY_MODEL_w2"]}},
        "w1": {"model_name": "FloatTextModel", "state": {"value": -1.0}},
        "w2": {"model_name": "FloatTextModel", "state": {"value": 4.0}},
        "picture": {"model_name": "ImageModel", "state": {"format": "png"},
                    "buffers": [{"path": ["value"], "encoding": "base64", "data": "iVBORw0KGgo="}]},
        "out": {"model_name": "OutputModel", "state": {"outputs": [
            {"output_type": "stream", "name": "stdout", "text": "drawn with size 5\n"}]}},
    }
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("interact(...)")])
    nb.cells[0].outputs = [nbformat.v4.new_output(
        "display_data", data={"text/plain": "VBox(...)", site_tool.WIDGET_VIEW: {"model_id": "box"}})]
    nb.metadata["widgets"] = {"application/vnd.jupyter.widget-state+json": {"state": state}}

    static = site_tool.static_widgets(nb)
    assert "widgets" not in static.metadata
    note, captured = static.cells[0].outputs
    assert "kernel size: <code>5</code>" in note.data["text/html"]
    assert "mode: <code>rescale</code>" in note.data["text/html"]
    assert "<code>-1.0</code> <code>4.0</code>" in note.data["text/html"]  # a grid of bare values on one line
    assert '<img src="data:image/png;base64,iVBORw0KGgo="' in note.data["text/html"]
    assert captured.text == "drawn with size 5\n"
    assert site_tool.WIDGET_VIEW in nb.cells[0].outputs[0].data  # the original is untouched


def test_build_refuses_to_empty_a_folder_it_did_not_make(site_tool, tmp_path):
    (tmp_path / "precious.txt").write_text("keep me")
    with pytest.raises(SystemExit, match="not built by this script"):
        site_tool.prepare(tmp_path)
    assert (tmp_path / "precious.txt").read_text() == "keep me"
