#!/usr/bin/env python3
"""Render the executed notebooks into a static site that reads without Python.

    python tools/build_site.py              # writes site/ (git-ignored)
    python tools/build_site.py --out DIR    # writes DIR instead

The notebooks are not run again: every page shows the outputs stored in the
committed notebook. The site mirrors the repository's layout, so a relative
link that works in JupyterLab works in the site once its ``.ipynb`` (or
``.md``) ending becomes ``.html``:

    index.html                        the series, from the lesson list the generator uses
    notebooks/NN_name.html            each student notebook (00_start_here is the contents page)
    notebooks/solutions/NN_name.html  each solution notebook
    docs/teaching.html                the teacher's guide (and any other linked Markdown file)

Pages use nbconvert's "lab" template (it sets a viewport meta tag) with a
little extra CSS for narrow screens. Nothing is fetched to show a page,
except MathJax, which the template loads from a CDN to typeset formulas
(offline, formulas show as their LaTeX source). Widgets cannot run without a
kernel, so each widget output is replaced by a static view of its starting
state: the controls' values, the text and pictures its HTML and Image widgets
showed, then whatever its Output widgets captured when the notebook was run;
require.js and the widget manager are left out.

After writing the pages the script checks every relative href and src
(including ``#anchors``) with :func:`broken_links` and exits 1 if one does
not resolve.
"""
from __future__ import annotations

import argparse
import copy
import html
import importlib.util
import multiprocessing
import os
import re
import shutil
import sys
import time
from collections.abc import Iterable
from concurrent.futures import ProcessPoolExecutor
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import nbformat

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"
SOLUTIONS = NOTEBOOKS / "solutions"
GUIDE = ROOT / "docs" / "teaching.md"
DEFAULT_OUT = ROOT / "site"
#: written into every site this script builds; only such a folder is ever emptied.
MARKER = ".built-by-build_site"

SITE_CSS = """
main { max-width: 62rem; margin: 0 auto; }
.jp-RenderedImage img, .jp-RenderedMarkdown img { max-width: 100%; height: auto; }
.jp-RenderedHTMLCommon table { display: block; overflow-x: auto; }
.site-widget { border-left: 3px solid #bbb; padding: 0.2em 0.8em; margin: 0.3em 0; }
.site-widget p { margin: 0.2em 0; font-style: italic; }
.site-control { margin: 0.15em 0; }
.site-images { display: flex; flex-wrap: wrap; gap: 0.5em; align-items: flex-start; margin: 0.4em 0; }
.site-images img { max-width: 100%; height: auto; }
@media (max-width: 40rem) {
  .jp-InputPrompt, .jp-OutputPrompt { display: none; }
  .jp-Cell { padding: 2px 4px; }
  .jp-RenderedHTMLCommon { padding-right: 0; }
  .highlight pre, .jp-OutputArea-output pre { overflow-x: auto; }
}
"""

# The lab template, without require.js (nothing on these pages needs it) and
# with the site's CSS added.
TEMPLATE = (
    "{%- extends 'index.html.j2' -%}\n"
    "{%- block html_head_js_requirejs -%}{%- endblock html_head_js_requirejs -%}\n"
    "{% block extra_css %}<style type=\"text/css\">" + SITE_CSS + "</style>{% endblock extra_css %}\n"
)
TEMPLATE_NAME = "series_site.html.j2"

WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
WIDGET_NOTE = (
    "The controls below work only in a running notebook (JupyterLab); "
    "this is how they looked when the notebook was run."
)
LINK_ATTRIBUTE = re.compile(r"""(\b(?:href|src)\s*=\s*)(["'])(.*?)\2""", re.IGNORECASE)


# --------------------------------------------------------------------------- the lesson list


def load_generator():
    """tools/build_notebooks.py as a module (for ``lessons()`` and ``title_and_summary``)."""
    name = "build_notebooks"
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, ROOT / "tools" / "build_notebooks.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclasses look their module up here
    spec.loader.exec_module(module)
    return module


def index_markdown(series) -> str:
    """The front page: every lesson with its summary and its solutions."""
    lines = [
        "# Image convolution, from a 2×2 score to the full convolver",
        "",
        "A notebook series read as web pages: every page shows the outputs of a full run "
        "of its notebook. To run the code yourself, clone the repository and type `make lab`.",
        "",
        "## Lessons",
        "",
    ]
    lines.append(load_generator().contents_markdown(series, "notebooks/"))
    if GUIDE.exists():
        lines += [
            "",
            "## For teachers",
            "",
            "The [teacher's guide](docs/teaching.md) gives, for each notebook, the time it takes "
            "in class, where to stop, what students ask and get wrong, and which exercises to set.",
        ]
    return "\n".join(lines) + "\n"


