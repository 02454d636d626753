"""Slide boundaries for the lessons: the rule that gives every cell its ``slideshow`` metadata.

RISE (live slides in JupyterLab) and nbconvert's slides exporter (the static
decks of ``make slides``) both read ``cell.metadata.slideshow.slide_type``:

    "slide"      starts a new slide (left/right arrows move between these)
    "subslide"   starts a new slide below the current one (space and the
                 down arrow reach it; reveal.js's vertical stack)
    "fragment"   appears on the same slide at the next key press
    "skip"       is never shown
    "-"          (or no metadata) continues the slide above

:func:`with_slides` applies this rule, in order, to every cell that does not
carry a ``slideshow`` entry yet (a cell that has one keeps it, so an author
can overrule the rule in the solution notebook):

1. navigation cells ("previous | contents | next") are skipped;
2. the first Markdown cell with a ``# `` title, every ``## `` section and
   every exercise (a Markdown cell starting ``**Exercise``) start a slide;
3. a ``### `` subsection starts a subslide;
4. fragments, where holding something back helps: a code cell tagged
   ``prediction`` (its output answers a "predict first" question) and the
   Markdown cell right after it; a cell holding an answer (a solution block
   of the solution notebook, the placeholder in the student version);
5. long slides are cut (:func:`with_long_slides_cut`): when the slide so far
   would grow past :data:`SLIDE_LINES` estimated lines, the next cell the rule
   left alone starts a subslide. The estimate counts source lines (Markdown
   wrapped at 100 characters) and :data:`FIGURE_LINES` for a cell that draws.
"""
from __future__ import annotations

import copy

SLIDE, SUBSLIDE, FRAGMENT, SKIP = "slide", "subslide", "fragment", "skip"
NAV_TAG = "navigation"
PREDICTION_TAG = "prediction"
#: lines that mark an answer in a solution notebook or its student version
ANSWER_MARKS = ("# BEGIN SOLUTION", "<!-- BEGIN SOLUTION -->", "# Your answer here.", "*Your answer here.*")


def _tags(cell) -> list[str]:
    return cell.get("metadata", {}).get("tags", [])


def slide_type(cell, previous=None, first_title: bool = False) -> str | None:
    """The slide type the rule gives ``cell`` (None: it continues the slide above).

    ``previous`` is the cell before it; ``first_title`` is True for the
    notebook's title cell.
    """
    if NAV_TAG in _tags(cell):
        return SKIP
    source = cell.source.lstrip()
    if cell.cell_type == "markdown":
        if first_title or source.startswith("## ") or source.startswith("**Exercise"):
            return SLIDE
        if source.startswith("### "):
            return SUBSLIDE
        if previous is not None and PREDICTION_TAG in _tags(previous):
            return FRAGMENT
    if PREDICTION_TAG in _tags(cell):
        return FRAGMENT
    if any(line.strip() in ANSWER_MARKS for line in cell.source.splitlines()):
        return FRAGMENT
    return None


#: about one projector screen and a half: a slide taller than this is cut below the cell that fills it
SLIDE_LINES = 45
#: the height of a figure, in lines of text
FIGURE_LINES = 18
DRAWS = ("plt.show()", "show_images(", "show_products(", "display(")


def estimated_lines(cell) -> int:
    """A rough height of ``cell`` on a slide, in lines of text (its stored outputs are not used)."""
    lines = cell.source.splitlines() or [""]
    if cell.cell_type == "markdown":
        return sum(1 + len(line) // 100 for line in lines) + 1
    return len(lines) + 1 + (FIGURE_LINES if any(mark in cell.source for mark in DRAWS) else 0)


def with_long_slides_cut(nb):
    """``nb`` with a subslide where a slide would grow past :data:`SLIDE_LINES` (rule 5).

    Only cells that carry no ``slideshow`` metadata can start the cut; a cell that has
    one (a slide, subslide or fragment) resets or joins the count as it is.
    """
    height = 0
    for cell in nb.cells:
        kind = cell.metadata.get("slideshow", {}).get("slide_type")
        size = estimated_lines(cell)
        if kind in (SLIDE, SUBSLIDE):
            height = size
        elif kind == SKIP or kind == "notes":
            continue
        elif kind is None and height and height + size > SLIDE_LINES:
            cell.metadata["slideshow"] = {"slide_type": SUBSLIDE}
            height = size
        else:
            height += size
    return nb


def with_slides(nb):
    """A copy of ``nb`` where every cell without ``slideshow`` metadata gets the rule's."""
    nb = copy.deepcopy(nb)
    title_seen = False
    previous = None
    for cell in nb.cells:
        first_title = (
            not title_seen and cell.cell_type == "markdown" and NAV_TAG not in _tags(cell)
            and cell.source.lstrip().startswith("# ")
        )
        title_seen = title_seen or first_title
        kind = slide_type(cell, previous, first_title)
        if "slideshow" not in cell.metadata and kind is not None:
            cell.metadata["slideshow"] = {"slide_type": kind}
        previous = cell
    return with_long_slides_cut(nb)
