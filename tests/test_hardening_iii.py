"""Issue 31, "Hardening III": each case below gave a raw error, a wrong answer or a long wait before.

Sizes that cannot fit are refused by name before anything is allocated (with
the memory the process may really use: a cgroup's limit on a hub or Binder
pod), Fourier transforms too slow to wait for are refused by a rule, extreme
values are scaled or refused by name, figures are described as drawn, and
load_image says what to do with a folder or a loop of links.
"""
import os
import warnings

import matplotlib.pyplot as plt
import numpy as np
import pytest

import helpers
from helpers import cnn, matching, spectra, stripes, validation
from helpers.plotting import figure_description


@pytest.fixture
def no_warnings():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        yield


@pytest.fixture
def figure():
    fig, ax = plt.subplots()
    yield fig, ax
    plt.close(fig)


# --------------------------------------------------------------------------- 1. sizes that cannot fit


@pytest.mark.parametrize(
    ("call", "name"),
    [
        (lambda: stripes.stripes(0.25, 4 * 10**6), "size"),
        (lambda: stripes.measured_response([[1.0, 2.0, 1.0]], 0.25, 4 * 10**6), "size"),
        (lambda: stripes.fourier_response([[1.0, 2.0, 1.0]], 10**12), "size"),
        (lambda: stripes.response_2d([[1.0]], 10**6), "size"),
        (lambda: cnn.correlation_matrix([[1.0]], (10**4, 10**4)), "image_shape"),
        (lambda: cnn.im2col(np.zeros((2000, 2000)), (1000, 1000)), "kernel_shape"),
    ],
    ids=["stripes", "measured_response", "fourier_response", "response_2d", "correlation_matrix", "im2col"],
)
def test_sizes_that_cannot_fit_are_refused_by_name_before_allocating(call, name):
    with pytest.raises(ValueError, match=f"{name} is too large.*GiB of memory"):
        call()


def limit_file(tmp_path, text: str):
    path = tmp_path / "memory.max"
    path.write_text(text + "\n")
    return (path, tmp_path / "no-such-v1-file")


def test_a_cgroup_limit_below_the_hosts_memory_is_the_memory_the_guard_uses(tmp_path, monkeypatch):
    monkeypatch.setattr(validation, "CGROUP_MEMORY_LIMITS", limit_file(tmp_path, str(64 * 2**20)))
    monkeypatch.setattr(validation, "available_ram_bytes", lambda: 32 * 2**30)
    assert validation.memory_bytes() == 64 * 2**20
    # 3000 × 3000 stripes (72 MB) fit any host, not a 64 MiB pod: refused by name, nothing allocated
    with pytest.raises(ValueError, match=r"size is too large: .* 0\.1 GiB of memory, more than this session may use \(0\.1 GiB\)"):
        stripes.stripes(0.25, 3000)
    assert stripes.stripes(0.25, 120).shape == (120, 120)


@pytest.mark.parametrize("text", ["max", "9223372036854771712"], ids=["v2 max", "v1 no limit"])
def test_no_cgroup_limit_leaves_the_hosts_available_memory(tmp_path, monkeypatch, text):
    v1 = tmp_path / "memory.limit_in_bytes"
    v1.write_text(text + "\n")
    monkeypatch.setattr(validation, "CGROUP_MEMORY_LIMITS", (tmp_path / "absent", v1))
    monkeypatch.setattr(validation, "available_ram_bytes", lambda: 5 * 2**30)
    assert validation.memory_bytes() == 5 * 2**30


def test_the_hosts_available_memory_counts_when_it_is_below_the_cgroup_limit(tmp_path, monkeypatch):
    monkeypatch.setattr(validation, "CGROUP_MEMORY_LIMITS", limit_file(tmp_path, str(8 * 2**30)))
    monkeypatch.setattr(validation, "available_ram_bytes", lambda: 2**30)
    assert validation.memory_bytes() == 2**30


def test_the_hosts_available_memory_is_read_from_meminfo():
    if not os.path.exists("/proc/meminfo"):
        pytest.skip("no /proc/meminfo on this system")
    with open("/proc/meminfo") as meminfo:
        fields = dict(line.split(":", 1) for line in meminfo)
    assert validation.available_ram_bytes() // 2**20 == pytest.approx(
        int(fields["MemAvailable"].split()[0]) // 1024, rel=0.5)


def test_the_issues_awkward_fourier_size_is_refused_by_rule_not_computed():
    # 44,427,337 took 33 s and 7 GB; its prime factor above 11 counts it four times over the limit
    assert validation.fourier_work([44_427_337]) > validation.FOURIER_LIMIT
    with pytest.raises(ValueError, match="size is too large: .*Fourier transform of 44427337 numbers"):
        stripes.fourier_response([[1.0, 2.0, 1.0]], 44_427_337)


def test_the_fourier_rule_counts_awkward_lengths_four_times(monkeypatch):
    assert validation.fourier_work([4096, 4096]) == 4096 * 4096 <= validation.FOURIER_LIMIT
    assert validation.fourier_work([1009]) == 4 * 1009  # a prime
    assert validation.fourier_work([2 * 3 * 5 * 7 * 11]) == 2310
    monkeypatch.setattr(validation, "FOURIER_LIMIT", 2000)
    assert stripes.fourier_response([[1.0, 2.0, 1.0]], 1000)[1].shape == (501,)
    for call in (lambda: stripes.fourier_response([[1.0, 2.0, 1.0]], 1009),
                 lambda: stripes.response_2d([[1.0]], 47),
                 lambda: spectra.frequency_response([[1.0]], 47)):
        with pytest.raises(ValueError, match="size is too large.*Fourier"):
            call()


