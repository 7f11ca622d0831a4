"""Work spread over worker processes, results in input order.

The workers are forked: they start with a copy of the parent's memory (the loaded site, the
MkDocs configuration, the navigation), so nothing but the results crosses between processes.
The items themselves (MkDocs pages) are never pickled: a worker gets a range of indexes into
the list its parent held when it forked.
"""

from __future__ import annotations

import contextlib
import logging
import math
import multiprocessing
import os
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from typing import Any

# Below this many items the pool's start-up costs more than it saves.
MIN_ITEMS_FOR_POOL = 24
# A background process yields the cores to this one and its workers (os.nice).
BACKGROUND_NICENESS = 10
_task: tuple[Callable[[Any], Any], Sequence[Any]] | None = None


def worker_count() -> int:
    """BULLETIN_WORKERS if set (0 means: let MkDocs render the pages itself), else the cores
    this process may run on."""
    configured = os.environ.get("BULLETIN_WORKERS", "").strip()
    if configured:
        return max(0, int(configured))
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def _silence_logging() -> None:
    """A worker's log records are collected per item and replayed by the parent (where the
    strict-mode counter is); the worker itself prints nothing."""
    for name in (None, "mkdocs"):
        logger = logging.getLogger(name)
        for handler in list(logger.handlers):
            logger.removeHandler(handler)
    logging.getLogger().addHandler(logging.NullHandler())


def _run_range(start: int, stop: int) -> list[Any]:
    assert _task is not None
    function, items = _task
    return [function(item) for item in items[start:stop]]


def run_beside(here: Callable[[], Any], side: Callable[[], Any], workers: int) -> tuple[Any, Any]:
    """``(here(), side())``, with ``side`` on a forked process meanwhile when there are cores
    for both; in this process, one after the other, otherwise."""
    if workers <= 1:
        return here(), side()
    beside = Beside(side, workers)
    try:
        mine = here()
    except BaseException:
        beside.stop()
        raise
    return mine, beside.result()


class Beside:
    """``function()`` on a forked process from now on, while this one goes on (at a lower
    priority with a ``niceness``); ``result()`` waits for its value (or raises its error).
    With one core it is computed here, at once."""

    def __init__(self, function: Callable[[], Any], workers: int, niceness: int = 0) -> None:
        self._done: tuple[bool, Any] | None = None
        self._process: Any = None
        if workers <= 1:
            self._done = _outcome(function)
            return
        context = multiprocessing.get_context("fork")
        self._receiving, sending = context.Pipe(duplex=False)
        self._process = context.Process(target=_send_outcome, args=(function, sending, niceness), daemon=True)
        self._process.start()
        sending.close()

    def result(self) -> Any:
        if self._done is None:
            try:
                self._done = self._receiving.recv()
            except EOFError:
                self._done = (False, RuntimeError("the process beside ended without a result"))
            finally:
                self.stop()
        ok, value = self._done
        if not ok:
            raise value
        return value

    def stop(self) -> None:
        if self._process is not None:
            if self._process.is_alive():
                self._process.terminate()
            self._process.join()
            self._receiving.close()
            self._process = None


def _outcome(function: Callable[[], Any]) -> tuple[bool, Any]:
    try:
        return True, function()
    except Exception as error:
        return False, error


def _send_outcome(function: Callable[[], Any], sending: Any, niceness: int) -> None:
    if niceness:
        os.nice(niceness)
    _silence_logging()
    try:
        sending.send(_outcome(function))
    except Exception as error:  # a value or an error that cannot be pickled
        sending.send((False, RuntimeError(f"the process beside could not send its result: {error}")))
    finally:
        sending.close()


def map_forked(function: Callable[[Any], Any], items: Sequence[Any], workers: int) -> list[Any]:
    """``[function(item) for item in items]``, on ``workers`` forked processes when that pays."""
    global _task
    if workers <= 1 or len(items) < MIN_ITEMS_FOR_POOL:
        return [function(item) for item in items]
    size = max(1, min(64, math.ceil(len(items) / (workers * 4))))
    ranges = [(start, min(start + size, len(items))) for start in range(0, len(items), size)]
    _task = (function, items)
    try:
        context = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(workers, mp_context=context, initializer=_silence_logging) as pool:
            chunks = pool.map(_run_range, [start for start, _ in ranges], [stop for _, stop in ranges])
            return [result for chunk in chunks for result in chunk]
    finally:
        _task = None


class Background(Beside):
    """``function()`` on a forked process started now, at a lower priority than this one: it
    takes the time a core would idle while this process goes on alone (loading, writing,
    checking). Nothing comes back: the function leaves its work in files, and whatever it
    has not done, or failed to do, this process does itself after ``join``."""

    def __init__(self, function: Callable[[], object]) -> None:
        super().__init__(function, workers=2, niceness=BACKGROUND_NICENESS)

    def join(self) -> None:
        with contextlib.suppress(Exception):  # this process redoes what is missing
            self.result()
