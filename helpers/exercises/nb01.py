"""Checks for the exercises of notebook 01 (edge-confidence scores on 2×2 images).

01.1  the two scores of a new patch, as a pair (horizontal, vertical);
01.2  a 2×2 kernel that detects a diagonal edge (bright top-left corner);
01.3  the 0..255 patch that the horizontal-edge kernel scores highest;
01.4  ``ncc(window, template)``: the normalised cross-correlation score of one window.

Expected values are worked out here with plain sums of products, not with
``helpers.apply_kernel``, so a bug there cannot hide a wrong verdict.
"""
from __future__ import annotations

import numpy as np

from . import call_answer, exercise, ruled

HORIZONTAL_EDGE = ((2, 2), (-2, -2))
VERTICAL_EDGE = ((2, -2), (2, -2))

#: The patch of exercise 01.1, as printed in the notebook.
PATCH_01_1 = ((120, 30), (160, 70))


def _score(patch, kernel) -> float:
    """Sum of pixel × weight over the four positions, written out."""
    return float(sum(patch[r][c] * kernel[r][c] for r in range(2) for c in range(2)))


def _as_2x2(answer, what: str) -> tuple[np.ndarray | None, str | None]:
    """The answer as a float 2×2 array, or a hint saying what shape is expected."""
    try:
        array = np.asarray(answer, dtype=np.float64)
    except (TypeError, ValueError):
        return None, f"{what} should be a 2×2 grid of numbers, for example a list of two rows of two numbers"
    if array.shape != (2, 2):
        return None, f"{what} should be 2×2 (two rows of two numbers); yours has shape {array.shape}"
    if not np.all(np.isfinite(array)):
        return None, f"{what} should hold ordinary finite numbers"
    return array, None


def _items(answer) -> list:
    try:
        return list(answer)[:10]
    except TypeError:
        return []


@exercise("01.1")
def _scores_of_a_new_patch(answer) -> str | None:
    if isinstance(answer, (str, bytes)) or any(isinstance(v, (str, bytes)) for v in _items(answer)):
        return "answer with a pair of numbers, not text: (horizontal-edge score, vertical-edge score), e.g. (3, -1)"
    try:
        values = [float(v) for v in answer]
    except (TypeError, ValueError):
        return "answer with a pair of numbers: (horizontal-edge score, vertical-edge score)"
    if len(values) != 2:
        return f"answer with exactly two numbers, (horizontal-edge score, vertical-edge score); you gave {len(values)}"
    horizontal = _score(PATCH_01_1, HORIZONTAL_EDGE)
    vertical = _score(PATCH_01_1, VERTICAL_EDGE)
    given_h, given_v = values
    if np.isclose(given_h, horizontal) and np.isclose(given_v, vertical):
        return None
    if np.isclose(given_h, vertical) and np.isclose(given_v, horizontal):
        return "the two numbers seem to be in the other order: the horizontal-edge score comes first"
    patch = np.array(PATCH_01_1, dtype=float)
    # A common slip: the matrix product patch @ kernel, then its four entries added.
    matrix_sum = float((patch @ np.array(HORIZONTAL_EDGE)).sum())
    if np.isclose(given_h, matrix_sum) and not np.isclose(matrix_sum, horizontal):
        return ("that looks like a matrix product; the score multiplies each pixel by the weight "
                "in the same position and adds the four products")
    if np.isclose(given_h, -horizontal) or np.isclose(given_v, -vertical):
        return "a sign is flipped: look again at which weights are negative and which pixels they meet"
    if np.isclose(given_h, horizontal):
        return "the horizontal-edge score is right; redo the vertical-edge one, minding where its minus signs are"
    if np.isclose(given_v, vertical):
        return "the vertical-edge score is right; redo the horizontal-edge one, minding where its minus signs are"
    return "multiply each pixel by the kernel weight in the same position, then add the four products"


@exercise("01.2")
def _diagonal_edge_kernel(answer) -> str | None:
    kernel, hint = _as_2x2(answer, "the kernel")
    if hint:
        return hint
    scale = float(np.abs(kernel).max())
    if scale == 0:
        return "a kernel of zeros answers 0 everywhere, so it cannot tell a diagonal edge from anything else"
    tolerance = 1e-9 * scale * 255
    for level in (17.0, 90.0, 255.0):
        flat = ((level, level), (level, level))
        if abs(_score(flat, kernel)) > tolerance:
            return "a flat patch should score 0; what must the four weights add up to for that?"
    for patch in (((250, 120), (120, 10)), ((90, 50), (50, 10)), ((200, 140), (140, 80))):
        if _score(patch, kernel) <= tolerance:
            return "a patch that is bright at the top left and dark at the bottom right should score above 0"
    for patch in (((120, 250), (10, 120)), ((50, 90), (10, 50)), ((30, 180), (0, 30))):
        if abs(_score(patch, kernel)) > tolerance:
            return ("a diagonal edge running the other way (bright top right, dark bottom left) should score 0; "
                    "which weights meet the pixels that differ in such a patch?")
    if _score(((10, 120), (120, 250)), kernel) >= -tolerance:
        return "the inverted diagonal edge (dark top left, bright bottom right) should score below 0"
    return None


