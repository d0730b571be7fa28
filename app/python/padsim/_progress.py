"""Progress reporting for long batches: a user callable, tqdm when installed, or a plain bar."""

from __future__ import annotations

import sys
import time
from typing import Callable, Optional, Tuple

Callback = Callable[[int, int], None]


class _TextBar:
    """A one-line bar on stderr, redrawn at most ten times a second."""

    def __init__(self) -> None:
        self._start = time.monotonic()
        self._drawn = False

    def __call__(self, done: int, total: int) -> None:
        share = done / total if total else 1.0
        width = 30
        filled = int(share * width)
        elapsed = time.monotonic() - self._start
        rate = done / elapsed if elapsed > 0 else 0.0
        sys.stderr.write(f"\rpadsim [{'#' * filled}{'.' * (width - filled)}] {share:4.0%} "
                         f"{done}/{total} ({rate:,.0f}/s)")
        sys.stderr.flush()
        self._drawn = True

    def close(self) -> None:
        if self._drawn:
            sys.stderr.write("\r\033[K")
            sys.stderr.flush()


class _Tqdm:
    """tqdm's bar, its total following the batch's (which grows by rounds under runs='auto')."""

    def __init__(self, tqdm_class) -> None:
        self._bar = tqdm_class(unit="runs", desc="padsim")

    def __call__(self, done: int, total: int) -> None:
        if self._bar.total != total:
            self._bar.total = total
        self._bar.update(done - self._bar.n)

    def close(self) -> None:
        self._bar.close()


def make_progress(progress) -> Tuple[Optional[Callback], Callable[[], None]]:
    """The callback for the compiled module and the function that ends it.

    `progress`: None or False (none), True (tqdm if it can be imported, else a text bar on
    stderr), or a callable taking (done, total) replications.
    """
    if progress is None or progress is False:
        return None, lambda: None
    if progress is True:
        try:
            from tqdm.auto import tqdm  # type: ignore[import]
            bar = _Tqdm(tqdm)
        except ImportError:
            bar = _TextBar()  # type: ignore[assignment]
        return bar, bar.close
    if callable(progress):
        return progress, lambda: None
    raise TypeError("progress: expected None, True or a callable (done, total)")
