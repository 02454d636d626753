"""Reading what a student's function returned (shared by the checks of notebooks 02-04)."""
from __future__ import annotations

import numpy as np

from ..kernels import KERNELS
from . import Hint

#: The series' kernel bank as it was when the checks were imported: a student who changes
#: helpers.KERNELS (a name, a value) changes the notebook, not what the checks expect.
BANK: dict[str, np.ndarray] = {name: np.array(kernel, copy=True) for name, kernel in KERNELS.items()}
for _kernel in BANK.values():
    _kernel.flags.writeable = False


def array_or_hint(result, what: str = "your function") -> np.ndarray:
    """``result`` as a NumPy array of numbers, or raise :class:`Hint` saying what came back instead."""
    try:
        array = np.asarray(result)
    except Exception:  # an object NumPy cannot read
        array = None
    if array is None or not (np.issubdtype(array.dtype, np.number) or array.dtype == bool):
        raise Hint(f"{what} should return a NumPy array of numbers; it returned a {type(result).__name__}")
    return array
