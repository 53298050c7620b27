"""The cycle collector paused while a file is read or a batch of projects reviewed.

Reading and reviewing make many small objects (rows, cells, indicators, findings) that
live until the work is done and form no cycles; the collector would walk them again and
again — a tenth of the reading time, a third of the review's.  Paused by a count, so
threads working at once give it back only when the last one is done; the work is
bounded in size (the upload limit, the projects of one request), so what waits is
bounded.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_lock = threading.Lock()
_pauses = 0
_was_enabled = False


@contextmanager
def paused() -> Iterator[None]:
    """The collector off for the block, and back as it was when the last block ends."""
    global _pauses, _was_enabled
    with _lock:
        if _pauses == 0:
            _was_enabled = gc.isenabled()
            gc.disable()
        _pauses += 1
    try:
        yield
    finally:
        with _lock:
            _pauses -= 1
            if _pauses == 0 and _was_enabled:
                gc.enable()
