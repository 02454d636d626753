"""The fence around a student's function while a check runs it, and its time limit.

A list of ruled-out names can never be complete: every library has a twin of
the call it rules out, a private home, a wrapper. So an exercise instead
states what it *allows*, and while the student's function runs, every call
into the *fenced zone* outside that allowance is refused, whoever makes it.

The fenced zone is every function of ``scipy``, ``cv2``, ``skimage`` and
``helpers`` (except these checks), NumPy's transform modules (``numpy.fft``,
``numpy.linalg``, ``numpy.polynomial``, the padding module) and the NumPy
functions that filter, flip, turn or shift (``np.convolve``, ``np.flip``,
``np.rot90``, ...). NumPy's arithmetic, indexing, reductions and array
building stay outside it, as does plain Python.

How: ``sys.setprofile`` (and ``threading.setprofile`` for threads started
meanwhile) installs a hook that sees every call of a Python function (its code
object, so a private home or a reference taken earlier is the same code) and
of a C function (the builtin itself). A call into the zone that the allowance
does not name is recorded (and the check refuses the answer, naming every
such call); a call the allowance names runs freely, including everything it
calls in turn (``np.pad`` may use NumPy's padding helpers), and so does what a
refused call calls in turn (the hint names what the student called, not its
insides). Nothing is raised into the student's code, so an ``except`` there
changes nothing. Running a module's top
level (an ``import`` inside the function) is free too. Trust goes by where
code lives: only code in a library's own file (Python's, an installed
package's, ``helpers``') is trusted, so code run by ``exec``, a function of the
student's named like NumPy's dispatchers, or a callback of the student's that
an allowed call runs (``np.pad(..., mode=function)``) is judged like the rest
of the student's code. Calls an exercise rules out by name are refused by
identity, however they were reached. The calls that would switch the fence
or its timer off (``sys.setprofile``, ``signal.setitimer``, ...) are stopped
before they run. The previous hooks are restored on every exit.

The time limit is a ``SIGALRM`` timer (main thread, on systems that have
``signal.setitimer``): when it runs out, the student's code is interrupted,
and again every quarter second, so an ``except:`` that swallows the first
interruption does not keep the check waiting.
"""
from __future__ import annotations

import functools
import importlib
import signal
import sys
import sysconfig
import threading
import time
import types
from collections.abc import Iterable
from contextlib import contextmanager
from pathlib import Path

import numpy as np

_HERE = str(Path(__file__).resolve().parent)

#: Modules whose every function is inside the fence (a name or its submodules).
FENCED_MODULES = (
    "scipy",
    "cv2",
    "skimage",
    "helpers",
    "sklearn",
    "torch",
    "numpy.fft",
    "numpy.linalg",
    "numpy.polynomial",
    "numpy.lib._arraypad_impl",
)
#: Never fenced: the checks themselves.
FREE_MODULES = ("helpers.exercises",)

#: NumPy functions outside the modules above that filter, flip, turn, shift or fit.
FENCED_NUMPY = (
    "convolve", "correlate", "flip", "fliplr", "flipud", "rot90", "roll",
    "polymul", "polyval", "polyfit", "polydiv", "polyadd", "polyder", "polyint", "poly1d",
    "apply_along_axis", "piecewise", "gradient", "diff", "ediff1d", "trapezoid", "interp",
)

#: Calls that would switch the fence or its time limit off (those this Python has).
SWITCH_NAMES = (
    "sys.setprofile", "sys.settrace", "sys._setprofileallthreads", "sys._settraceallthreads",
    "threading.setprofile", "threading.settrace", "threading.setprofile_all_threads", "threading.settrace_all_threads",
    "signal.signal", "signal.setitimer", "signal.alarm", "signal.pthread_sigmask", "signal.siginterrupt",
)