# --------------------------------------------------------------------------- 2. values near the ends of float64


@pytest.mark.parametrize("scale", [1e200, 1e-200, 1e-300, 1e300])
def test_ncc_scores_a_copy_of_the_template_1_at_any_scale(scale, no_warnings):
    rng = np.random.default_rng(3)
    image = rng.random((9, 10)) * scale
    template = image[3:6, 4:8].copy()
    scores = matching.ncc_map(image, template)
    assert np.all(np.isfinite(scores))
    assert scores[3, 4] == pytest.approx(1.0)
    assert np.unravel_index(np.argmax(scores), scores.shape) == (3, 4)


def test_ncc_scores_do_not_change_with_a_power_of_two_scale(no_warnings):
    rng = np.random.default_rng(4)
    image = rng.integers(0, 256, (12, 12)).astype(float)
    template = rng.integers(0, 256, (3, 3)).astype(float)
    assert np.array_equal(matching.ncc_map(image, template), matching.ncc_map(image * 2.0**-900, template * 2.0**600))


def test_correlation_map_refuses_scores_beyond_float64_by_name(no_warnings):
    image = np.full((6, 6), 1e200)
    with pytest.raises(ValueError, match="image and template give results too large"):
        matching.correlation_map(image, image[:3, :3])
    scores = matching.correlation_map(image, np.ones((3, 3)))  # 9e200 fits: computed, not refused
    assert np.allclose(scores, 9e200)


@pytest.mark.parametrize("phase", [np.inf, -np.inf, np.nan, float("nan")])
def test_stripes_refuses_a_phase_that_is_not_finite(phase, no_warnings):
    with pytest.raises(ValueError, match="phase must be a finite number"):
        stripes.stripes(0.25, 8, phase=phase)


# --------------------------------------------------------------------------- 3. figures described as drawn


def test_values_hidden_under_a_mask_are_blank_in_the_description(figure):
    fig, ax = figure
    ax.imshow(np.ma.masked_array([[1.0, 2.0], [300.0, 4.0]], mask=[[0, 0], [1, 0]]))
    text = figure_description(fig)
    assert "values from 1 to 4" in text and "300" not in text
    assert "1 cells blank" in text


def test_bars_of_nan_height_are_not_described_as_from_nan(figure):
    fig, ax = figure
    ax.bar([1, 2, 3], [np.nan, 2.0, 5.0])
    assert "3 bars (1 without a height), from 2 to 5 high" in figure_description(fig)
    ax.clear()
    ax.bar([1, 2], [np.nan, np.nan])
    text = figure_description(fig)
    assert "nan" not in text.lower().replace("(all nan)", "") and "2 bars, none with a height" in text


def test_a_pcolormesh_is_described_as_a_mesh_of_values_not_as_a_point(figure):
    fig, ax = figure
    ax.pcolormesh(np.arange(12.0).reshape(3, 4))
    text = figure_description(fig)
    assert "marked point" not in text
    assert "a 3×4 mesh with values from 0 to 11" in text


def test_scatter_points_are_still_counted(figure):
    fig, ax = figure
    ax.scatter([1, 2, 3], [3, 4, 5])
    assert "3 marked points" in figure_description(fig)


def test_a_line_with_text_on_its_x_axis_is_described_with_the_text(figure):
    fig, ax = figure
    ax.plot(["box", "gauss", "sobel"], [3.0, 1.0, 4.0])
    assert "a line of 3 points from x = 'box' to 'sobel', lowest 1 at x = 'gauss'" in figure_description(fig)


def test_a_figure_with_a_line_is_described_as_before(figure):
    fig, ax = figure
    ax.plot([0.0, 1.0, 2.0], [5.0, -1.0, 2.0], label="row")
    assert "line 'row' of 3 points from x = 0 to 2, lowest -1 at x = 1, highest 5 at x = 0" in figure_description(fig)


# --------------------------------------------------------------------------- 4. load_image on a folder or a loop


def test_a_folder_is_refused_with_what_to_do(tmp_path):
    (tmp_path / "pictures").mkdir()
    (tmp_path / "pictures" / "cat.png").write_bytes(helpers.DATA_DIR.joinpath("camera.png").read_bytes())
    with pytest.raises(ValueError, match=r"is a folder, not an image file; give the path of an image file such as .*cat\.png"):
        helpers.load_image(tmp_path / "pictures")


def test_a_loop_of_symbolic_links_is_refused_with_what_to_do(tmp_path):
    (tmp_path / "a.png").symlink_to(tmp_path / "b.png")
    (tmp_path / "b.png").symlink_to(tmp_path / "a.png")
    with pytest.raises(ValueError, match="leads back to itself .*give the path of the image file itself"):
        helpers.load_image(tmp_path / "a.png")


def test_a_link_to_nothing_says_where_it_points(tmp_path):
    (tmp_path / "gone.png").symlink_to(tmp_path / "nowhere.png")
    with pytest.raises(FileNotFoundError, match="symbolic link to .*nowhere.png.*which does not exist"):
        helpers.load_image(tmp_path / "gone.png")

