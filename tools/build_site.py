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
    assets/                           MathJax and reveal.js

With ``--slides`` every lesson (its solution notebook; 00 as it is) is also a
reveal.js deck beside its page, ``NN_name.slides.html``, listed on the front
page; cells go on slides by their ``slideshow`` metadata (tools/slides.py).

Pages use nbconvert's "lab" template (it sets a viewport meta tag) with a
little extra CSS for narrow screens: figures keep their size and scroll
sideways on a phone, output text wraps at spaces. Nothing is fetched from
another host: MathJax 3 (for the formulas) and reveal.js (for the decks) are
copied into ``assets/`` from ``node_modules/``, which ``tools/fetch_assets.py``
fills from package-lock.json (``make html`` and ``make slides`` run it; no
Node.js needed); require.js, mermaid
and the widget manager are left out. Widgets cannot run without a kernel, so
each widget output is replaced by a static view of its starting state, laid
out as the live boxes lay it out (rows, columns, grids, images at their
display width): the controls' values, the text and pictures its HTML and
Image widgets showed, then whatever its Output widgets captured. Play
buttons are left out; notebook 07's step-through view instead gets a player
of its every step, drawn at build time with ``helpers.widgets.step_html``.

After writing the pages the script checks every relative href and src
(including ``#anchors``) with :func:`broken_links` and exits 1 if one does
not resolve.
"""
from __future__ import annotations

import argparse
import base64
import copy
import functools
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

#: node_modules (filled by tools/fetch_assets.py from package-lock.json, as ``make html`` does) -> the site's assets/
ASSET_SOURCES = {
    "mathjax": ROOT / "node_modules" / "mathjax",
    "reveal.js": ROOT / "node_modules" / "reveal.js",
}
#: stands for the relative path from a page to the site's root; :meth:`Build.page` fills it in
SITE_ROOT = "__SITE_ROOT__"

SITE_CSS = """
main { max-width: 62rem; margin: 0 auto; }
/* WCAG 2.1 AA (tests/browser/test_accessibility_browser.py): text contrast of at least 4.5:1 on the code
   cells' #f5f5f5 and on white. JupyterLab greys the prompts of cells not in use to half opacity (2.2:1) and
   some of its syntax colours fall just short (numbers #080 4.3:1, operators #a2f 4.4:1, comments 4.2:1);
   these are the same hues, darkened. Declared on body, so they win over the template's :root values. */
body {
  --jp-cell-prompt-not-active-opacity: 1;
  --jp-mirror-editor-atom-color: #4747e0;
  --jp-mirror-editor-number-color: #007000;
  --jp-mirror-editor-operator-color: #8f1fd6;
  --jp-mirror-editor-meta-color: #8f1fd6;
  --jp-mirror-editor-comment-color: #3b7676;
  --jp-mirror-editor-bracket-color: #6b6b3e;
  --jp-mirror-editor-quote-color: #007a00;
  --jp-mirror-editor-hr-color: #6b6b6b;
  --jp-mirror-editor-error-color: #d00000;
  --jp-mirror-editor-variable-3-color: #00704a;
}
/* links inside text are underlined: told apart from the text around them by more than colour */
body .jp-RenderedHTMLCommon a:link, body .jp-RenderedHTMLCommon a:visited, body .site-widget a {
  text-decoration: underline;
}
/* what has the keyboard's focus is always framed */
body a:focus-visible, body button:focus-visible, body input:focus-visible, body [tabindex]:focus-visible {
  outline: 3px solid #0d47a1; outline-offset: 2px;
}
.jp-RenderedImage img, .jp-RenderedMarkdown img { max-width: 100%; height: auto; }
.jp-RenderedHTMLCommon table { display: block; overflow-x: auto; }
/* output text wraps at spaces (JupyterLab's own CSS breaks it anywhere, mid-word); "body" outranks
   the template's CSS, which comes after this */
body .jp-OutputArea-output pre { word-break: normal; overflow-wrap: break-word; }
.site-widget { border-left: 3px solid #bbb; padding: 0.2em 0.8em; margin: 0.3em 0; overflow-x: auto; }
.site-widget > p { margin: 0.2em 0; font-style: italic; }
.site-control { margin: 0.15em 0.6em 0.15em 0; }
.site-hbox { display: flex; flex-flow: row wrap; gap: 0.3em 0.8em; align-items: flex-start; }
.site-vbox { display: flex; flex-direction: column; gap: 0.2em; }
.site-grid { display: grid; gap: 2px; }
.site-widget img { max-width: 100%; height: auto; }
.site-player-controls { display: flex; flex-wrap: wrap; align-items: center; gap: 0.6em; margin: 0.3em 0; }
.site-player-controls button { font: inherit; padding: 0.15em 0.8em; min-width: 5.5em; }
.site-player-controls input[type=range] { width: min(420px, 60vw); }
@media (max-width: 40rem) {
  body .jp-InputPrompt, body .jp-OutputPrompt { display: none; }
  body .jp-Cell { padding: 2px 4px; }
  body .jp-RenderedHTMLCommon { padding-right: 0; }
  body .highlight pre { overflow-x: auto; }
  /* figures keep their size (text stays readable) and scroll sideways instead of shrinking */
  body .jp-RenderedImage { overflow-x: auto; }
  body .jp-RenderedImage img { max-width: none; }
}
"""

# MathJax 3 from the site itself, set up as nbconvert sets up its CDN copy
# ($...$ and \\(...\\) inline, $$...$$ and \\[...\\] displayed).
MATHJAX = """<script>
window.MathJax = {
  tex: {inlineMath: [['$', '$'], ['\\\\(', '\\\\)']], displayMath: [['$$', '$$'], ['\\\\[', '\\\\]']],
        processEscapes: true, processEnvironments: true, tags: 'ams'},
  options: {ignoreHtmlClass: 'tex2jax_ignore', processHtmlClass: 'tex2jax_process'}
};
</script>
<script defer src=\"""" + SITE_ROOT + '/assets/mathjax/es5/tex-chtml-full.js"></script>'

# The step-through players (see :func:`step_frames`): a button and a range
# input that show one frame of the widget's output at a time.
PLAYER_JS = """<script>
document.querySelectorAll('.site-player').forEach(function (player) {
  var frames = player.querySelectorAll('.site-frame');
  var range = player.querySelector('input[type=range]');
  var readout = player.querySelector('.site-readout');
  var button = player.querySelector('button');
  var interval = Number(player.dataset.interval) || 700, timer = null;
  var first = Number(range.min), last = Number(range.max);
  function show(n) {
    frames.forEach(function (frame, i) { frame.hidden = i !== n - first; });
    range.value = n; readout.textContent = n;
  }
  function stop() { clearInterval(timer); timer = null; button.textContent = '\\u25B6 play'; }
  range.addEventListener('input', function () { stop(); show(Number(range.value)); });
  button.addEventListener('click', function () {
    if (timer) { stop(); return; }
    if (Number(range.value) >= last) show(first);
    button.textContent = '\\u275A\\u275A pause';
    timer = setInterval(function () {
      var next = Number(range.value) + 1;
      if (next > last) { stop(); return; }
      show(next);
    }, interval);
  });
});
</script>"""

# Figures' text alternatives: nbconvert's lab template writes no alt attribute (its exporter then
# gives every image "No description has been provided for this image"), so the site's templates add
# the alt text the notebook stored with the picture, {"image/png": {"alt": ...}} in the output's
# metadata, which helpers/plotting.py writes for every figure.
IMAGE_ALT = "".join(
    f"{{% block data_{block} scoped %}}"
    f"{{%- set alttext = output | get_metadata('alt', '{mime}') -%}}"
    f"{{%- if alttext %}}{{{{ super() | replace('<img ', '<img alt=\"' ~ (alttext | escape_html) ~ '\" ', 1) }}}}"
    f"{{%- else %}}{{{{ super() }}}}{{%- endif %}}"
    f"{{% endblock data_{block} %}}\n"
    for block, mime in (("png", "image/png"), ("jpg", "image/jpeg"))
)

# The lab template without require.js, mermaid and the widget manager (nothing
# on these pages needs them, and they come from CDNs), with MathJax from the
# site, the site's CSS and the players' script.
TEMPLATE = (
    "{%- extends 'index.html.j2' -%}\n"
    "{%- block html_head_js_requirejs -%}{%- endblock html_head_js_requirejs -%}\n"
    "{%- block html_head_js_mermaidjs -%}{%- endblock html_head_js_mermaidjs -%}\n"
    "{%- block jupyter_widgets -%}{%- endblock jupyter_widgets -%}\n"
    "{%- block html_head_js_mathjax -%}" + MATHJAX + "{%- endblock html_head_js_mathjax -%}\n"
    "{% block extra_css %}<style type=\"text/css\">" + SITE_CSS + "</style>{% endblock extra_css %}\n"
    "{% block footer_js %}" + PLAYER_JS + "{% endblock footer_js %}\n"
    + IMAGE_ALT
)
TEMPLATE_NAME = "series_site.html.j2"

# A lesson as a reveal.js deck (nbconvert's reveal template): reveal.js and
# MathJax from the site, no jQuery, require.js or mermaid from a CDN.
DECK_CSS = SITE_CSS + """
.reveal .slides > section, .reveal .slides > section > section { height: 100%; overflow-y: auto; }
.reveal .jp-RenderedImage img { max-height: 70vh; width: auto; }
/* reveal.js writes the slide number white on 40 % black, #999 over a white slide (2.8:1); 70 % gives 7:1 */
.reveal .slide-number { background-color: rgba(0, 0, 0, 0.7); }
/* long code lines wrap on a slide instead of running off its right edge */
.reveal .jp-InputArea pre, .reveal .jp-OutputArea-output pre { white-space: pre-wrap; overflow-wrap: anywhere; }
"""
DECK_TEMPLATE = (
    "{%- extends 'index.html.j2' -%}\n"
    "{%- block html_head_js -%}{%- endblock html_head_js -%}\n"
    "{%- block jupyter_widgets -%}{%- endblock jupyter_widgets -%}\n"
    "{%- block html_head_js_mathjax -%}" + MATHJAX + "{%- endblock html_head_js_mathjax -%}\n"
    "{%- block html_head_css -%}<meta name=\"viewport\" content=\"width=device-width, initial-scale=1.0\">"
    "<style type=\"text/css\">" + DECK_CSS + "</style>{%- endblock html_head_css -%}\n"
    "{% block footer_js %}\n"
    f'<script src="{SITE_ROOT}/assets/reveal.js/dist/reveal.js"></script>\n'
    f'<script src="{SITE_ROOT}/assets/reveal.js/plugin/notes/notes.js"></script>\n'
    "<script>\n"
    "Reveal.initialize({controls: true, progress: true, hash: true, center: false, transition: 'slide',\n"
    "                   slideNumber: 'c/t', width: 1100, height: 780, plugins: [RevealNotes]});\n"
    "Reveal.on('slidechanged', function () { if (window.MathJax && MathJax.typesetPromise) MathJax.typesetPromise(); });\n"
    "// the notes cells wrap their text in a closed <details> (closed in JupyterLab's notebook view): open here\n"
    "document.querySelectorAll('aside.notes details').forEach(function (d) { d.open = true; });\n"
    "</script>\n" + PLAYER_JS + "\n{% endblock footer_js %}\n"
    + IMAGE_ALT
)
DECK_TEMPLATE_NAME = "series_deck.html.j2"

WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
WIDGET_NOTE = (
    "The controls below work only in a running notebook (JupyterLab); "
    "this is how they looked when the notebook was run (a step slider plays here too)."
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


def load_presenter():
    """tools/presenter.py as a module (the presenter's copy a lesson's deck is made from)."""
    load_generator()
    name = "presenter"
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, ROOT / "tools" / "presenter.py")
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]


def index_markdown(series, decks: list[str] = ()) -> str:
    """The front page: every lesson with its summary and its solutions (and its slides: ``decks``)."""
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
    if decks:
        lines += ["", "## Slides", "",
                  "Each lesson as a slide deck (reveal.js; arrow keys or space to move, Esc for an overview):", ""]
        lines += [f"- [{lesson.title}]({deck})" for lesson, deck in zip(series, decks, strict=True)]
    return "\n".join(lines) + "\n"


# --------------------------------------------------------------------------- widgets


def _model_id(reference: str) -> str:
    return reference.removeprefix("IPY_MODEL_") if isinstance(reference, str) else ""


def _layout(state: dict, values: dict) -> dict:
    """The state of a widget's Layout model (width, grid columns, ...), or {}."""
    return state.get(_model_id(values.get("layout", "")), {}).get("state", {})


def _style(**properties) -> str:
    shown = ";".join(f"{name.replace('_', '-')}:{html.escape(str(value))}"
                     for name, value in properties.items() if value)
    return f' style="{shown}"' if shown else ""


def _control_value(values: dict):
    """What a control shows: its chosen label(s) or its value (None for buttons and the like)."""
    if "_options_labels" in values:
        index = values.get("index")
        if isinstance(index, int):
            return values["_options_labels"][index]
        if isinstance(index, list):
            return ", ".join(values["_options_labels"][i] for i in index)
        return "(none)"
    return values.get("value")


def _controls(model_id: str, state: dict, found: dict) -> dict:
    """Every labelled control under ``model_id``: description -> shown value."""
    model = state.get(model_id, {})
    values = model.get("state", {})
    for child in values.get("children", []) or []:
        _controls(_model_id(child), state, found)
    if values.get("description") and _control_value(values) is not None:
        found[str(values["description"])] = _control_value(values)
    return found


def step_frames(box_id: str, state: dict) -> list[str] | None:
    """Every step of notebook 07's step-through view, as the widget's HTML view shows it.

    Drawn with ``helpers.widgets.step_html`` on the view's default input
    (``step_sample()``) for the kernel and border the menus show. None when
    the first frame is not what the notebook stored (the widget was given
    another input): the page then shows the stored view alone.
    """
    from helpers.stepping import step_count
    from helpers.widgets import STEP_KERNELS, step_html, step_sample

    chosen = _controls(box_id, state, {})
    kernel_name, border = chosen.get("kernel"), chosen.get("border")
    if kernel_name not in STEP_KERNELS or not isinstance(border, str):
        return None
    image, kernel = step_sample(), STEP_KERNELS[kernel_name]
    frames = [step_html(image, kernel, index, border) for index in range(step_count(image, kernel, border))]
    stored = [m["state"].get("value", "") for m in _descendants(box_id, state)
              if m.get("model_name") == "HTMLModel" and 'class="conv-step"' in m["state"].get("value", "")]
    position = int(chosen.get("step", 1))
    if not frames or stored != [frames[position - 1]]:
        return None
    return frames


def _descendants(model_id: str, state: dict) -> list[dict]:
    model = state.get(model_id)
    if model is None:
        return []
    found = [model]
    for child in model.get("state", {}).get("children", []) or []:
        found += _descendants(_model_id(child), state)
    return found


def explorer_frames(box_id: str, state: dict) -> list[str] | None:
    """Every shift of notebook 07's 1-D explorer: its status line and its picture, as the widget draws them.

    Drawn by a ``helpers.widgets.Explorer1D`` for the signal and kernel the
    menus show (no kernel needed: the widget draws with matplotlib off
    screen). None when its first picture is not the one the notebook stored.
    """
    from helpers.signals import KERNELS_1D, SIGNALS_1D
    from helpers.widgets import Explorer1D

    chosen = _controls(box_id, state, {})
    if chosen.get("signal") not in SIGNALS_1D or chosen.get("kernel") not in KERNELS_1D:
        return None
    views = [m for m in _descendants(box_id, state) if m.get("model_name") == "ImageModel"]
    stored = [b["data"] for m in views for b in m.get("buffers", []) if b.get("path") == ["value"]]
    width = _layout(state, views[0]["state"]).get("width", "") if views else ""
    explorer = Explorer1D(signal=chosen["signal"], kernel=chosen["kernel"])
    frames, pictures = [], []
    for shift in range(explorer.shift.max + 1):
        explorer.shift.value = shift
        picture = base64.b64encode(explorer.view.value).decode("ascii")
        pictures.append(picture)
        frames.append(f'{explorer.status.value}<img src="data:image/{explorer.view.format};base64,{picture}" '
                      f'alt="the 1-D explorer at shift {shift}"{_style(width=width)}>')
    start = int(chosen.get("shift n", 0))
    if len(stored) != 1 or not 0 <= start < len(pictures) or pictures[start] != stored[0]:
        return None
    return frames


#: widget boxes (by CSS class) whose steps the page plays:
#: class -> (frame maker, the slider's description, its first value, ms per frame)
PLAYERS = {
    "conv-step-through": (step_frames, "step", 1, 700),
    "conv-explorer-1d": (explorer_frames, "shift n", 0, 500),
}


def player_html(frames: list[str], label: str, interval: int, start: int = 1, first: int = 1) -> str:
    """Frames shown one at a time, with a play button and a slider (wired by the page's script).

    The slider runs from ``first`` (the live slider's first value) and starts at ``start``.
    """
    last = first + len(frames) - 1
    shown = "".join(
        f'<div class="site-frame"{"" if number == start else " hidden"}>{frame}</div>'
        for number, frame in enumerate(frames, start=first)
    )
    return (
        f'<div class="site-player" data-interval="{interval}"><div class="site-player-controls">'
        '<button type="button" class="site-play">\u25b6 play</button>'
        f'<label>{html.escape(label)} <input type="range" min="{first}" max="{last}" value="{start}"></label>'
        f'<span><span class="site-readout">{start}</span> / {last}</span></div>{shown}</div>'
    )


def _widget_html(model_id: str, state: dict, outputs: list, seen: set) -> str:
    """One widget and its children as static HTML, laid out as the live widget lays them out.

    Boxes become flex rows (HBox) or columns (VBox), a GridBox a CSS grid with
    its columns, an Image its picture at the width the live view gives it;
    HTML and Label widgets show their text; a control shows its label and its
    value when the notebook was run. Play buttons (and buttons in general)
    are left out: they mean nothing on a page. A box whose class is in
    :data:`PLAYERS` keeps its menus and gets the page's own player instead
    of its slider. Output widgets' captured outputs go to ``outputs`` (the
    page renders them as ordinary outputs).
    """
    if model_id in seen or model_id not in state:
        return ""
    seen.add(model_id)
    model = state[model_id]
    name = model.get("model_name", "")
    values = model.get("state", {})
    layout = _layout(state, values)
    if layout.get("display") == "none" or layout.get("visibility") == "hidden":
        return ""
    if name == "OutputModel":
        outputs.extend(values.get("outputs", []))
        return ""
    player = next((PLAYERS[c] for c in values.get("_dom_classes", []) if c in PLAYERS), None)
    if player is not None:
        make_frames, label, first, interval = player
        frames = make_frames(model_id, state)
        if frames:
            chosen = _controls(model_id, state, {})
            menus = [f'<div class="site-control">{html.escape(k)}: <code>{html.escape(str(v))}</code></div>'
                     for k, v in chosen.items() if k != label and not isinstance(v, int | float)]
            start = int(chosen.get(label, first))
            return (f'<div class="site-vbox"><div class="site-hbox">{"".join(menus)}</div>'
                    f'{player_html(frames, label, interval, start, first)}</div>')
    children = values.get("children")
    if isinstance(children, list):
        inner = "".join(_widget_html(_model_id(c), state, outputs, seen) for c in children)
        if name == "GridBoxModel":
            return f'<div class="site-grid"{_style(grid_template_columns=layout.get("grid_template_columns"))}>{inner}</div>'
        kind = "site-hbox" if name == "HBoxModel" else "site-vbox"
        return f'<div class="{kind}"{_style(width=layout.get("width"))}>{inner}</div>'
    if name == "ImageModel":
        for buffer in model.get("buffers", []):
            if buffer.get("path") == ["value"] and buffer.get("encoding") == "base64":
                kind = html.escape(str(values.get("format", "png")))
                width = layout.get("width") or (f'{values["width"]}px' if str(values.get("width", "")).isdigit() else "")
                # the live view's tooltip (its picture's title) says what it shows, e.g. the playground's views
                alt = html.escape(str(values.get("tooltip") or "a picture drawn by the widget"), quote=True)
                return f'<img src="data:image/{kind};base64,{buffer["data"]}" alt="{alt}"{_style(width=width)}>'
        return ""
    if name in ("HTMLModel", "HTMLMathModel", "LabelModel"):
        text = str(values.get("value") or "")
        if not text:
            return ""
        return f"<div{_style(min_width=layout.get('min_width'))}>{html.escape(text) if name == 'LabelModel' else text}</div>"
    if name in ("PlayModel", "ButtonModel") or name.endswith("StyleModel") or name == "LayoutModel":
        return ""
    value = _control_value(values)
    if value is None:
        return ""
    shown = f"<code>{html.escape(str(value))}</code>"
    label = values.get("description")
    return f'<div class="site-control">{html.escape(str(label))}: {shown}</div>' if label else shown


def static_view(model_id: str, state: dict, outputs: list) -> str:
    """The note and the static HTML standing in for one widget output."""
    return f'<div class="site-widget"><p>{WIDGET_NOTE}</p>{_widget_html(model_id, state, outputs, set())}</div>'


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
            page_html = static_view(view.get("model_id", ""), state, captured)
            new_outputs.append(nbformat.v4.new_output("display_data", data={"text/html": page_html}))
            new_outputs.extend(nbformat.from_dict(o) for o in captured)
        if "outputs" in cell:
            cell.outputs = new_outputs
    return nb


# --------------------------------------------------------------------------- rendering


_EXPORTERS: dict = {}


def _exporter(kind: str):
    """nbconvert's HTML exporter with the site's template (``kind`` "page") or its slides exporter ("deck")."""
    if kind not in _EXPORTERS:
        import jinja2
        from nbconvert import HTMLExporter, SlidesExporter

        if kind == "page":
            _EXPORTERS[kind] = HTMLExporter(
                template_name="lab",
                template_file=TEMPLATE_NAME,
                extra_loaders=[jinja2.DictLoader({TEMPLATE_NAME: TEMPLATE})],
            )
        else:
            _EXPORTERS[kind] = SlidesExporter(
                template_name="reveal",
                template_file=DECK_TEMPLATE_NAME,
                extra_loaders=[jinja2.DictLoader({DECK_TEMPLATE_NAME: DECK_TEMPLATE})],
                reveal_url_prefix=f"{SITE_ROOT}/assets/reveal.js",
                reveal_theme="white",
            )
    return _EXPORTERS[kind]


def export(nb, title: str, kind: str = "page") -> str:
    """One notebook as an HTML page (nbconvert's lab template plus the site's CSS) or a deck."""
    body, _ = _exporter(kind).from_notebook_node(nb, resources={"metadata": {"name": title}})
    return body


def _read_and_title(path: Path):
    nb = nbformat.read(path, as_version=4)
    # The set-up cell gets the helpers package into a live Python; a page runs nothing, so it is left out.
    setup = load_generator().SETUP_TAG
    nb.cells = [c for c in nb.cells if setup not in c.get("metadata", {}).get("tags", [])]
    try:
        title, _ = load_generator().title_and_summary(nb)
    except SystemExit:
        title = path.stem
    if path.parent == SOLUTIONS:
        title += " (solutions)"
    return nb, title


def render_notebook(path: Path, transform=None) -> tuple[str, str | None]:
    """The page of one notebook file, and a warning if it was never run.

    ``transform(nb, path)``, if given, returns the notebook to render instead (the
    handouts' printed version, tools/handouts.py); the page keeps the file's place and links.
    """
    nb, title = _read_and_title(path)
    if transform is not None:
        nb = transform(nb, path)
    warning = None
    code = [c for c in nb.cells if c.cell_type == "code"]
    if code and all(not c.get("outputs") and c.get("execution_count") is None for c in code):
        warning = f"{path.relative_to(ROOT)} has never been run: rendered without outputs"
    return export(static_widgets(without_speaker_notes(nb)), title), warning


def without_speaker_notes(nb):
    """``nb`` without its RISE speaker notes (``slideshow`` type ``notes``): pages are for students.

    Decks keep them: reveal.js shows notes only in its speaker view (key S).
    """
    nb = copy.deepcopy(nb)
    nb.cells = [c for c in nb.cells if c.get("metadata", {}).get("slideshow", {}).get("slide_type") != "notes"]
    return nb


def render_deck(path: Path) -> tuple[str, None]:
    """One notebook as a reveal.js deck (its cells' ``slideshow`` metadata, see tools/slides.py).

    A lesson's deck is its presenter's copy (tools/presenter.py): the student's cell, then the
    answer one key press later, and speaker notes on every section for reveal.js's speaker view.
    """
    nb, title = _read_and_title(path)
    if path.parent == SOLUTIONS:
        nb = load_presenter().presenter_notebook(nb, path)
    return export(static_widgets(nb), title, kind="deck"), None


def render_all(paths: list[Path], jobs: int, render=render_notebook) -> list[tuple[str, str | None]]:
    """``render`` (:func:`render_notebook`) for every path, in ``jobs`` processes where the OS can fork."""
    if jobs > 1 and len(paths) > 1 and "fork" in multiprocessing.get_all_start_methods():
        context = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(max_workers=min(jobs, len(paths)), mp_context=context) as pool:
            return list(pool.map(render, paths))
    return [render(path) for path in paths]


def deck_path(repo_path: Path) -> Path:
    """Where a notebook's deck lands (relative to the site): beside its page, ``NN_name.slides.html``."""
    return repo_path.with_suffix(".slides.html")


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

    def page(self, source: Path, body: str, destination: Path | None = None) -> None:
        """Write one rendered page, its links pointed at the site.

        ``destination`` (relative to the site) defaults to the source's own
        place; a page elsewhere must sit in the same folder, so that the
        source's relative links still hold.
        """
        body = self.rewrite_links(body, source)
        destination = self.out / (destination or site_path(source.relative_to(ROOT)))
        root = Path(os.path.relpath(self.out, destination.parent)).as_posix()
        body = body.replace(SITE_ROOT, root)
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


def copy_assets(out: Path, slides: bool) -> None:
    """MathJax (and reveal.js for the decks) from node_modules into ``out/assets``.

    Only what the pages load: MathJax's ``tex-chtml-full.js`` with the
    components and fonts it loads itself; reveal.js with its white theme and
    notes plugin.
    """
    needed = ["mathjax", "reveal.js"] if slides else ["mathjax"]
    missing = [name for name in needed if not (ASSET_SOURCES[name] / "package.json").is_file()]
    if missing:
        raise SystemExit(
            f"{', '.join(missing)} not found in node_modules/: run `python tools/fetch_assets.py` in {ROOT} "
            "(`make html` and `make slides` do it; it needs Python and the npm registry once, no Node.js)"
        )
    mathjax = ASSET_SOURCES["mathjax"]
    target = out / "assets" / "mathjax"
    shutil.copytree(mathjax / "es5", target / "es5", ignore=lambda folder, names: [
        n for n in names
        if (Path(folder) == mathjax / "es5" and n.endswith(".js") and n != "tex-chtml-full.js") or n == "sre"
    ])
    shutil.copy2(mathjax / "LICENSE", target / "LICENSE")
    if slides:
        reveal = ASSET_SOURCES["reveal.js"]
        target = out / "assets" / "reveal.js"
        for name in ("dist/reveal.css", "dist/reveal.js", "dist/theme/white.css", "plugin/notes/notes.js"):
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(reveal / name, target / name)
        # the white theme's own font (other themes fetch theirs from Google's servers)
        shutil.copytree(reveal / "dist/theme/fonts/source-sans-pro", target / "dist/theme/fonts/source-sans-pro")
        shutil.copy2(reveal / "LICENSE", target / "LICENSE")


def build(out: Path = DEFAULT_OUT, notebooks: Iterable[Path] | None = None, jobs: int | None = None,
          slides: bool = False, transform=None) -> list[str]:
    """Render the site into ``out``; return the warnings (the caller checks the links).

    ``jobs`` notebooks are rendered at once (default: one per CPU). With
    ``slides``, every lesson (its solution notebook; 00 as it is) is also
    rendered as a reveal.js deck beside its page, and the front page lists them.
    ``transform(nb, path)`` changes each notebook before it is rendered (see :func:`render_notebook`).
    """
    out = Path(out).resolve()
    prepare(out)
    copy_assets(out, slides)
    site = Build(out)
    jobs = jobs or os.cpu_count() or 1
    if notebooks is None:
        notebooks = sorted(NOTEBOOKS.glob("*.ipynb")) + sorted(SOLUTIONS.glob("*.ipynb"))
    paths = [Path(p).resolve() for p in notebooks]
    render = render_notebook if transform is None else functools.partial(render_notebook, transform=transform)
    for path, (body, warning) in zip(paths, render_all(paths, jobs, render), strict=True):
        if warning:
            site.warnings.append(warning)
        site.page(path, body)
    series = load_generator().lessons()
    decks = []
    if slides:
        sources = [SOLUTIONS / lesson.filename if lesson.has_solution else NOTEBOOKS / lesson.filename
                   for lesson in series]
        for path, (body, _) in zip(sources, render_all(sources, jobs, render_deck), strict=True):
            site.page(path, body, destination=deck_path(path.relative_to(ROOT)))
        decks = [deck_path(path.relative_to(ROOT)).as_posix() for path in sources]
    site.markdown(ROOT / "index.md", text=index_markdown(series, decks), title="Image convolution: the series")
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
    parser.add_argument("--slides", action="store_true", help="also render every lesson as a reveal.js deck")
    args = parser.parse_args(argv)
    start = time.perf_counter()
    warnings = build(args.out, jobs=args.jobs, slides=args.slides)
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