def _find_switches() -> dict[object, str]:
    """Each switch this Python has -> its name; also the builtin a Python wrapper calls (signal.signal's)."""
    found: dict[object, str] = {}
    for name in SWITCH_NAMES:
        module, _, attribute = name.rpartition(".")
        for home in (module, "_" + module):
            try:
                found.setdefault(getattr(importlib.import_module(home), attribute), name)
            except (ImportError, AttributeError):
                continue
    return found


_SWITCHES = _find_switches()


def _library_folders() -> tuple[str, ...]:
    paths = sysconfig.get_paths()
    folders = {paths[name] for name in ("stdlib", "platstdlib", "purelib", "platlib") if name in paths}
    folders.add(str(Path(__file__).resolve().parent.parent) + "/")  # the helpers package itself
    return tuple(sorted(folders))


_LIBRARY_FOLDERS = _library_folders()


@functools.lru_cache(maxsize=4096)
def is_library_file(filename: str) -> bool:
    """True for code of Python, an installed package or ``helpers``; False for a student's (a notebook
    cell, a file of theirs, code run by ``exec``)."""
    if filename.startswith("<frozen") or filename.startswith("<__array_function__"):
        return True
    if filename.startswith("<"):
        return False
    try:
        resolved = str(Path(filename).resolve())
    except (OSError, ValueError):
        return False
    return resolved.startswith(_LIBRARY_FOLDERS)


def zone_text(allows=()) -> str:
    """The fenced zone in words, for an exercise's text; a named call the exercise allows is left out."""
    pad = "" if "np.pad" in allows else "np.pad, "
    examples = ", ".join(name for name in ("np.convolve", "np.flip", "np.rot90", "np.roll") if name not in allows)
    return (
        "any other function of scipy, cv2, skimage and helpers, NumPy's fft, linalg and polynomial modules, "
        f"{pad}and the NumPy functions that filter, flip, turn or shift ({examples}, ...)"
    )


#: Seconds a check gives the student's function on one of its small cases.
TIME_LIMIT = 5.0


def _codes_of(function) -> list[types.CodeType]:
    """Every code object a call of ``function`` runs first: the function's own, then those it wraps.

    Follows NumPy's dispatchers (``_implementation``), functools wrappers
    (``__wrapped__``) and bound methods (``__func__``); the checks' own
    tripwires (code in this package) are skipped, so a tripwire in place
    does not hide the library function behind it.
    """
    codes = []
    for _ in range(10):
        code = getattr(function, "__code__", None)
        if isinstance(code, types.CodeType) and not code.co_filename.startswith(_HERE):
            codes.append(code)
        inner = None if isinstance(function, np.ufunc) else (
            getattr(function, "_implementation", None) or getattr(function, "__wrapped__", None)
            or getattr(function, "__func__", None)
        )
        if inner is None or inner is function:
            break
        function = inner
    return codes


def _code_of(function) -> types.CodeType | None:
    """The innermost code object behind ``function`` (see :func:`_codes_of`), or None for a builtin."""
    codes = _codes_of(function)
    return codes[-1] if codes else None


_SWITCH_CODES = {code: label for switch, label in _SWITCHES.items() for code in _codes_of(switch)}
#: How the hints name each switch.
SWITCH_LABELS = frozenset(SWITCH_NAMES)


#: Short prefixes students write, and the modules they stand for.
ALIASES = {"np.": "numpy.", "ndimage.": "scipy.ndimage.", "signal.": "scipy.signal.", "cnn.": "helpers.cnn."}


def full_name(label: str) -> str:
    """``numpy.rot90`` for ``np.rot90``: a label as a student writes it, with its short prefix spelled out."""
    for short, full in ALIASES.items():
        if label.startswith(short):
            return full + label[len(short):]
    return label


