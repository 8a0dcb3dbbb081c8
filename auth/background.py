"""Password checks for sign-in run on a small pool of threads at a low CPU priority.

argon2 is slow on purpose (about 0.25 s of several cores per check). A flood of anonymous
sign-ins must not take that CPU from signed-in users' saves: on Linux a thread's nice value
is its own, and the threads libargon2 starts inherit it, so the checks yield to the
rest of the app. The pool also caps how many checks run at once; the rest wait without using CPU.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

T = TypeVar("T")
WORKERS = 2
# nice 10: about a tenth of a normal thread's CPU share when both want the CPU (19 would be
# about 1/70, and starves sign-ins whenever the machine is busy).
NICENESS = 10


def _lower_priority() -> None:
    try:
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), NICENESS)
    except (AttributeError, OSError):  # not Linux: the cap on concurrent checks still holds
        pass


_pool = ThreadPoolExecutor(WORKERS, thread_name_prefix="siaga-password-check", initializer=_lower_priority)


def at_low_priority(fn: Callable[..., T], *args) -> T:
    """fn(*args) on a low-priority password-check thread; waits for the result."""
    return _pool.submit(fn, *args).result()
