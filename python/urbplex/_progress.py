"""Progress callbacks for long C++ calls (tqdm when asked)."""
from __future__ import annotations

from contextlib import contextmanager
from typing import Callable, Iterator, Optional


@contextmanager
def progress_callback(enabled: bool, desc: str) -> Iterator[Optional[Callable[[int, int], None]]]:
    """Yield ``callback(done, total)`` updating a tqdm bar, or None when disabled.

    Ctrl-C is checked by the C++ side whether or not a bar is shown.
    """
    if not enabled:
        yield None
        return
    from tqdm.auto import tqdm

    bar = tqdm(total=None, desc=desc, unit="it")

    def update(done: int, total: int) -> None:
        if total and bar.total != total:
            bar.total = total
        bar.update(done - bar.n)

    try:
        yield update
    finally:
        bar.close()