def locate(label: str) -> tuple[object, str]:
    """The object that holds what ``label`` names, and the attribute's name there.

    ``locate("np.lib.stride_tricks.as_strided")`` is (the module
    ``numpy.lib.stride_tricks``, ``"as_strided"``): the deepest importable
    module, then attributes down to the last name. Raises ValueError when
    nothing by that name exists.
    """
    module_name, _, attribute = full_name(label).rpartition(".")
    parts = module_name.split(".") if module_name else []
    for cut in range(len(parts), 0, -1):
        try:
            owner = importlib.import_module(".".join(parts[:cut]))
        except ImportError:
            continue
        try:
            for part in parts[cut:]:
                owner = getattr(owner, part)
        except AttributeError:
            break
        if hasattr(owner, attribute):
            return owner, attribute
        break
    raise ValueError(f"cannot find {label!r}: no module, function or attribute has that name")


def resolve(label: str):
    """The object a label such as ``"np.pad"`` or ``"helpers.correlate"`` names (a module, function or builtin)."""
    try:
        return importlib.import_module(full_name(label))
    except ImportError:
        pass
    return getattr(*locate(label))


def _in(module: str, prefixes: Iterable[str]) -> bool:
    return any(module == p or module.startswith(p + ".") for p in prefixes)


_NUMPY_CODES: dict[types.CodeType, str] | None = None
_CV2_BUILTINS: dict[object, str] | None = None


def _numpy_codes() -> dict[types.CodeType, str]:
    """Code object -> label for the fenced NumPy functions (found once)."""
    global _NUMPY_CODES
    if _NUMPY_CODES is None:
        _NUMPY_CODES = {}
        for name in FENCED_NUMPY:
            for code in _codes_of(getattr(np, name, None)):
                _NUMPY_CODES[code] = f"np.{name}"
    return _NUMPY_CODES


_numpy_codes()  # found at import, before any check has put a tripwire in NumPy's place


def _cv2_builtins() -> dict[object, str]:
    """OpenCV's functions (builtins that name no module) -> label (found once)."""
    global _CV2_BUILTINS
    if _CV2_BUILTINS is None:
        _CV2_BUILTINS = {}
        try:
            import cv2
        except ImportError:
            return _CV2_BUILTINS
        for owner, prefix in ((cv2, "cv2"), (getattr(cv2, "ximgproc", None), "cv2.ximgproc")):
            for name in dir(owner) if owner is not None else ():
                value = getattr(owner, name, None)
                if isinstance(value, types.BuiltinFunctionType):
                    _CV2_BUILTINS[value] = f"{prefix}.{name}"
    return _CV2_BUILTINS


_cv2_builtins()  # also at import: a tripwire in cv2.filter2D's place must not keep the real one out of the table


def public_label(module: str, name: str) -> str:
    """``np.rot90`` for numpy.lib._function_base_impl.rot90: the shortest public home holding the same function."""
    parts = module.split(".")
    found = f"{module}.{name}"
    for cut in range(len(parts), 0, -1):
        home = sys.modules.get(".".join(parts[:cut]))
        if home is None:
            continue
        value = getattr(home, name, None)
        if value is not None and (_code_of(value) is not None) and (
            _code_of(value) is _code_of(getattr(sys.modules.get(module), name, None))
        ):
            found = f"{'.'.join(parts[:cut])}.{name}"
    if found.startswith("numpy."):
        found = "np." + found[len("numpy."):]
    return found


class Switched(BaseException):
    """Raised by the hook instead of a call that would switch the fence off (sys.setprofile, sys.settrace)."""


def _wrapped_label(frame) -> str | None:
    """The public name of the function a decorator's wrapper frame is about to call, if one is in reach."""
    for value in frame.f_locals.values():
        code = _code_of(value)
        if code is None or "<locals>" in getattr(code, "co_qualname", code.co_name):
            continue
        module = getattr(value, "__module__", None) or ""
        if _in(module, FENCED_MODULES):
            return public_label(module, code.co_name)
    return None


class TimeUp(BaseException):
    """Raised by the timer inside the student's code when the time limit runs out."""


