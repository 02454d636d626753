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
kernel, so each widget output is replaced by a short note listing the
controls' starting values, followed by whatever its Output widgets captured
when the notebook was run; require.js and the widget manager are left out.

After writing the pages the script checks every relative href and src
(including ``#anchors``) with :func:`broken_links` and exits 1 if one does
not resolve.
"""
from __future__ import annotations

import argparse
import copy
import html
import importlib.util
import os
import re
import shutil
import sys
import time
from collections.abc import Iterable
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
    "Interactive controls work only in a running notebook (JupyterLab); "
    "here they are listed with their starting values."
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
    for lesson in series:
        line = f"- **{lesson.number}** [{lesson.title}](notebooks/{lesson.filename})"
        if lesson.summary:
            line += f": {lesson.summary}"
        if lesson.has_solution:
            line += f" ([solutions](notebooks/solutions/{lesson.filename}))"
        lines.append(line)
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


def _describe_widgets(model_id: str, state: dict, controls: list[str], outputs: list, seen: set) -> None:
    """Walk one widget and its children: control values into ``controls``, captured outputs into ``outputs``."""
    if model_id in seen or model_id not in state:
        return
    seen.add(model_id)
    model = state[model_id]
    name = model.get("model_name", "")
    values = model.get("state", {})
    if name == "OutputModel":
        outputs.extend(values.get("outputs", []))
        return
    children = values.get("children")
    if isinstance(children, list):
        for child in children:
            if isinstance(child, str):
                _describe_widgets(_model_id(child), state, controls, outputs, seen)
        return
    label = values.get("description") or name.removesuffix("Model")
    if "_options_labels" in values:
        index = values.get("index")
        if isinstance(index, int):
            value = values["_options_labels"][index]
        elif isinstance(index, list):
            value = ", ".join(values["_options_labels"][i] for i in index)
        else:
            value = "(none)"
    elif name in ("HTMLModel", "HTMLMathModel", "LabelModel"):
        if values.get("value"):
            controls.append(html.escape(str(values["value"])) if name == "LabelModel" else str(values["value"]))
        return
    elif "value" in values:
        value = values["value"]
    else:
        return  # buttons, layouts and styles have nothing to show
    controls.append(f"{html.escape(str(label))}: <code>{html.escape(str(value))}</code>")


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
            controls: list[str] = []
            captured: list = []
            _describe_widgets(view.get("model_id", ""), state, controls, captured, set())
            items = "".join(f"<li>{c}</li>" for c in controls)
            note = f'<div class="site-widget"><p>{WIDGET_NOTE}</p>' + (f"<ul>{items}</ul>" if items else "")
            new_outputs.append(nbformat.v4.new_output("display_data", data={"text/html": note + "</div>"}))
            new_outputs.extend(nbformat.from_dict(o) for o in captured)
        if "outputs" in cell:
            cell.outputs = new_outputs
    return nb


# --------------------------------------------------------------------------- rendering


def make_exporter():
    import jinja2
    from nbconvert import HTMLExporter

    return HTMLExporter(
        template_name="lab",
        template_file=TEMPLATE_NAME,
        extra_loaders=[jinja2.DictLoader({TEMPLATE_NAME: TEMPLATE})],
    )


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
        self.exporter = make_exporter()
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

    def write(self, nb, source: Path, title: str) -> None:
        body, _ = self.exporter.from_notebook_node(nb, resources={"metadata": {"name": title}})
        body = self.rewrite_links(body, source)
        destination = self.out / site_path(source.relative_to(ROOT))
        destination.parent.mkdir(parents=True, exist_ok=True)
        destination.write_text(body, encoding="utf-8")
        self.done.add(source)

    def notebook(self, path: Path) -> None:
        nb = nbformat.read(path, as_version=4)
        code = [c for c in nb.cells if c.cell_type == "code"]
        if code and all(not c.get("outputs") and c.get("execution_count") is None for c in code):
            self.warnings.append(f"{path.relative_to(ROOT)} has never been run: rendered without outputs")
        try:
            title, _ = load_generator().title_and_summary(nb)
        except SystemExit:
            title = path.stem
        if path.parent == SOLUTIONS:
            title += " (solutions)"
        self.write(static_widgets(nb), path, title)

    def markdown(self, path: Path, text: str | None = None, title: str | None = None) -> None:
        """A Markdown file (or ``text`` standing in for ``path``) as a one-cell page."""
        text = path.read_text(encoding="utf-8") if text is None else text
        if title is None:
            heading = next((line[2:] for line in text.splitlines() if line.startswith("# ")), path.stem)
            title = heading.strip()
        nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell(text)])
        nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
        self.write(nb, path, title)


def prepare(out: Path) -> None:
    """Empty ``out`` if this script built it; refuse to touch any other non-empty folder."""
    if out.exists() and any(out.iterdir()):
        if not (out / MARKER).exists():
            raise SystemExit(f"{out} is not empty and was not built by this script; choose another --out")
        shutil.rmtree(out)
    out.mkdir(parents=True, exist_ok=True)
    (out / MARKER).write_text("written by tools/build_site.py; this folder is emptied on every build\n")


def build(out: Path = DEFAULT_OUT, notebooks: Iterable[Path] | None = None) -> list[str]:
    """Render the site into ``out``; return the warnings (the caller checks the links)."""
    out = Path(out).resolve()
    prepare(out)
    site = Build(out)
    if notebooks is None:
        notebooks = sorted(NOTEBOOKS.glob("*.ipynb")) + sorted(SOLUTIONS.glob("*.ipynb"))
    for path in notebooks:
        site.notebook(Path(path))
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
    args = parser.parse_args(argv)
    start = time.perf_counter()
    warnings = build(args.out)
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
