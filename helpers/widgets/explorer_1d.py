"""The 1-D explorer of notebook 07: the flipped kernel sliding along a signal."""
from __future__ import annotations

import html

import ipywidgets as widgets
import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from ..signals import KERNELS_1D, SIGNALS_1D, Slide1D, slide_1d
from ..validation import check_choice
from .rendering import _Shell, show_in

#: The smallest text in the explorer's figure, in points (at 96 dpi, as shown).
FONT_PT = 10


class _Slide1DFigure:
    """One matplotlib figure, drawn off screen once and then updated in place.

    The axes, the signal and the titles are drawn once per (signal, kernel)
    and kept as a background; each shift restores that background and draws
    only the artists that move (matplotlib's "blitting"), several times
    faster than redrawing the figure. At 96 dpi one figure pixel is one
    screen pixel (the view shows it at its own width), so a font size in
    points is the size the student reads: none is below 10 pt.
    """

    def __init__(self, width: float = 8.0, height: float = 5.6, dpi: int = 96):
        self.figure = Figure(figsize=(width, height), dpi=dpi)
        self.canvas = FigureCanvasAgg(self.figure)
        self.axes = self.figure.subplots(3, 1, sharex=True)
        self._key = None

    def _build(self, signal, kernel, first) -> None:
        top, middle, bottom = self.axes
        for ax in self.axes:
            ax.clear()
            ax.axhline(0, color="#999", linewidth=0.8)
            ax.grid(alpha=0.3)
            ax.tick_params(labelsize=FONT_PT)
        full = np.convolve(signal, kernel)
        positions = first.positions
        top.plot(positions, first.signal, "o-", color="#555", label="signal x[j] (0 outside)")
        (self.kernel_line,) = top.plot(positions, first.placed_kernel, "s-", color="#ff7f0e",
                                       label="flipped kernel k[n − j]", animated=True)
        top.legend(loc="lower center", bbox_to_anchor=(0.5, 1.0), ncol=2, fontsize=FONT_PT, frameon=False)
        top.set_ylim(min(first.signal.min(), kernel.min(), 0) - 0.25, max(first.signal.max(), kernel.max(), 0) + 0.25)
        self.bars = middle.bar(positions, np.zeros(len(positions)), width=0.7, color="#2ca02c", animated=True)
        bound = max(np.abs(signal).max() * np.abs(kernel).max(), 1e-9) * 1.15
        middle.set_ylim(-bound, bound)
        middle.set_title("their products x[j] · k[n − j], where both exist", fontsize=FONT_PT + 1)
        (self.output_line,) = bottom.plot(positions, first.output, "o-", color="#1f77b4", animated=True)
        (self.current_dot,) = bottom.plot([], [], "o", color="#d62728", markersize=9, animated=True)
        spread = max(np.abs(full).max(), 1e-9)
        bottom.set_ylim(min(full.min(), 0) - 0.15 * spread, max(full.max(), 0) + 0.15 * spread)
        bottom.set_title("the output y[n] = sum of the products, built up to n", fontsize=FONT_PT + 1)
        bottom.set_xlabel("position (j in the top panels, n in the bottom one)", fontsize=FONT_PT)
        self.markers = [ax.axvline(0, color="#d62728", linewidth=1, alpha=0.6, animated=True) for ax in self.axes]
        self.figure.subplots_adjust(left=0.08, right=0.98, top=0.93, bottom=0.1, hspace=0.5)
        self.canvas.draw()  # everything that does not move
        self._background = self.canvas.copy_from_bbox(self.figure.bbox)

    def render(self, key, signal, kernel, slide) -> np.ndarray:
        """Draw ``slide`` (rebuilding the background when ``key`` changed); return the RGB pixels."""
        if key != self._key:
            self._build(signal, kernel, slide)
            self._key = key
        self.canvas.restore_region(self._background)
        self.kernel_line.set_ydata(slide.placed_kernel)
        for bar, height in zip(self.bars, np.nan_to_num(slide.products), strict=True):
            bar.set_height(height)
        self.output_line.set_ydata(slide.output)
        self.current_dot.set_data([slide.shift], [slide.value])
        for marker in self.markers:
            marker.set_xdata([slide.shift, slide.shift])
        moving = [self.kernel_line, *self.bars, self.output_line, self.current_dot, *self.markers]
        for artist in moving:
            artist.axes.draw_artist(artist)
        return np.asarray(self.canvas.buffer_rgba())[:, :, :3].copy()


