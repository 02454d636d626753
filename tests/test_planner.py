"""The one planner of helpers.convolution: which method computes a kernel, and what it needs.

plan_correlation decides once (the kernel's rank from one SVD); correlate,
convolve and the playground of notebook 07 all run what it decides. The
decisions are pinned here, and every plan's result is compared with
scipy.ndimage (an independent implementation).
"""
import cv2
import numpy as np
import pytest
from scipy import ndimage

import helpers
from helpers import convolution
from helpers.convolution import IDENTITY_PLUS_BANDED, PLANNED_METHODS, SCIPY_MODES, plan_correlation

# A multiple of the identity plus a rank-1 kernel that is not symmetric, so turning it for convolution matters.
LOPSIDED = 3.0 * np.eye(1, 35, 17).reshape(5, 7) + np.outer([1.0, -2.0, 0.5, 4.0, 1.0],
                                                             [2.0, 0.0, -1.0, 1.0, 3.0, 0.5, 1.0])
PHOTO = cv2.cvtColor(cv2.imread(str(helpers.DATA_DIR / "astronaut.png")), cv2.COLOR_BGR2RGB)[:30, :27]


def scipy_reference(image, kernel, border):
    """scipy.ndimage.correlate channel by channel, cropped to the valid part for border='valid'."""
    planes = [image[:, :, c] for c in range(image.shape[2])] if image.ndim == 3 else [image]
    rows, cols = kernel.shape[0] // 2, kernel.shape[1] // 2
    out = []
    for plane in planes:
        full = ndimage.correlate(plane.astype(float), kernel, mode=SCIPY_MODES.get(border, "constant"))
        out.append(full[rows : full.shape[0] - rows, cols : full.shape[1] - cols] if border == "valid" else full)
    return np.stack(out, axis=-1) if image.ndim == 3 else out[0]


def own(kernel, image=PHOTO[:, :, 1]):
    return plan_correlation(image, kernel, "replicate", method="own")


# --------------------------------------------------------------------------- the decisions


def test_the_series_own_method_by_kernel():
    rng = np.random.default_rng(7)
    assert own(helpers.gaussian(41, 7.0)).method == "banded"  # rank 1
    assert own(helpers.box(5)).method == "banded"
    assert own(helpers.kernels.unsharp(41, 7.0, 1.5)).method == IDENTITY_PLUS_BANDED  # identity + rank 1
    assert own(LOPSIDED).method == IDENTITY_PLUS_BANDED
    assert own(helpers.KERNELS["sobel_x"]).method == "vectorized"  # 3×3: shifted sums beat two passes
    assert own(helpers.KERNELS["sharpen"]).method == "vectorized"
    assert own(rng.normal(size=(5, 5))).method == "vectorized"  # rank 5
    assert own(rng.normal(size=(11, 11))).method == "fft"  # 121 weights
    assert own(helpers.gaussian(41, 7.0), image=np.ones((8, 8))).method == "banded"  # the image does not matter


def test_a_plan_carries_the_parts_its_method_needs():
    gaussian = helpers.gaussian(9, 2.0)
    plan = own(gaussian)
    column, row = plan.factors
    assert plan.identity == 0.0
    np.testing.assert_allclose(np.outer(column, row), gaussian, rtol=0, atol=1e-15)

    unsharp = helpers.kernels.unsharp(9, 2.0, 1.5)
    plan = own(unsharp)
    column, row = plan.factors
    assert plan.identity == pytest.approx(2.5)  # (1 + amount) · identity − amount · Gaussian
    np.testing.assert_allclose(plan.identity * np.pad([[1.0]], 4) + np.outer(column, row), unsharp, atol=1e-15)

    assert own(helpers.KERNELS["sharpen"]).factors is None


def test_kernels_that_are_not_the_identity_plus_rank_one():
    split = convolution._identity_and_rank_one
    rng = np.random.default_rng(8)
    assert split(rng.normal(size=(5, 5))) is None  # rank 5
    assert split(np.pad([[2.0]], 2)) is None  # only zeros off the centre's row and column
    assert split(helpers.KERNELS["laplacian"]) is None
    weight, (column, row) = split(LOPSIDED)
    assert weight == pytest.approx(3.0)
    np.testing.assert_allclose(np.outer(column, row), LOPSIDED - 3.0 * np.eye(1, 35, 17).reshape(5, 7), atol=1e-14)


def test_auto_asks_the_same_planner():
    rng = np.random.default_rng(9)
    image = rng.uniform(0, 255, size=(64, 64))
    assert plan_correlation(image, helpers.gaussian(9, 2.0)).method == "opencv"
    # A kernel larger than the image goes to the NumPy methods: two passes for rank 1.
    assert plan_correlation(image[:4, :4], helpers.gaussian(9, 2.0)).method == "separable"
    assert plan_correlation(image[:4, :4], rng.normal(size=(5, 5))).method == "vectorized"
    assert plan_correlation(image[:4, :4], rng.normal(size=(11, 11))).method == "fft"
    assert plan_correlation(image, helpers.box(5), method="banded").method == "banded"


