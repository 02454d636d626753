"""Loading sample images and turning float results back into 8-bit images."""
from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
import PIL.Image

from .validation import as_numeric_array, check_choice, require_finite


def _data_folder() -> Path:
    """The sample images: ``helpers/data`` in an installed copy (``pip install`` of the repository
    puts the repository's ``data/`` there), else ``data/`` beside ``helpers/`` in a checkout."""
    package = Path(__file__).resolve().parent
    installed, checkout = package / "data", package.parent / "data"
    return installed if (installed / "README.md").is_file() else checkout


#: The folder of sample images shipped with the series (see data/README.md).
DATA_DIR = _data_folder()

_IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".tif", ".tiff", ".bmp")
_JPEG_START = b"\xff\xd8\xff"  # the start-of-image marker, then the first segment's marker


def sample_names() -> list[str]:
    """Names of the sample images in ``data/`` (without the suffix)."""
    return sorted(p.stem for p in DATA_DIR.iterdir() if p.suffix.lower() in _IMAGE_SUFFIXES)


def _resolve(name_or_path) -> Path:
    if not isinstance(name_or_path, (str, Path)):
        raise TypeError(
            f"name_or_path must be a sample name such as 'camera' or a file path; got {name_or_path!r}"
        )
    if isinstance(name_or_path, str) and not name_or_path.strip():
        raise ValueError(
            f"name_or_path is empty ({name_or_path!r}); give a sample name such as 'camera' "
            "or the path of an image file"
        )
    path = Path(name_or_path)
    if path.exists():
        return path
    if path.parent == Path("."):
        for candidate in [DATA_DIR / path.name] + [
            DATA_DIR / (path.name + s) for s in _IMAGE_SUFFIXES
        ]:
            if candidate.is_file():
                return candidate
    raise FileNotFoundError(
        f"no image at {str(name_or_path)!r}: it is neither an existing file nor one of "
        f"the samples in data/ ({', '.join(sample_names())})"
    )


def load_image(name_or_path, gray: bool = True) -> np.ndarray:
    """Load a sample by name (``"camera"``) or any image file by path.

    Returns uint8: H×W when ``gray`` is True, otherwise H×W×3 in RGB order
    (OpenCV itself reads BGR; this function swaps the channels). A missing,
    unreadable or truncated file raises an error naming the path; it never
    returns None or a half-grey picture.
    """
    if not isinstance(gray, (bool, np.bool_)):
        raise TypeError(f"gray must be True or False; got {gray!r}")
    path = _resolve(name_or_path)
    if path.is_dir():
        raise IsADirectoryError(f"{str(path)!r} is a folder, not an image file")
    flag = cv2.IMREAD_GRAYSCALE if gray else cv2.IMREAD_COLOR
    image = cv2.imread(str(path), flag)
    if image is None:
        raise ValueError(f"could not read {str(path)!r} as an image (unknown format or damaged file)")
    _refuse_truncated_jpeg(path)
    if not gray:
        image = cv2.cvtColor(image, cv2.COLOR_BGR2RGB)
    return image


def _refuse_truncated_jpeg(path: Path) -> None:
    """Raise ValueError when ``path`` is a JPEG whose data stop early.

    For a JPEG cut short, libjpeg (inside cv2.imread) only prints "Premature
    end of JPEG file" and fills the missing rows with grey. Pillow's decoder
    refuses such a file, so JPEGs are decoded once more by Pillow to check.
    The other formats OpenCV reads fail outright when cut (imread gives None).
    """
    with open(path, "rb") as file:
        if file.read(3) != _JPEG_START:
            return
    try:
        with PIL.Image.open(path) as picture:
            picture.load()
    except (OSError, SyntaxError) as error:  # Pillow: "image file is truncated", "broken data stream"
        raise ValueError(
            f"could not read {str(path)!r} as an image: the JPEG data are truncated or damaged ({error})"
        ) from None


def to_uint8(result, mode: str = "clip") -> np.ndarray:
    """Turn a float result into a displayable uint8 image.

    mode="clip"     round to the nearest integer (halves to even) and clamp to
                    0..255, as ``cv2.filter2D`` does for uint8 output: negative
                    responses become 0.
    mode="rescale"  map min..max linearly onto 0..255:
                    out = round(255 · (x - min) / (max - min)); a constant
                    image gives all zeros. Any finite range works, even
                    one wider than float64 (-1e308 .. 1e308) or one as
                    narrow as the smallest float (5e-324).
    """
    array = as_numeric_array(result, "result")
    check_choice(mode, "mode", ("clip", "rescale"))
    require_finite(array, "result")
    array = array.astype(np.float64, copy=False)
    if mode == "clip":
        return np.clip(np.rint(array), 0, 255).astype(np.uint8)
    low, high = float(array.min()), float(array.max())
    if high == low:
        return np.zeros(array.shape, dtype=np.uint8)
    if not np.isfinite(high - low):
        # max - min overflows (e.g. -1e308 .. 1e308): halve everything first, which is exact.
        array, low, high = array / 2, low / 2, high / 2
    scale = 255.0 / (high - low)
    if not np.isfinite(scale):  # a range so narrow (below 1e-306) that 255 / range overflows
        return np.rint((array - low) / (high - low) * 255.0).astype(np.uint8)
    return np.rint((array - low) * scale).astype(np.uint8)
