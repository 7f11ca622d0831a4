"""parallel.py: work beside the build on a forked process gives what it gives in this one,
its errors come back, and a stopped one leaves nothing running."""

from __future__ import annotations

import multiprocessing
import os
import time

import pytest

from bulletin.parallel import Beside, map_forked, run_beside


def _pid_and(value: int) -> tuple[int, int]:
    return os.getpid(), value * 2


def test_the_side_runs_on_another_process_and_its_value_comes_back():
    here, (side_pid, doubled) = run_beside(lambda: os.getpid(), lambda: _pid_and(21), workers=2)
    assert doubled == 42 and side_pid != here == os.getpid()


def test_with_one_core_the_side_runs_here():
    beside = Beside(lambda: _pid_and(5), workers=1)
    assert beside.result() == (os.getpid(), 10)


def test_an_error_beside_is_raised_by_result():
    def fails() -> None:
        raise ValueError("tệp hỏng")

    beside = Beside(fails, workers=2)
    with pytest.raises(ValueError, match="tệp hỏng"):
        beside.result()


def test_a_stopped_side_leaves_no_process():
    beside = Beside(lambda: time.sleep(60), workers=2)
    process = beside._process
    assert process.is_alive()
    beside.stop()
    assert not process.is_alive()


def test_an_error_here_stops_the_side():
    started = []

    def here() -> None:
        started.append(True)
        raise RuntimeError("lỗi ở đây")

    with pytest.raises(RuntimeError, match="lỗi ở đây"):
        run_beside(here, lambda: time.sleep(60), workers=2)
    assert started and multiprocessing.active_children() == []


def test_map_forked_keeps_the_order_of_the_items():
    items = list(range(100))
    assert map_forked(lambda n: n * n, items, workers=2) == [n * n for n in items]