@pytest.mark.parametrize(("kernel", "splits"), [
    (helpers.KERNELS["sobel_x"], False),  # 3×3: filter2D is as fast
    (helpers.gaussian(5, 1.0), True),
    (helpers.gaussian(21, 3.5), True),
    (helpers.gaussian(23, 3.5), False),  # from 23×23 filter2D's DFT beats two passes
    (helpers.kernels.unsharp(9, 2.0, 1.0), False),  # rank 2
], ids=["sobel", "gaussian5", "gaussian21", "gaussian23", "unsharp9"])
def test_opencv_splits_the_kernels_the_planner_says(kernel, splits, monkeypatch):
    calls = []
    original = cv2.sepFilter2D
    monkeypatch.setattr(cv2, "sepFilter2D", lambda *a, **k: calls.append(1) or original(*a, **k))
    image = PHOTO[:, :, 0]
    plan = own(kernel, image)
    np.testing.assert_allclose(plan.run("opencv"), scipy_reference(image, kernel, "replicate"), atol=1e-9)
    assert bool(calls) == splits


def test_one_plan_takes_one_svd(monkeypatch):
    calls = []
    original = np.linalg.svd
    monkeypatch.setattr(np.linalg, "svd", lambda *a, **k: calls.append(1) or original(*a, **k))
    image = PHOTO[:, :, 0]
    plan = own(helpers.gaussian(9, 2.0), image)  # the rank decides "banded", the same factors serve OpenCV
    plan.run()
    plan.run("opencv")
    assert len(calls) == 1
    calls.clear()
    plan = own(helpers.kernels.unsharp(9, 2.0, 1.5), image)  # the kernel's rank, then the rest's
    plan.run()
    plan.run("opencv")
    assert len(calls) == 2
    calls.clear()
    helpers.correlate(image, helpers.KERNELS["sharpen"])  # a 3×3 kernel on OpenCV: no rank needed
    assert not calls


# --------------------------------------------------------------------------- the results


@pytest.mark.parametrize("kernel", [helpers.kernels.unsharp(9, 2.0, 1.5), LOPSIDED, helpers.gaussian(7, 1.5),
                                    helpers.KERNELS["emboss"]], ids=["unsharp", "lopsided", "gaussian", "emboss"])
@pytest.mark.parametrize("colour", [False, True], ids=["grey", "colour"])
def test_every_planned_method_gives_the_kernel_s_result(kernel, colour):
    image = PHOTO if colour else PHOTO[:, :, 1]
    plan_methods = ["own", "auto", "loop", "vectorized", "fft", "opencv"]
    for border in ["valid", *SCIPY_MODES]:
        expected = scipy_reference(image, kernel, border)
        for method in plan_methods:
            plan = plan_correlation(image, kernel, border, method)
            np.testing.assert_allclose(plan.run(), expected, atol=1e-9, err_msg=f"{border} {method}")
        plan = plan_correlation(image, kernel, border, "own")
        for method in PLANNED_METHODS:  # the same plan, run another way
            try:
                got = plan.run(method)
            except ValueError as error:  # only the two-pass methods refuse, and only a kernel they cannot split
                assert method in ("separable", "banded", IDENTITY_PLUS_BANDED), error
                continue
            np.testing.assert_allclose(got, expected, atol=1e-9, err_msg=f"{border} run({method!r})")


def test_convolve_plans_with_the_turned_kernel():
    image = PHOTO[:, :, 2]
    turned = LOPSIDED[::-1, ::-1]
    plan = plan_correlation(image, turned, "reflect", "own")
    assert plan.method == IDENTITY_PLUS_BANDED
    expected = ndimage.convolve(image.astype(float), LOPSIDED, mode="reflect")
    np.testing.assert_allclose(plan.run(), expected, atol=1e-9)
    np.testing.assert_allclose(helpers.convolve(image, LOPSIDED, "reflect"), expected, atol=1e-9)


def test_extreme_sizes_are_planned_in_range():
    # The planner brings an image of huge numbers into range by a power of two and every run multiplies back.
    image = PHOTO[:, :, 0] * 1e290
    kernel = helpers.kernels.unsharp(9, 2.0, 1.5) * 1e-5
    plan = plan_correlation(image, kernel, "wrap", "own")
    assert plan.shift != 0 and plan.method == IDENTITY_PLUS_BANDED
    expected = scipy_reference(PHOTO[:, :, 0], kernel, "wrap") * 1e290
    for method in (None, "opencv", "fft"):
        np.testing.assert_allclose(plan.run(method), expected, rtol=1e-9, atol=1e-9 * np.abs(expected).max())


# --------------------------------------------------------------------------- errors name the argument


def test_a_bad_plan_argument_is_named():
    image = np.ones((9, 9))
    with pytest.raises(ValueError, match="unknown method 'fastest'"):
        plan_correlation(image, helpers.box(3), method="fastest")
    with pytest.raises(ValueError, match="unknown method 'own'"):  # only a plan offers it: correlate keeps METHODS
        helpers.correlate(image, helpers.box(3), method="own")
    with pytest.raises(ValueError, match="unknown border 'same'"):
        plan_correlation(image, helpers.box(3), "same")
    with pytest.raises(ValueError, match="kernel must have odd height and width"):
        plan_correlation(image, np.ones((2, 2)))
    with pytest.raises(ValueError, match="image must be 2-D"):
        plan_correlation(np.ones(9), helpers.box(3))
    plan = plan_correlation(image, np.eye(5), method="own")
    with pytest.raises(ValueError, match="unknown method 'auto'"):  # a plan runs a method, it does not choose
        plan.run("auto")
    with pytest.raises(ValueError, match="kernel is not separable: it has rank 5"):
        plan.run("banded")
    with pytest.raises(ValueError, match="needs a kernel that is a multiple of the identity plus a rank-1 kernel"):
        plan.run(IDENTITY_PLUS_BANDED)
