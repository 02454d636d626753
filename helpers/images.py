"""Loading sample images and turning float results back into 8-bit images."""
from __future__ import annotations

import errno
import io
import os
import stat
import sys
import tempfile
import threading
import warnings
from pathlib import Path

import cv2
import numpy as np
import PIL.Image

from .validation import as_numeric_array, check_choice, memory_bytes, require_finite


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
    if path.is_symlink():
        _refuse_link_loop(path)
    if path.parent == Path("."):
        for candidate in [DATA_DIR / path.name] + [
            DATA_DIR / (path.name + s) for s in _IMAGE_SUFFIXES
        ]:
            if candidate.is_file():
                return candidate
    if path.is_symlink():
        raise FileNotFoundError(
            f"{str(path)!r} is a symbolic link to {os.readlink(path)!r}, which does not exist; give the path "
            "of the image file itself, or point the link at one"
        )
    raise FileNotFoundError(
        f"no image at {str(name_or_path)!r}: it is neither an existing file nor one of "
        f"the samples in data/ ({', '.join(sample_names())})"
    )


def _refuse_link_loop(path: Path) -> None:
    """Refuse a symbolic link that leads back to itself (directly or through others): it reaches no file."""
    try:
        os.stat(path)
    except OSError as error:
        if error.errno == errno.ELOOP:
            raise ValueError(
                f"{str(path)!r} is a symbolic link that leads back to itself (a loop of links), so it reaches "
                "no image; give the path of the image file itself, or point the link at one"
            ) from None


def _refuse_folder(path: Path) -> None:
    """A folder is not an image: name a few of the images in it, so the student can pick one."""
    try:
        inside = sorted(p.name for p in path.iterdir() if p.suffix.lower() in _IMAGE_SUFFIXES)[:3]
    except OSError:
        inside = []
    example = f" such as {str(path / inside[0])!r}" if inside else ""
    raise ValueError(
        f"{str(path)!r} is a folder, not an image file; give the path of an image file{example}, "
        "or a sample name such as 'camera'"
    )


def load_image(name_or_path, gray: bool = True) -> np.ndarray:
    """Load a sample by name (``"camera"``) or any image file by path.

    Returns uint8: H×W when ``gray`` is True, otherwise H×W×3 in RGB order
    (OpenCV itself reads BGR; this function swaps the channels). A missing,
    unreadable, truncated or damaged file, one that is not a regular file
    (a folder, a pipe, a device), one whose header claims more than 2^30
    pixels, and one of pixels that are not whole numbers (a float TIFF)
    raise an error naming the path; it never returns None or a half-grey
    picture, and it never waits on a pipe.
    """
    if not isinstance(gray, (bool, np.bool_)):
        raise TypeError(f"gray must be True or False; got {gray!r}")
    path = _resolve(name_or_path)
    if path.is_dir():
        _refuse_folder(path)
    data = _read_file(path)
    mode = _check_header(path, data)
    flag = cv2.IMREAD_GRAYSCALE if gray else cv2.IMREAD_COLOR
    buffer = np.frombuffer(data, dtype=np.uint8)
    jpeg = data.startswith(_JPEG_START)
    if jpeg:
        image, complaint = _decode_listening(buffer, flag)
    else:
        image, complaint = _decode(buffer, flag), ""
    if jpeg and image is None and not complaint:
        complaint = "OpenCV could not decode it"
    if complaint:
        raise ValueError(
            f"could not read {str(path)!r} as an image: the JPEG data are truncated or damaged "
            f"(the decoder says: {complaint})"
        )
    if image is None and mode in _MODE_WORDS:
        raise ValueError(
            f"could not read {str(path)!r} as an 8-bit image: its pixels are {_MODE_WORDS[mode]}, "
            "and load_image gives grey levels 0-255. Read the numbers themselves with "
            "cv2.imread(path, cv2.IMREAD_UNCHANGED) and scale them to 0-255 yourself"
        )
    if image is None:
        raise ValueError(f"could not read {str(path)!r} as an image (unknown format or damaged file)")
    if not gray:
        image = cv2.cvtColor(image, cv2.COLOR_BGR2RGB)
    return image


#: The most pixels load_image decodes: OpenCV's own limit (CV_IO_MAX_IMAGE_PIXELS), 1 GiB of grey.
MAX_PIXELS = 2**30