class Fence:
    """What one exercise allows and refuses.

    ``allows``: labels such as ``"np.pad"`` or ``"helpers"`` (a whole module)
    that run freely. ``refuses``: labels of calls the exercise rules out by
    name (``"np.corrcoef"``, ``"np.lib.stride_tricks.as_strided"``); they are
    refused wherever they are called from and however the student reached
    them (a default argument, ``__wrapped__``, a private home), and the hint
    names them as the label says.
    """

    def __init__(self, allows: Iterable[str] = (), refuses: Iterable[str] = ()):
        self.allows = tuple(allows)
        self.refuses = tuple(refuses)
        self._allowed_codes: set[types.CodeType] = set()
        self._allowed_builtins: set[object] = set()
        self._allowed_modules: list[str] = []
        self._refused_codes: dict[types.CodeType, str] = {}
        self._refused_builtins: dict[object, str] = {}
        self._refused_modules: dict[str, str] = {}
        self._ready = False
        self._prepare()  # now, before any tripwire is in place

    def _prepare(self) -> None:
        if self._ready:
            return
        for label in self.allows:
            target = resolve(label)
            if isinstance(target, types.ModuleType):
                self._allowed_modules.append(target.__name__)
            elif isinstance(target, types.BuiltinFunctionType):
                self._allowed_builtins.add(target)
            else:
                codes = _codes_of(target)
                if not codes:
                    raise ValueError(f"{label!r} in an allowance is neither a module nor a function")
                self._allowed_codes.update(codes)
        for label in self.refuses:
            target = resolve(label)
            if isinstance(target, types.ModuleType):
                self._refused_modules[target.__name__] = label
            elif isinstance(target, types.BuiltinFunctionType):
                self._refused_builtins[target] = label
            else:
                for code in _codes_of(target):
                    self._refused_codes[code] = label
        self._ready = True

    def _refused_module(self, module: str) -> str | None:
        return next((label for name, label in self._refused_modules.items() if _in(module, [name])), None)

    # the decisions, cached per code object / per module name

    def _python_verdict(self, code: types.CodeType, module: str) -> str | None:
        """None (free), "trust" (allowed: free inside too) or the label of a refused call.

        Trust goes by where code lives: only a library's own file can be trusted
        (an allowed function, a module's top level run by an import, NumPy's
        dispatchers); the student's code, wherever it is written or however it
        is run (``exec``), is free itself and judged call by call.
        """
        if code in self._refused_codes:
            return self._refused_codes[code]
        if code in self._allowed_codes:
            return "trust"
        if code in _SWITCH_CODES:
            return _SWITCH_CODES[code]
        if not is_library_file(code.co_filename) or code.co_filename.startswith(_HERE):
            return None  # the student's code, or these checks
        if code.co_name == "<module>" or code.co_name.endswith("_dispatcher"):
            return "trust"
        refused = self._refused_module(module)
        if refused:
            return refused
        if _in(module, self._allowed_modules):
            return "trust"
        label = _numpy_codes().get(code)
        if label is None and _in(module, FENCED_MODULES) and not _in(module, FREE_MODULES):
            label = public_label(module, code.co_qualname if hasattr(code, "co_qualname") else code.co_name)
        return label

    def _c_verdict(self, function, module: str | None) -> str | None:
        """The verdict for a builtin: ``module`` is the module it belongs to, or None (OpenCV's name none)."""
        if function in self._refused_builtins:
            return self._refused_builtins[function]
        if function in self._allowed_builtins:
            return "trust"
        if function in _SWITCHES:
            return _SWITCHES[function]
        if module is None:
            return _cv2_builtins().get(function)
        refused = self._refused_module(module)
        if refused:
            return refused
        if _in(module, self._allowed_modules):
            return "trust"
        if _in(module, FENCED_MODULES) and not _in(module, FREE_MODULES):
            return public_label(module, function.__name__)
        return None

    @contextmanager
    def around(self, refused: list[str]):
        """Install the hook while the block runs; refused calls are appended to ``refused``."""
        self._prepare()
        python_cache: dict[types.CodeType, str | None] = {}
        c_cache: dict[object, str | None] = {}
        local = threading.local()

        active = [True]

        library: dict[types.CodeType, bool] = {}

        def students(code: types.CodeType) -> bool:
            try:
                return not library[code]
            except KeyError:
                library[code] = is_library_file(code.co_filename)
                return not library[code]

        def hook(frame, event, arg):
            if not active[0]:
                return
            trusted = getattr(local, "trusted", None)
            if trusted is not None:
                if (event == "return" and trusted is frame) or (
                    event in ("c_return", "c_exception") and trusted is arg and local.frame is frame
                ):
                    local.trusted = None
                    return
                if event != "call" or not students(frame.f_code):
                    return
                # the student's own code called back from inside a trusted call (a callback handed to
                # np.pad, a key function): trust pauses until it returns, and its calls are judged
                local.paused = [*getattr(local, "paused", ()), (frame, trusted, getattr(local, "frame", None))]
                local.trusted = None
            if event == "return":
                paused = getattr(local, "paused", None)
                if paused and paused[-1][0] is frame:
                    _, local.trusted, local.frame = paused[-1]
                    local.paused = paused[:-1]
                return
            if event == "call":
                code = frame.f_code
                try:
                    decision = python_cache[code]
                except KeyError:
                    decision = python_cache[code] = self._python_verdict(code, frame.f_globals.get("__name__") or "")
                if decision is None:
                    return
                if decision != "trust":
                    if "<locals>" in decision:  # a decorator's wrapper: name the function it wraps
                        decision = _wrapped_label(frame) or decision
                    if decision not in refused:
                        refused.append(decision)
                    if code in _SWITCH_CODES:
                        return  # a switch written in Python (signal.signal): the builtin it calls is stopped below
                local.trusted = frame  # allowed, or refused and recorded: what it calls in turn is its own business
                return
            elif event == "c_call":
                owner = getattr(arg, "__self__", None)
                if owner is not None and type(owner) is not types.ModuleType:
                    return  # a method of an object (an array's .sum, a list's .append): free
                try:
                    decision = c_cache[arg]
                except KeyError:
                    decision = c_cache[arg] = self._c_verdict(arg, None if owner is None else owner.__name__)
                if decision is None:
                    return
                if decision != "trust" and decision not in refused:
                    refused.append(decision)
                if arg in _SWITCHES:
                    raise Switched(decision)  # the one call that must not run: it would take the fence down
                local.trusted, local.frame = arg, frame

        previous = sys.getprofile()
        previous_threads = threading.getprofile() if hasattr(threading, "getprofile") else threading._profile_hook
        threading.setprofile(hook)
        sys.setprofile(hook)
        try:
            yield
        finally:
            active[0] = False
            sys.setprofile(previous)
            threading.setprofile(previous_threads)


@contextmanager
def time_limit(seconds: float | None, ran_out: list[bool]):
    """Interrupt the block (with :class:`TimeUp`) after ``seconds``; sets ``ran_out[0]``.

    ``ran_out`` also gets the seconds that had passed when the first interruption
    came: more than ``seconds`` by far when one long step (C code) held it up.

    Works in the main thread where ``signal.setitimer`` exists (Linux, macOS,
    Jupyter kernels); elsewhere the block runs without a limit.
    """
    usable = (
        seconds is not None and seconds > 0 and hasattr(signal, "setitimer")
        and threading.current_thread() is threading.main_thread()
    )
    if not usable:
        yield
        return

    started = time.perf_counter()

    def ring(signum, frame):
        if not ran_out[0]:  # how late the first interruption came: one long C call delays it
            ran_out[0] = True
            ran_out.append(time.perf_counter() - started)
        raise TimeUp

    previous_handler = signal.signal(signal.SIGALRM, ring)
    previous_timer = signal.setitimer(signal.ITIMER_REAL, seconds, 0.25)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous_handler)
        if previous_timer[0] > 0:
            signal.setitimer(signal.ITIMER_REAL, *previous_timer)