# --------------------------------------------------------------------------- widgets


def _model_id(reference: str) -> str:
    return reference.removeprefix("IPY_MODEL_")


def _widget_parts(model_id: str, state: dict, outputs: list, seen: set) -> list[tuple[str, str]]:
    """One widget and its children as static pieces, in display order.

    Each piece is ``("control", html)`` for a control's starting value,
    ``("html", html)`` for text or HTML a widget shows, or ``("image", html)``
    for an Image widget's picture. Output widgets' captured outputs go to
    ``outputs`` instead (the page renders them as ordinary outputs).
    """
    if model_id in seen or model_id not in state:
        return []
    seen.add(model_id)
    model = state[model_id]
    name = model.get("model_name", "")
    values = model.get("state", {})
    if name == "OutputModel":
        outputs.extend(values.get("outputs", []))
        return []
    children = values.get("children")
    if isinstance(children, list):
        parts = []
        for child in children:
            if isinstance(child, str):
                parts += _widget_parts(_model_id(child), state, outputs, seen)
        return _join_bare_values(parts)
    if name == "ImageModel":
        for buffer in model.get("buffers", []):
            if buffer.get("path") == ["value"] and buffer.get("encoding") == "base64":
                kind = html.escape(str(values.get("format", "png")))
                return [("image", f'<img src="data:image/{kind};base64,{buffer["data"]}" alt="widget image">')]
        return []
    if name in ("HTMLModel", "HTMLMathModel", "LabelModel"):
        text = str(values.get("value") or "")
        return [("html", html.escape(text) if name == "LabelModel" else text)] if text else []
    if "_options_labels" in values:
        index = values.get("index")
        if isinstance(index, int):
            value = values["_options_labels"][index]
        elif isinstance(index, list):
            value = ", ".join(values["_options_labels"][i] for i in index)
        else:
            value = "(none)"
    elif "value" in values:
        value = values["value"]
    else:
        return []  # buttons, layouts and styles have nothing to show
    shown = f"<code>{html.escape(str(value))}</code>"
    label = values.get("description")
    return [("control", f"{html.escape(str(label))}: {shown}" if label else shown)]


