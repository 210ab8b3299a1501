"""Progress bars of the long commands (import, export): Rich bars on stderr when it is a terminal."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any


class Bars:
    """Rich progress bars on stderr when stderr is a terminal; callbacks that do nothing otherwise."""

    def __init__(self, progress: Any) -> None:
        self._progress = progress

    def task(self, label: str, total: int | None, unit: str = "rows") -> Callable[..., None]:
        """A callback ``(done)`` or ``(done, total)``; ``unit`` is "bytes" or "rows"."""
        if self._progress is None:
            return lambda *_: None
        task = self._progress.add_task(label, total=total, unit=unit)

        def update(done: int, new_total: int | None = None) -> None:
            if new_total is not None:
                self._progress.update(task, total=new_total)
            self._progress.update(task, completed=done)

        return update


@contextmanager
def progress_bars() -> Iterator[Bars]:
    """Bars for the block (Rich is imported only when stderr is a terminal)."""
    if not sys.stderr.isatty():
        yield Bars(None)
        return
    from rich.console import Console
    from rich.progress import BarColumn, Progress, ProgressColumn, TextColumn, TimeRemainingColumn
    from rich.text import Text

    class Amount(ProgressColumn):
        def render(self, task: Any) -> Text:
            if task.fields.get("unit") == "bytes":
                from rich.filesize import decimal

                total = f"/{decimal(int(task.total))}" if task.total else ""
                return Text(f"{decimal(int(task.completed))}{total}")
            total = f"/{int(task.total):,}" if task.total else ""
            return Text(f"{int(task.completed):,}{total} rows")

    columns = [TextColumn("{task.description}"), BarColumn(), Amount(), TimeRemainingColumn()]
    with Progress(*columns, console=Console(stderr=True), transient=True) as progress:
        yield Bars(progress)
