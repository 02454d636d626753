#!/usr/bin/env python3
"""How long one update of notebook 06's playground takes (a benchmark, not a test).

One update is what a control change costs in the kernel: convolve with the
series' own NumPy code, compare with cv2.filter2D, convert to uint8, and
encode the output and difference images for the ipywidgets.Image views
(plus the kernel grid when the kernel changed). Each case flips one control
back and forth, as a user would, and times the whole callback; the median
over many flips is printed for a 512×512 photo and a 3×3 and a 21×21
kernel, against the targets of issue 4 (≤ 30 ms and ≤ 60 ms).

    .venv/bin/python bench/bench_playground.py [--repeats 30]

Timings depend on the machine and on what else it is doing; run it on an
idle machine, and read the breakdown to see where the time goes.
"""
from __future__ import annotations

import argparse
import os

import helpers
from helpers.timing import median_time
from helpers.widgets import (
    Playground,
    PlaygroundSettings,
    difference_image,
    encode_image,
    opencv_reference,
    own_method,
    playground_input,
    playground_kernel,
)

TARGETS_MS = {3: 30.0, 21: 60.0}

# (name, starting settings, the control flipped, the value it flips to and back from)
CASES = [
    ("3×3 sharpen, border", PlaygroundSettings(kernel="sharpen"), "border", "reflect101"),
    ("3×3 sobel_x, flip", PlaygroundSettings(kernel="sobel_x"), "operation", "convolve"),
    ("3×3 custom weight, rescale",
     PlaygroundSettings(kernel="custom", weights=(1, 2, 0, -1, 3, 1, 0, -2, 1), display="rescale"), "weight", 4.0),
    ("21×21 large_blur, border", PlaygroundSettings(kernel="large_blur"), "border", "reflect101"),
    ("21×21 box, clip/rescale", PlaygroundSettings(kernel="box", size=21), "display_mode", "rescale"),
    ("21×21 gaussian, sigma", PlaygroundSettings(kernel="gaussian", size=21, sigma=3.5), "sigma", 3.6),
]
COLOUR_CASES = [
    ("3×3 sharpen, colour", PlaygroundSettings(image="astronaut", color=True, kernel="sharpen"), "border", "wrap"),
    ("21×21 box, colour", PlaygroundSettings(image="astronaut", color=True, kernel="large_blur"), "border", "wrap"),
]


def median_ms(function, repeats: int) -> float:
    return 1000 * median_time(function, repeat=repeats)


def flipper(playground: Playground, control: str, value):
    """A function that moves one control to the other of two values, as a user would."""
    widget = playground.weights[4] if control == "weight" else getattr(playground, control)
    values = [widget.value, value]
    state = {"turn": 1}

    def flip():
        widget.value = values[state["turn"]]
        state["turn"] ^= 1

    return flip


def breakdown(settings: PlaygroundSettings, repeats: int) -> dict[str, float]:
    """The parts of one update, timed one by one."""
    image = playground_input(settings)
    kernel = playground_kernel(settings)
    method = own_method(kernel)
    apply = helpers.convolve if settings.operation == "convolve" else helpers.correlate
    output = apply(image, kernel, border=settings.border, method=method)
    reference = opencv_reference(image, kernel, settings.border, settings.operation)
    shown = helpers.to_uint8(output, settings.display)
    difference = difference_image(output - reference)
    return {
        f"ours ({method})": median_ms(lambda: apply(image, kernel, border=settings.border, method=method), repeats),
        "cv2.filter2D": median_ms(lambda: opencv_reference(image, kernel, settings.border, settings.operation), repeats),
        "to_uint8 + difference": median_ms(
            lambda: (helpers.to_uint8(output, settings.display), difference_image(output - reference)), repeats
        ),
        "encode both": median_ms(lambda: (encode_image(shown), encode_image(difference, lossless=True)), repeats),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeats", type=int, default=30, help="timed runs per case (default 30)")
    args = parser.parse_args()
    print(f"One playground update on a 512×512 photo: median of {args.repeats} runs "
          f"({os.cpu_count()} CPUs; convolve + compare + convert + encode)\n")
    print(f"{'case (control flipped)':<28} {'update':>9} {'target':>8}  verdict   breakdown (ms)")
    worst = {3: 0.0, 21: 0.0}
    for name, settings, control, value in CASES + COLOUR_CASES:
        playground = Playground(settings)
        total = median_ms(flipper(playground, control, value), args.repeats)
        assert playground.result.ok and playground.last_error == "", playground.result.message
        size = playground.result.kernel.shape[0]
        parts = breakdown(settings, max(5, args.repeats // 3))
        detail = ", ".join(f"{part} {ms:.1f}" for part, ms in parts.items())
        if settings.color:
            print(f"{name:<28} {total:7.1f}ms {'(info)':>8}  {'':8}  {detail}")
            continue
        target = TARGETS_MS[size]
        worst[size] = max(worst[size], total)
        verdict = "ok" if total <= target else "SLOW"
        print(f"{name:<28} {total:7.1f}ms {target:6.0f}ms  {verdict:8}  {detail}")
    print()
    for size, target in TARGETS_MS.items():
        print(f"slowest {size}×{size} grey update: {worst[size]:.1f} ms (target ≤ {target:.0f} ms)")


if __name__ == "__main__":
    main()
