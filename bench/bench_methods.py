#!/usr/bin/env python3
"""How fast is each method of helpers.correlate, next to OpenCV and SciPy?

For the 512×512 "camera" photo as float64 and the replicate border
(cv2.BORDER_REPLICATE, scipy mode "nearest"), this prints the median time of
every method and of the two references, cv2.filter2D and
scipy.ndimage.correlate, for the seven kernels of the bank and Gaussians of
size 3, 7, 15 and 31; then each method's time divided by each reference's;
then PASS or FAIL for the series' speed targets:

1. method="auto" within 1.5× of cv2.filter2D for every kernel;
2. the series' own fastest method (loop, vectorized, separable, banded or fft, not
   opencv) no slower than scipy.ndimage.correlate for every kernel of 7×7 or
   more, and within 2× of it for 3×3.

How it measures. The pure-Python loop would take minutes on 512×512 with a
21×21 kernel, so it runs on a 64×64 crop and its time is multiplied by the
ratio of pixel counts (64; the work per pixel does not depend on the image
size): those numbers are marked "~". Every other time is measured on the
whole photo. The candidates for one kernel are timed in turns (a short
burst of calls of each, over and over), so a change in the machine's load
hits all of them alike; each call is timed on its own, the first call of
each burst is left out (it pays for the memory the previous candidate left
behind) and the median is reported.
OpenCV, "opencv" and "auto" form one group; SciPy and the series' own
methods another (the slow calls would otherwise leave the fast ones few turns).
This is a benchmark, not a test: the numbers depend on the machine, and the
exit status is 0 whatever the verdicts.

    python bench/bench_methods.py            # or: make bench
    python bench/bench_methods.py --quick    # fewer rounds, rougher numbers
    python bench/bench_methods.py --auto     # opencv against fft on images of 64² to 1024²,
                                             # grey and colour: the data behind method="auto"
"""
from __future__ import annotations

import argparse
import platform
import sys
import time

import cv2
import numpy as np
import scipy
from scipy import ndimage

import helpers
from helpers import convolution, validation
from helpers.convolution import OPENCV_BORDERS, SCIPY_MODES

BORDER = "replicate"
OWN_METHODS = ("loop", "vectorized", "separable", "banded", "fft")
METHODS = ("auto", "opencv", *OWN_METHODS)
REFERENCES = ("cv2.filter2D", "scipy.correlate")
LOOP_CROP = 64
AUTO_LIMIT = 1.5  # target 1: auto / cv2.filter2D
OWN_LIMIT_LARGE = 1.0  # target 2: own fastest / scipy, kernels of 7×7 or more
OWN_LIMIT_SMALL = 2.0  # target 2: own fastest / scipy, 3×3 kernels


def kernels() -> dict[str, np.ndarray]:
    """The bank, then Gaussians with sigma = size / 6 (the kernel spans ±3 sigma)."""
    chosen = {name: np.asarray(kernel) for name, kernel in helpers.KERNELS.items()}
    for size in (3, 7, 15, 31):
        chosen[f"gaussian_{size}"] = helpers.gaussian(size, size / 6)
    return chosen


def candidates(image: np.ndarray, kernel: np.ndarray) -> dict[str, tuple]:
    """name -> (function of no arguments, factor its time is multiplied by)."""
    crop = np.ascontiguousarray(image[:LOOP_CROP, :LOOP_CROP])
    flag, mode = OPENCV_BORDERS[BORDER], SCIPY_MODES[BORDER]
    chosen = {
        "cv2.filter2D": (lambda: cv2.filter2D(image, cv2.CV_64F, kernel, borderType=flag), 1.0),
        "scipy.correlate": (lambda: ndimage.correlate(image, kernel, mode=mode), 1.0),
    }
    for method in METHODS:
        if method in ("separable", "banded") and not helpers.is_separable(kernel):
            continue
        if method == "loop":
            scale = image.size / crop.size
            chosen[method] = (lambda m=method: helpers.correlate(crop, kernel, BORDER, m), scale)
        else:
            chosen[method] = (lambda m=method: helpers.correlate(image, kernel, BORDER, m), 1.0)
    return chosen


