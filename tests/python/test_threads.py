"""A batch from Python behaves like a good library: the GIL is released, Ctrl-C stops it with no
result, a progress callback is called and its exception stops the batch."""

import os
import signal
import threading
import time

import pytest

import padsim


@pytest.fixture(autouse=True)
def python_sigint_handler():
    """Python's own Ctrl-C handler (KeyboardInterrupt) for each test, even when this process
    started with SIGINT ignored: a background job of a non-interactive shell does, and Python then
    installs no handler of its own."""
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    yield
    signal.signal(signal.SIGINT, previous)


def test_gil_is_released_while_replications_run():
    count = 0
    stop = threading.Event()

    def counter():
        nonlocal count
        while not stop.is_set():
            count += 1

    thread = threading.Thread(target=counter)
    thread.start()
    try:
        time.sleep(0.05)
        before, start = count, time.monotonic()
        # Batches until half a second has passed, however fast this machine runs them.
        while time.monotonic() - start < 0.5:
            padsim.run(runs=4000, seed=3, threads=1)
        elapsed = time.monotonic() - start
        during = count - before
    finally:
        stop.set()
        thread.join()
    # Holding the GIL, the batch would let the counter run only in its progress calls (a few
    # microseconds ten times a second); released, the counter runs at its own pace throughout.
    assert during > 50_000 * elapsed


def test_sigint_stops_a_long_batch_with_no_result():
    seen = []
    timer = threading.Timer(0.5, lambda: os.kill(os.getpid(), signal.SIGINT))
    start = time.monotonic()
    timer.start()
    result = None
    with pytest.raises(KeyboardInterrupt):
        result = padsim.run(runs=400_000, seed=5, threads=1, progress=lambda done, total: seen.append(done))
    elapsed = time.monotonic() - start
    timer.cancel()
    assert result is None
    # It stopped at the signal, far from the end: the batch never reported more than a fraction
    # of its replications (400,000 on one thread take several seconds even on an idle core).
    assert max(seen, default=0) < 200_000
    assert elapsed < 10.0


def test_progress_callback_sees_the_batch_and_can_stop_it():
    calls = []
    padsim.run(runs=6000, seed=3, threads=1, progress=lambda done, total: calls.append((done, total)))
    # Ten times a second while it runs, then once complete, however short the batch was.
    assert calls[-1] == (6000, 6000)
    assert all(total == 6000 and 0 <= done <= total for done, total in calls)
    assert [done for done, _ in calls] == sorted(done for done, _ in calls)

    class Stop(Exception):
        pass

    def stop(done, total):
        raise Stop(done)

    with pytest.raises(Stop):
        padsim.run(runs=400_000, seed=3, threads=1, progress=stop)


def test_sigint_stops_a_study_and_python_keeps_its_handler():
    timer = threading.Timer(0.5, lambda: os.kill(os.getpid(), signal.SIGINT))
    start = time.monotonic()
    timer.start()
    with pytest.raises(KeyboardInterrupt):
        padsim.compare(no_responses_a=True, runs=100_000, threads=1)
    timer.cancel()
    assert time.monotonic() - start < 5.0
    # The command line's own SIGINT handling was undone: Ctrl-C is Python's KeyboardInterrupt
    # again (with SIG_DFL left behind, this would end the test process).
    with pytest.raises(KeyboardInterrupt):
        os.kill(os.getpid(), signal.SIGINT)
        time.sleep(1.0)