def _read_file(path: Path) -> bytes:
    """The bytes of a regular file, refusing pipes and devices (reading a FIFO waits for ever)
    and files larger than a quarter of the memory this session may use (validation.memory_bytes), before reading anything."""
    try:
        info = os.stat(path)
    except OSError as error:
        raise ValueError(f"could not read {str(path)!r}: {error.strerror or error}") from None
    if not stat.S_ISREG(info.st_mode):
        raise ValueError(
            f"{str(path)!r} is not a regular file (it is a pipe, socket or device), so it holds no "
            "image to read; give the path of an image file"
        )
    limit = memory_bytes() // 4
    if info.st_size > limit:
        raise ValueError(
            f"{str(path)!r} is {info.st_size / 2**30:.1f} GiB, too large to load here "
            f"(the limit is {limit / 2**30:.1f} GiB, a quarter of the memory this session may use)"
        )
    try:
        with open(path, "rb") as file:  # opened only now that it is known to be a regular file
            return file.read()
    except OSError as error:
        raise ValueError(f"could not read {str(path)!r}: {error.strerror or error}") from None


_PIL_LOCK = threading.Lock()


def _check_header(path: Path, data: bytes) -> str:
    """Refuse a header that announces too many pixels, before anything is decoded; return Pillow's mode.

    Pillow reads only the header on open. Its own guard against
    "decompression bombs" (above about 179 million pixels) would refuse
    valid large photos, so it is lifted for this look, and the limit here
    is OpenCV's, MAX_PIXELS. A header Pillow cannot read is left to OpenCV
    (the mode is then ""). The mode ("L", "RGB", "F" for float, ...) lets
    load_image say why OpenCV could not read a file.
    """
    with _PIL_LOCK:
        saved = PIL.Image.MAX_IMAGE_PIXELS
        PIL.Image.MAX_IMAGE_PIXELS = None
        try:
            with warnings.catch_warnings(), PIL.Image.open(io.BytesIO(data)) as picture:
                warnings.simplefilter("ignore")
                width, height, mode = picture.width, picture.height, picture.mode
        except Exception:  # not a format Pillow knows, or a damaged header: OpenCV will say
            return ""
        finally:
            PIL.Image.MAX_IMAGE_PIXELS = saved
    if width * height > MAX_PIXELS or width * height * 3 > memory_bytes() // 2:
        raise ValueError(
            f"could not read {str(path)!r} as an image: its header claims {width}×{height} pixels, "
            f"more than load_image decodes (at most {MAX_PIXELS:,} pixels, and half the memory this "
            f"session may use: it would need {width * height * 3 / 2**30:,.1f} GiB in colour)"
        )
    return mode


#: Pillow's modes of pixels that are not 8- or 16-bit levels, which OpenCV's imread may refuse.
_MODE_WORDS = {"F": "32-bit floating-point numbers", "I": "32-bit integers"}


def _decode(buffer: np.ndarray, flag: int) -> np.ndarray | None:
    """cv2.imdecode, with OpenCV's own refusals (cv2.error) counted as an unreadable file."""
    try:
        return cv2.imdecode(buffer, flag)
    except cv2.error:
        return None


_STDERR_LOCK = threading.Lock()
#: What libjpeg (inside OpenCV) prints, instead of failing, for a JPEG that is cut short or damaged.
_JPEG_COMPLAINTS = ("Corrupt JPEG data", "Premature end of JPEG file", "Invalid JPEG", "Bogus", "JPEG datastream")


def _decode_listening(buffer: np.ndarray, flag: int) -> tuple[np.ndarray | None, str]:
    """Decode a JPEG while listening to what libjpeg prints on the process's standard error.

    For a JPEG cut short or with damaged data, libjpeg only prints a warning
    ("Premature end of JPEG file", "Corrupt JPEG data: 78 extraneous bytes
    before marker 0xd9") and fills the missing or garbled rows. OpenCV has no
    way to ask for those warnings, so file descriptor 2 is pointed at a
    temporary file during the decode; its text is handed back (and anything
    else written meanwhile is passed on to the real standard error).
    """
    with _STDERR_LOCK, tempfile.TemporaryFile() as captured:
        sys.stderr.flush()
        saved = os.dup(2)
        try:
            os.dup2(captured.fileno(), 2)
            image = _decode(buffer, flag)
        finally:
            os.dup2(saved, 2)
            os.close(saved)
        captured.seek(0)
        text = captured.read().decode("utf-8", "replace")
    complaints = [line.strip() for line in text.splitlines() if any(c in line for c in _JPEG_COMPLAINTS)]
    others = [line for line in text.splitlines() if line.strip() and line.strip() not in complaints]
    if others:
        os.write(2, ("\n".join(others) + "\n").encode())
    return image, "; ".join(complaints)


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
