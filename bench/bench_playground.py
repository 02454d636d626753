#!/usr/bin/env python3
"""How long one update of notebook 07's playground takes (a benchmark, not a test).

One update is what a control change costs in the kernel: convolve with the
series' own NumPy code, compare with OpenCV, convert to uint8, and encode
the output and difference images for the ipywidgets.Image views (plus the
kernel grid when the kernel changed). Each case flips the border control
between two values that both need a full recompute, as a user would, and
times the whole callback; the table gives the median over many flips on the
512×512 photos ("camera" in grey, "astronaut" in colour) for kernels from
3×3 to 41×41, against the target of issue 12 (every update ≤ 30 ms), and
where the time goes (each part timed on its own, so they need not add up).

    .venv/bin/python bench/bench_playground.py [--repeats 30]

Timings depend on the machine and on what else it is doing; run it on an
idle machine.
"""
from __future__ import annotations

import argparse
import os

from helpers.timing import median_time
from helpers.widgets import (
    Playground,
    PlaygroundSettings,
    difference_image,
    encode_image,
    playground_input,
    playground_kernel,
    playground_plan,
)
from helpers.widgets.playground import shown_uint8

TARGET_MS = 30.0

# (name, settings without the image): every size from 3×3 to 41×41, separable or not.
CASES = [
    ("3×3 sharpen", PlaygroundSettings(kernel="sharpen")),
    ("3×3 custom", PlaygroundSettings(kernel="custom", weights=(1, 2, 0, -1, 3, 1, 0, -2, 1))),
    ("7×7 small_blur", PlaygroundSettings(kernel="small_blur")),
    ("11×11 gaussian", PlaygroundSettings(kernel="gaussian", size=11, sigma=2.0)),
    ("21×21 large_blur", PlaygroundSettings(kernel="large_blur")),
    ("21×21 gaussian", PlaygroundSettings(kernel="gaussian", size=21, sigma=3.5)),
    ("21×21 unsharp", PlaygroundSettings(kernel="unsharp", size=21, sigma=3.5)),
    ("31×31 gaussian", PlaygroundSettings(kernel="gaussian", size=31, sigma=5.0)),
    ("41×41 box", PlaygroundSettings(kernel="box", size=41)),
    ("41×41 gaussian", PlaygroundSettings(kernel="gaussian", size=41, sigma=7.0)),
    ("41×41 unsharp", PlaygroundSettings(kernel="unsharp", size=41, sigma=7.0, amount=1.5)),
]
IMAGES = {"grey": dict(image="camera", color=False), "colour": dict(image="astronaut", color=True)}


def median_ms(function, repeats: int) -> float:
    return 1000 * median_time(function, repeat=repeats)


def flipper(playground: Playground, control: str, value):
    """A function that moves one control to the other of two values, as a user would."""
    widget = getattr(playground, control)
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
    plan = playground_plan(image, kernel, settings.border, settings.operation)
    output = plan.run()
    reference = plan.run("opencv")
    shown = shown_uint8(output, settings.display)
    difference = difference_image(output - reference)
    return {
        "ours": median_ms(plan.run, repeats),
        "OpenCV": median_ms(lambda: plan.run("opencv"), repeats),
        "convert": median_ms(
            lambda: (shown_uint8(output, settings.display), difference_image(output - reference)), repeats
        ),
        "encode": median_ms(lambda: (encode_image(shown), encode_image(difference, lossless=True)), repeats),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeats", type=int, default=30, help="timed runs per case (default 30)")
    args = parser.parse_args()
    print(f"One playground update on a 512×512 photo: median of {args.repeats} border flips "
          f"({os.cpu_count()} CPUs; convolve + compare + convert + encode; target ≤ {TARGET_MS:.0f} ms)")
    print("load average before: {:.1f} {:.1f} {:.1f} (above the CPU count, other work slows every row)\n".format(
        *os.getloadavg()))
    header = f"{'kernel':<18} {'image':<7} {'method':<17} {'update':>8}  verdict  " \
             f"{'ours':>6} {'OpenCV':>7} {'convert':>8} {'encode':>7}"
    print(header)
    print("-" * len(header))
    worst = 0.0
    for name, base in CASES:
        for label, image in IMAGES.items():
            settings = PlaygroundSettings(**{**base.__dict__, **image})
            playground = Playground(settings)
            total = median_ms(flipper(playground, "border", "reflect101"), args.repeats)
            result = playground.result
            assert result.ok and playground.last_error == "", result.message
            parts = breakdown(settings, max(5, args.repeats // 3))
            worst = max(worst, total)
            verdict = "ok" if total <= TARGET_MS else "SLOW"
            print(f"{name:<18} {label:<7} {result.method:<17} {total:6.1f}ms  {verdict:<7}  "
                  f"{parts['ours']:6.1f} {parts['OpenCV']:7.1f} {parts['convert']:8.1f} {parts['encode']:7.1f}")
    print(f"\nslowest update: {worst:.1f} ms (target ≤ {TARGET_MS:.0f} ms); the last four columns are ms")
    print("load average after: {:.1f} {:.1f} {:.1f}".format(*os.getloadavg()))


if __name__ == "__main__":
    main()