def _join_bare_values(parts: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Put runs of unlabelled values (a grid of weights, say) on one line."""
    joined: list[tuple[str, str]] = []
    for kind, text in parts:
        bare = kind == "control" and text.startswith("<code>")
        if bare and joined and joined[-1][0] == "control" and joined[-1][1].startswith("<code>"):
            joined[-1] = ("control", f"{joined[-1][1]} {text}")
        else:
            joined.append((kind, text))
    return joined


def _static_view(parts: list[tuple[str, str]]) -> str:
    body = []
    for kind, text in parts:
        if kind == "image" and body and body[-1].startswith('<div class="site-images">'):
            body[-1] = body[-1][: -len("</div>")] + text + "</div>"
        elif kind == "image":
            body.append(f'<div class="site-images">{text}</div>')
        else:
            body.append(f'<div class="site-control">{text}</div>')
    return f'<div class="site-widget"><p>{WIDGET_NOTE}</p>{"".join(body)}</div>'


def static_widgets(nb):
    """A copy of ``nb`` whose widget outputs are replaced by static HTML and captured outputs.

    The widget state saved in the notebook's metadata is dropped, so the page
    does not try to load a widget manager from the network.
    """
    nb = copy.deepcopy(nb)
    widget_meta = nb.metadata.pop("widgets", {})
    state = widget_meta.get("application/vnd.jupyter.widget-state+json", {}).get("state", {})
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        new_outputs = []
        for output in cell.get("outputs", []):
            view = output.get("data", {}).get(WIDGET_VIEW)
            if view is None:
                new_outputs.append(output)
                continue
            captured: list = []
            parts = _widget_parts(view.get("model_id", ""), state, captured, set())
            new_outputs.append(nbformat.v4.new_output("display_data", data={"text/html": _static_view(parts)}))
            new_outputs.extend(nbformat.from_dict(o) for o in captured)
        if "outputs" in cell:
            cell.outputs = new_outputs
    return nb


# --------------------------------------------------------------------------- rendering


_EXPORTER = None


def export(nb, title: str) -> str:
    """One notebook as an HTML page (nbconvert's lab template plus the site's CSS)."""
    global _EXPORTER
    if _EXPORTER is None:
        import jinja2
        from nbconvert import HTMLExporter

        _EXPORTER = HTMLExporter(
            template_name="lab",
            template_file=TEMPLATE_NAME,
            extra_loaders=[jinja2.DictLoader({TEMPLATE_NAME: TEMPLATE})],
        )
    body, _ = _EXPORTER.from_notebook_node(nb, resources={"metadata": {"name": title}})
    return body


def render_notebook(path: Path) -> tuple[str, str | None]:
    """The page of one notebook file, and a warning if it was never run."""
    nb = nbformat.read(path, as_version=4)
    warning = None
    code = [c for c in nb.cells if c.cell_type == "code"]
    if code and all(not c.get("outputs") and c.get("execution_count") is None for c in code):
        warning = f"{path.relative_to(ROOT)} has never been run: rendered without outputs"
    try:
        title, _ = load_generator().title_and_summary(nb)
    except SystemExit:
        title = path.stem
    if path.parent == SOLUTIONS:
        title += " (solutions)"
    return export(static_widgets(nb), title), warning


def render_all(paths: list[Path], jobs: int) -> list[tuple[str, str | None]]:
    """:func:`render_notebook` for every path, in ``jobs`` processes where the OS can fork."""
    if jobs > 1 and len(paths) > 1 and "fork" in multiprocessing.get_all_start_methods():
        context = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(max_workers=min(jobs, len(paths)), mp_context=context) as pool:
            return list(pool.map(render_notebook, paths))
    return [render_notebook(path) for path in paths]


def site_path(repo_path: Path) -> Path:
    """Where a repository file lands in the site (relative): notebooks and Markdown become .html."""
    return repo_path.with_suffix(".html") if repo_path.suffix in (".ipynb", ".md") else repo_path


def is_relative_url(url: str) -> bool:
    parts = urlsplit(url)
    return not (parts.scheme or parts.netloc or url.startswith(("/", "#")) or url == "")


class Build:
    """One site build: pages still to render, files to copy, problems seen."""

    def __init__(self, out: Path):
        self.out = out
        self.markdown_queue: list[Path] = []
        self.done: set[Path] = set()
        self.copies: set[Path] = set()
        self.warnings: list[str] = []

    def rewrite_links(self, page_html: str, source: Path) -> str:
        """Point relative links at the site's pages; queue the Markdown and files they need.

        ``source`` is the repository path the page was made from; links are
        resolved against its folder, as JupyterLab resolves them.
        """

        def replace(match: re.Match) -> str:
            prefix, quote, url = match.groups()
            if not is_relative_url(url):
                return match.group(0)
            path_part, hash_mark, fragment = url.partition("#")
            path_part, question, query = path_part.partition("?")
            target = Path(os.path.normpath(source.parent / unquote(html.unescape(path_part))))
            if not target.is_relative_to(ROOT) or not target.is_file():
                return match.group(0)  # left as it is: the link check reports it
            is_href = prefix.strip().lower().startswith("href")
            if target.suffix == ".ipynb" and is_href:
                path_part = path_part[: -len(".ipynb")] + ".html"
            elif target.suffix == ".md" and is_href:
                if target not in self.done and target not in self.markdown_queue:
                    self.markdown_queue.append(target)
                path_part = path_part[: -len(".md")] + ".html"
            else:
                self.copies.add(target)
            return f"{prefix}{quote}{path_part}{question}{query}{hash_mark}{fragment}{quote}"

        return LINK_ATTRIBUTE.sub(replace, page_html)

    def page(self, source: Path, body: str) -> None:
        """Write one rendered page, its links pointed at the site."""
        body = self.rewrite_links(body, source)
        destination = self.out / site_path(source.relative_to(ROOT))
        destination.parent.mkdir(parents=True, exist_ok=True)
        destination.write_text(body, encoding="utf-8")
        self.done.add(source)

    def markdown(self, path: Path, text: str | None = None, title: str | None = None) -> None:
        """A Markdown file (or ``text`` standing in for ``path``) as a one-cell page."""
        text = path.read_text(encoding="utf-8") if text is None else text
        if title is None:
            heading = next((line[2:] for line in text.splitlines() if line.startswith("# ")), path.stem)
            title = heading.strip()
        nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell(text)])
        nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
        self.page(path, export(nb, title))


def prepare(out: Path) -> None:
    """Empty ``out`` if this script built it; refuse to touch any other non-empty folder."""
    if out.exists() and any(out.iterdir()):
        if not (out / MARKER).exists():
            raise SystemExit(f"{out} is not empty and was not built by this script; choose another --out")
        shutil.rmtree(out)
    out.mkdir(parents=True, exist_ok=True)
    (out / MARKER).write_text("written by tools/build_site.py; this folder is emptied on every build\n")


def build(out: Path = DEFAULT_OUT, notebooks: Iterable[Path] | None = None, jobs: int | None = None) -> list[str]:
    """Render the site into ``out``; return the warnings (the caller checks the links).

    ``jobs`` notebooks are rendered at once (default: one per CPU).
    """
    out = Path(out).resolve()
    prepare(out)
    site = Build(out)
    if notebooks is None:
        notebooks = sorted(NOTEBOOKS.glob("*.ipynb")) + sorted(SOLUTIONS.glob("*.ipynb"))
    paths = [Path(p).resolve() for p in notebooks]
    for path, (body, warning) in zip(paths, render_all(paths, jobs or os.cpu_count() or 1), strict=True):
        if warning:
            site.warnings.append(warning)
        site.page(path, body)
    series = load_generator().lessons()
    site.markdown(ROOT / "index.md", text=index_markdown(series), title="Image convolution: the series")
    if GUIDE.exists():
        site.markdown_queue.append(GUIDE)
    while site.markdown_queue:
        path = site.markdown_queue.pop(0)
        if path not in site.done:
            site.markdown(path)
    for path in sorted(site.copies):
        destination = out / path.relative_to(ROOT)
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(path, destination)
    return site.warnings


# --------------------------------------------------------------------------- checking links


class _PageScan(HTMLParser):
    """The link targets (href, src) and anchor names (id, name) of one HTML page."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.anchors: set[str] = set()

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if value is None:
                continue
            if name in ("href", "src"):
                self.links.append(value)
            elif name == "id" or (name == "name" and tag == "a"):
                self.anchors.add(value)

    handle_startendtag = handle_starttag


def scan(page: Path) -> _PageScan:
    parser = _PageScan()
    parser.feed(page.read_text(encoding="utf-8"))
    parser.close()
    return parser


def broken_links(site: Path) -> list[str]:
    """Every internal link of every page under ``site`` that does not resolve, as messages.

    Internal means relative (``page.html``, ``../img.png``, ``#anchor``) or
    root-absolute (``/x``, reported because it breaks when the site is not
    served from a domain's root). A link must stay inside ``site``, name an
    existing file (a folder needs an ``index.html``), and its ``#fragment``,
    if any, must be an ``id`` (or ``<a name>``) on the target page.
    Links with a scheme (``https:``, ``mailto:``, ``data:``) are not checked.
    """
    site = Path(site).resolve()
    scans = {page: scan(page) for page in sorted(site.rglob("*.html"))}
    problems = []
    for page, found in scans.items():
        where = page.relative_to(site)
        for url in found.links:
            parts = urlsplit(url)
            if parts.scheme or parts.netloc:
                continue
            if url.startswith("/"):
                problems.append(f"{where}: {url!r} is an absolute path; use a relative link")
                continue
            if parts.path:
                target = Path(os.path.normpath(page.parent / unquote(parts.path)))
                if not target.is_relative_to(site):
                    problems.append(f"{where}: {url!r} points outside the site")
                    continue
                if target.is_dir():
                    target = target / "index.html"
                if not target.is_file():
                    problems.append(f"{where}: {url!r} does not exist")
                    continue
            else:
                target = page
            fragment = parts.fragment
            if fragment and target.suffix == ".html":
                anchors = scans[target].anchors if target in scans else scan(target).anchors
                # Browsers try the fragment as written, then percent-decoded.
                if fragment not in anchors and unquote(fragment) not in anchors:
                    problems.append(f"{where}: {url!r} names no anchor #{fragment} on its page")
    return problems


def external_references(site: Path) -> dict[str, int]:
    """How many pages refer to each host outside the site (for the build summary)."""
    hosts: dict[str, int] = {}
    for page in Path(site).rglob("*.html"):
        for host in {urlsplit(u).netloc for u in scan(page).links if urlsplit(u).netloc}:
            hosts[host] = hosts.get(host, 0) + 1
    return hosts


# --------------------------------------------------------------------------- command line


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="output folder (default: site/)")
    parser.add_argument("--jobs", type=int, default=None, help="notebooks rendered at once (default: one per CPU)")
    args = parser.parse_args(argv)
    start = time.perf_counter()
    warnings = build(args.out, jobs=args.jobs)
    out = args.out.resolve()
    pages = sorted(out.rglob("*.html"))
    for warning in warnings:
        print(f"warning: {warning}")
    print(f"wrote {len(pages)} pages to {out} in {time.perf_counter() - start:.1f} s")
    for host, count in sorted(external_references(out).items()):
        print(f"  external: {host} (on {count} pages)")
    problems = broken_links(out)
    for problem in problems:
        print(f"broken link: {problem}")
    if problems:
        return 1
    print(f"all internal links resolve; open {out / 'index.html'}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