@exercise("01.3")
def _best_matching_patch(answer) -> str | None:
    patch, hint = _as_2x2(answer, "the patch")
    if hint:
        return hint
    if patch.min() < 0 or patch.max() > 255:
        return "every pixel of an 8-bit grey image lies between 0 and 255"
    kernel = HORIZONTAL_EDGE
    # Each pixel may move independently, so the best score takes 255 where the
    # weight is positive and 0 where it is negative.
    best = sum(255 * max(w, 0) for row in kernel for w in row)
    if np.isclose(_score(patch, kernel), best):
        return None
    return ("some pixel can still move towards what its weight rewards: a positive weight rewards a bright "
            "pixel, a negative weight a dark one")


# --------------------------------------------------------------------------- 01.4


def _ncc_cases():
    """(window, template) pairs of sizes the notebook did not use, with a gain and an offset mixed in."""
    rng = np.random.default_rng(104)
    cases = []
    for shape in [(3, 4), (5, 5), (2, 7), (6, 3)]:
        template = rng.uniform(0, 255, size=shape)
        noise = rng.normal(0, 40, size=shape)
        cases.append((0.4 * template + noise + 90, template))  # like the template, dimmer and noisy
        cases.append((rng.uniform(0, 255, size=shape), template))  # unrelated
    template = rng.uniform(0, 255, size=(4, 4))
    cases.append((255 - template, template))  # a negative copy: −1
    cases.append((3 * template + 500, template))  # a brighter copy: 1
    return cases


def _written_ncc(window, template) -> float:
    w = [v - sum(window.ravel()) / window.size for v in window.ravel()]
    t = [v - sum(template.ravel()) / template.size for v in template.ravel()]
    dot = sum(a * b for a, b in zip(w, t, strict=True))
    return dot / (sum(a * a for a in w) ** 0.5 * sum(b * b for b in t) ** 0.5)


def _cosine(window, template) -> float:
    return float(np.sum(window * template) / np.sqrt(np.sum(window**2) * np.sum(template**2)))


@exercise(
    "01.4",
    asks="write the score from its formula",
    allows=["np.linalg.norm"],
    ruled_out=[
        ruled("cv2.matchTemplate"),
        ruled("np.corrcoef"),
        ruled("np.cov"),
        ruled("np.ma.corrcoef"),
        ruled("np.ma.cov"),
        ruled("statistics.correlation"),
        ruled("statistics.covariance"),
        ruled("scipy.stats.pearsonr"),
        ruled("helpers.matching.ncc_map"),
    ],
)
def _ncc(answer) -> str | None:
    """NCC of one window, against the sum written out here term by term."""
    for window, template in _ncc_cases():
        kept = window.copy(), template.copy()
        result = call_answer(answer, window, template)
        if not (np.array_equal(window, kept[0]) and np.array_equal(template, kept[1])):
            return "your function changed the window or the template it was given; work on copies"
        try:
            value = float(np.asarray(result, dtype=np.float64))
        except (TypeError, ValueError):
            shape = getattr(result, "shape", None)
            what = f"an array of shape {shape}" if shape is not None else f"a {type(result).__name__}"
            return f"return one number (the score of this window); your function returned {what}"
        if not np.isfinite(value):
            return "your score is not a finite number: divide by the two norms after subtracting the means"
        expected = _written_ncc(window, template)
        if np.isclose(value, expected, atol=1e-9):
            continue
        if np.isclose(value, _cosine(window, template)):
            return "that is the cosine of the raw pixels: subtract each one's own mean first"
        centred = window - window.mean(), template - template.mean()
        if np.isclose(value, float(np.sum(centred[0] * centred[1]))):
            return "the means are subtracted, but the sum still grows with contrast: divide by both norms"
        if np.isclose(value, float(np.sum(window * template))):
            return "that is notebook 01's plain score: subtract the means and divide by the norms"
        if np.isclose(value, expected * window.size) or np.isclose(value, expected / window.size):
            return "the score should lie between −1 and 1: the norms already account for the number of pixels"
        if np.isclose(value, _cosine(centred[0], template)) or np.isclose(value, _cosine(window, centred[1])):
            return "subtract the mean of the window *and* the mean of the template"
        return (f"wrong score for a {window.shape[0]}×{window.shape[1]} window; a brighter copy of the "
                "template (3·T + 500) should score exactly 1")
    return None