def measure(functions: dict[str, tuple], budget: float, min_rounds: int, clock=time.perf_counter) -> dict[str, float]:
    """Median seconds per call of each function, timed in turns.

    One round runs a short burst of calls of every function, in order;
    rounds repeat until ``budget`` seconds are spent (and at least
    ``min_rounds`` times), so a change in the machine's load hits every
    function alike. The first call of a burst is not counted (unless calls
    take over 50 ms): it pays for memory the previous function left in
    another state, and the steady state of each function is what we compare.
    """
    bursts = {}
    for name, (function, _) in functions.items():
        start = time.perf_counter()
        function()  # warm up, and learn how long one call takes
        single = time.perf_counter() - start
        bursts[name] = 1 if single > 0.05 else 1 + max(2, min(20, int(0.01 / single)))
    samples: dict[str, list[float]] = {name: [] for name in functions}
    spent, rounds = 0.0, 0
    while rounds < min_rounds or (spent < budget and rounds < 200):
        for name, (function, _) in functions.items():
            for call in range(bursts[name]):
                start = clock()
                function()
                elapsed = clock() - start
                spent += elapsed
                if call > 0 or bursts[name] == 1:
                    samples[name].append(elapsed)
        rounds += 1
    return {name: float(np.median(samples[name])) * functions[name][1] for name in functions}


def check_overhead(image: np.ndarray, kernel: np.ndarray, repeats: int = 2000) -> float:
    """Median seconds of the input checks one call of correlate makes (image and kernel)."""
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        validation.check_image(image)
        validation.check_kernel(kernel)
        times.append(time.perf_counter() - start)
    return float(np.median(times))


def table(title: str, rows: list[list[str]], header: list[str]) -> str:
    """A plain-text table: the first column left-aligned, the others right-aligned."""
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]

    def line(cells: list[str]) -> str:
        return "  ".join(
            c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(cells, widths, strict=True))
        )

    return "\n".join([title, line(header), "  ".join("-" * w for w in widths), *(line(r) for r in rows)])


GRID_SIDES = (64, 128, 224, 256, 288, 320, 512, 1024)
GRID_KERNELS = (3, 7, 11, 15, 21, 31, 41)