def slide_text(slide) -> str:
    """One line for the explorer: which shift, which products, which output value."""
    if not isinstance(slide, Slide1D):
        raise TypeError(f"slide must be what helpers.signals.slide_1d returns (a Slide1D); got {slide!r}")
    taps = [f"{x:.3g}·{k:.3g}" if k >= 0 else f"{x:.3g}·({k:.3g})"
            for x, k in zip(slide.signal, slide.placed_kernel, strict=True) if np.isfinite(k)]
    return f"n = {slide.shift}: y[{slide.shift}] = " + " + ".join(taps) + f" = {slide.value:.3f}"


class Explorer1D(_Shell):
    """Slide the flipped kernel along a 1-D signal; watch the products and the output grow."""

    def __init__(self, signal: str = "step", kernel: str = "difference [1, 0, -1]"):
        check_choice(signal, "signal", tuple(SIGNALS_1D))
        check_choice(kernel, "kernel", tuple(KERNELS_1D))
        self._syncing = False
        short = {"description_width": "60px"}
        self.signal = widgets.Dropdown(options=list(SIGNALS_1D), value=signal, description="signal", style=short)
        self.kernel = widgets.Dropdown(options=list(KERNELS_1D), value=kernel, description="kernel", style=short)
        self.shift = widgets.IntSlider(value=0, min=0, max=1, description="shift n", style=short,
                                       layout=widgets.Layout(width="420px"))
        self.play = widgets.Play(min=0, max=1, interval=500, description="play")
        widgets.jslink((self.play, "value"), (self.shift, "value"))
        self.shift.add_class("conv-shift")
        self._figure = _Slide1DFigure()
        width = round(self._figure.figure.get_figwidth() * self._figure.figure.dpi)
        self.view = widgets.Image(format="png", layout=widgets.Layout(width=f"{width}px"))  # one to one
        self.view.add_class("conv-1d-view")
        self.status = widgets.HTML()
        self.slide = None
        self.ui = widgets.VBox([widgets.HBox([self.signal, self.kernel]), widgets.HBox([self.play, self.shift]),
                                self.status, self.view])
        self.ui.add_class("conv-explorer-1d")
        for control in (self.signal, self.kernel, self.shift):
            control.observe(self._on_change, names="value")
        self._resize()
        self._safely(self.update)

    def _arrays(self):
        return SIGNALS_1D[self.signal.value], KERNELS_1D[self.kernel.value]

    def _resize(self) -> None:
        signal, kernel = self._arrays()
        with self._quiet():
            self.shift.max = self.play.max = len(signal) + len(kernel) - 2
            self.shift.value = min(self.shift.value, self.shift.max)

    def _on_change(self, change) -> None:
        if self._syncing:
            return
        if change["owner"] is not self.shift:
            # Stop the play timer first: otherwise its next tick, sent for the old range while the
            # figure is rebuilt, moves the shift again behind the new drawing's back.
            self.play.playing = False
            self._safely(self._resize)
        self._safely(self.update)

    def update(self):
        signal, kernel = self._arrays()
        self.slide = slide_1d(signal, kernel, self.shift.value)
        pixels = self._figure.render((self.signal.value, self.kernel.value), signal, kernel, self.slide)
        show_in(self.view, pixels, lossless=True)
        self.status.value = f'<div style="font-size:13px;font-family:monospace">{html.escape(slide_text(self.slide))}</div>'
        return self.slide
