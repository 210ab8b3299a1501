"""The spool: every checked row of pass one, as one tuple, in length-prefixed ``marshal`` blocks of a
temporary file that pass two (or the overlapped import's writer) reads back.

A row is parsed and checked once, the file cannot change between the passes, and memory stays flat.
The tuple's fields are :data:`SPOOL_FIELDS`, in that order: parties by name and name key (resolved to
ids only in pass two), the date as ISO text, the amount as stored (tracker.core.domain.scaled.amount_digits), capacity as a scaled
integer.
"""

from __future__ import annotations

import marshal
from collections.abc import Iterator
from decimal import Decimal
from typing import IO, Any

from tracker.core.domain.fields import DealValues
from tracker.core.domain.names import name_key
from tracker.core.domain.scaled import FACTOR, amount_digits

SPOOL_FIELDS = (
    "line", "id", "ref", "alliances", "from_name", "from_key", "to_name", "to_key",
    "date", "date_precision", "kind", "amount", "currency", "qualifier", "amount_text", "capacity_gw",
    "capacity_qualifier", "status", "description", "source_outlet", "source_author", "source_title", "source_url", "source_date",
)  # fmt: skip
"""The fields of a spooled row, in order."""
SPOOL_BATCH = 1000
"""Rows per block at most (also the batch of look-ups in pass two)."""
SPOOL_BYTES = 8 << 20
"""... and at most this much text per block, so rows of ~1 MiB fields keep memory bounded."""


def scaled(value: Decimal | None) -> int | None:
    """An amount or capacity in stored units (see tracker.core.domain.scaled), None kept."""
    return None if value is None else int(value * FACTOR)


def spool_tuple(line: int, v: DealValues) -> tuple[Any, ...]:
    """The spooled form of a deal checked by parse_deal_fields (the slow path)."""
    assert v.date is not None
    to_name = v.to_org
    return (
        line, v.id, v.ref, v.alliances, v.from_org, name_key(v.from_org), to_name,
        name_key(to_name) if to_name else None, v.date.isoformat(), v.date_precision, v.kind, amount_digits(v.amount),
        v.currency, v.qualifier, v.amount_text, scaled(v.capacity_gw), v.capacity_qualifier, v.status, v.description, v.source_outlet,
        v.source_author, v.source_title, v.source_url, v.source_date, v.source_extra,
    )  # fmt: skip


def write_block(spool: IO[bytes], rows: list[tuple[Any, ...]]) -> None:
    """Append one block of spooled rows at the spool's position."""
    block = marshal.dumps(rows)
    spool.write(len(block).to_bytes(8, "little"))
    spool.write(block)


def read_block(spool: IO[bytes]) -> list[tuple[Any, ...]] | None:
    """The next block of :func:`write_block` at the spool's position, or None at its end (length-prefixed
    blocks: ``marshal.load`` from a file reads in tiny pieces)."""
    size = spool.read(8)
    if not size:
        return None
    return marshal.loads(spool.read(int.from_bytes(size, "little")))


def spooled_blocks(spool: IO[bytes]) -> Iterator[list[tuple[Any, ...]]]:
    """Every block of the spool, from its start, in order."""
    spool.seek(0)
    while (block := read_block(spool)) is not None:
        yield block