def auto_grid(budget: float, one_thread: bool) -> None:
    """Time "opencv" against "fft" on square images and kernels: the data behind "auto".

    For every image side, kernel side, grey or colour (3 channels) and two
    kinds of kernel (a Gaussian, which OpenCV may split into two passes, and
    random weights, which it cannot), print both median times and fft ÷
    opencv; "auto" should pick the FFT where that ratio is clearly below 1.

    With ``one_thread`` OpenCV runs on one thread (as scipy.fft does anyway)
    and the clock is that thread's CPU time: the work each method does, which
    other programs running on the machine hardly change (wall-clock times on
    a busy machine vary several-fold).
    """
    clock = time.perf_counter
    if one_thread:
        cv2.setNumThreads(1)
        clock = time.thread_time
    photo = helpers.load_image("astronaut", gray=False).astype(np.float64)
    photo = np.tile(photo, (2, 2, 1))  # 1024×1024
    rng = np.random.default_rng(0)
    what = "CPU time of one thread" if one_thread else "wall-clock time, every core"
    print(f"opencv and fft timed in turns ({what}), about {budget} s per cell; times in ms; border {BORDER!r}")
    print("the method auto picks now is in the last column\n")
    header = ["image", "kernel", "kind", "opencv", "fft", "fft/opencv", "auto picks"]
    for channels in (1, 3):
        rows = []
        for side in GRID_SIDES:
            image = np.ascontiguousarray(photo[:side, :side, 0] if channels == 1 else photo[:side, :side])
            for k in GRID_KERNELS:
                for kind in ("gaussian", "random"):
                    kernel = helpers.gaussian(k, k / 6) if kind == "gaussian" else rng.normal(size=(k, k))
                    print(f"  timing {channels} channel(s) {side} {k} {kind} ...", file=sys.stderr, flush=True)
                    times = measure(
                        {m: (lambda m=m, i=image, k=kernel: helpers.correlate(i, k, BORDER, m), 1.0) for m in ("opencv", "fft")},
                        budget,
                        min_rounds=5,
                        clock=clock,
                    )
                    picks = convolution.plan_correlation(image, kernel, BORDER).method
                    rows.append([
                        f"{side}×{side}", f"{k}×{k}", kind, f"{times['opencv'] * 1e3:.2f}",
                        f"{times['fft'] * 1e3:.2f}", f"{times['fft'] / times['opencv']:.2f}", picks,
                    ])
        print(table(f"{'grey' if channels == 1 else 'colour (3 channels)'}", rows, header) + "\n")


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="fewer, shorter rounds")
    parser.add_argument("--auto", action="store_true", help="only the opencv-against-fft grid behind method='auto'")
    parser.add_argument("--wall", action="store_true", help="with --auto: wall-clock time on every core")
    args = parser.parse_args(argv)
    budget = 0.3 if args.quick else 1.5
    if args.auto:
        auto_grid(budget / 3, one_thread=not args.wall)
        return 0

    image = helpers.load_image("camera").astype(np.float64)
    print(f"image: camera {image.shape[0]}×{image.shape[1]} float64, border {BORDER!r}")
    print(
        f"Python {platform.python_version()}, NumPy {np.__version__}, SciPy {scipy.__version__}, "
        f"OpenCV {cv2.__version__} ({cv2.getNumThreads()} threads), {platform.machine()}"
    )
    print(f"loop: timed on a {LOOP_CROP}×{LOOP_CROP} crop and scaled by the pixel count (marked ~)")
    print(f"median of calls timed in turns, bursts of calls, about {budget} s per group; times in ms\n")

    results: dict[str, dict[str, float]] = {}
    sizes: dict[str, str] = {}
    for name, kernel in kernels().items():
        sizes[name] = f"{kernel.shape[0]}×{kernel.shape[1]}"
        print(f"  timing {name} ({sizes[name]}) ...", file=sys.stderr, flush=True)
        chosen = candidates(image, kernel)
        # OpenCV and auto against each other, then SciPy against the series' own methods:
        # each group is timed in turns.
        fast = {n: f for n, f in chosen.items() if n in ("cv2.filter2D", "auto", "opencv")}
        slow = {n: f for n, f in chosen.items() if n not in fast}
        results[name] = measure(fast, budget, min_rounds=15) | measure(slow, budget, min_rounds=5)

    columns = [*REFERENCES, *METHODS]

    def cell(name: str, column: str, divisor: str | None) -> str:
        if column not in results[name]:
            return "-"
        value = results[name][column]
        mark = "~" if column == "loop" else ""
        if divisor is None:
            return f"{mark}{value * 1e3:.2f}" if value < 10 else f"{mark}{value * 1e3:.0f}"
        ratio = value / results[name][divisor]
        return f"{mark}{ratio:.2f}" if ratio < 100 else f"{mark}{ratio:.0f}"

    header = ["kernel", "size", *columns]
    for title, divisor in [
        ("Median time (ms)", None),
        ("Time ÷ cv2.filter2D (same border)", "cv2.filter2D"),
        ("Time ÷ scipy.ndimage.correlate (same border)", "scipy.correlate"),
    ]:
        rows = [[name, sizes[name], *(cell(name, c, divisor) for c in columns)] for name in results]
        print(table(title, rows, header) + "\n")

    kernel = helpers.KERNELS["sharpen"]
    overhead = check_overhead(image, kernel)
    auto_3 = results["sharpen"]["auto"]
    print(
        f"input checks (check_image + check_kernel) on the 512×512 photo: {overhead * 1e6:.0f} µs per call, "
        f"{100 * overhead / auto_3:.0f}% of method='auto' with sharpen (3×3)\n"
    )

    failures = 0
    worst_auto = max(results, key=lambda n: results[n]["auto"] / results[n]["cv2.filter2D"])
    ratio = results[worst_auto]["auto"] / results[worst_auto]["cv2.filter2D"]
    verdict = "PASS" if ratio <= AUTO_LIMIT else "FAIL"
    failures += verdict == "FAIL"
    print(
        f"{verdict}  auto within {AUTO_LIMIT}× of cv2.filter2D for every kernel "
        f"(worst: {worst_auto}, {ratio:.2f}×)"
    )
    for label, limit, chosen in [
        ("7×7 or more", OWN_LIMIT_LARGE, [n for n in results if kernels()[n].shape[0] >= 7]),
        ("3×3", OWN_LIMIT_SMALL, [n for n in results if kernels()[n].shape[0] == 3]),
    ]:
        best = {n: min((results[n][m], m) for m in OWN_METHODS if m in results[n]) for n in chosen}
        ratios = {n: best[n][0] / results[n]["scipy.correlate"] for n in chosen}
        worst = max(ratios, key=ratios.get)
        verdict = "PASS" if ratios[worst] <= limit else "FAIL"
        failures += verdict == "FAIL"
        print(
            f"{verdict}  own fastest method within {limit}× of scipy.ndimage.correlate, kernels {label} "
            f"(worst: {worst}, {best[worst][1]}, {ratios[worst]:.2f}×)"
        )
    print(f"\n{failures} target(s) failed" if failures else "\nevery target passed")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
