"""Reading the running sums (tracker/core/storage/sums.py) converted into a reporting currency, exactly.

A converted sum is ``Σ amount(currency) × rate(currency) / rate(reporting)``, rates being "1 unit = rate
USD". The numerator ``Σ amount × rate`` is computed exactly: amounts are integers of 10^-SCALE units
(:mod:`tracker.core.domain.scaled`) and a
rate with ``k`` decimals is the integer ``rate × 10^k``, so on SQLite (64-bit integers) the database
multiplies and sums them in the GROUP BY itself whenever no product can overflow, and PostgreSQL does it
in ``numeric``. Otherwise (a rate with more than 18 decimals, sums near 2^63) the same numerators are
computed in Python from the per-currency rows, with the same exact result, only slower. The one division
by ``rate(reporting)`` happens last, with 60 significant digits, and each reported figure is rounded
half-even to 4 decimal places once.

A currency with no rate is never converted and never dropped: its native sum and deal count are kept
apart (``unrated``), as in tracker/core/analysis/totals.py.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_EVEN, Context, Decimal, localcontext
from typing import Any

from sqlalchemy import Connection

from tracker.core.analysis.bulk import fetch_all
from tracker.core.domain.scaled import FACTOR, MAX_UNITS, SCALE, from_scaled
from tracker.core.storage.sums import GW_COLUMNS, MEASURES, QUALIFIED_COLUMNS, QUALIFIER_INDEX, SPLIT, measure_exprs

INT64 = (1 << 63) - 1
MAX_RATE_DECIMALS = 18
NO_CURRENCY = "???"
_QUANTUM = Decimal(1).scaleb(-SCALE)  # 0.0001: the storage scale
_FRACTION = f"0{SCALE}d"  # the digits after the point of a stored integer
_Q = tuple(QUALIFIED_COLUMNS.values())  # exact, up_to, at_least, estimated
_GW = tuple(GW_COLUMNS.values())  # gw (exact), gw_up_to, gw_at_least, gw_estimated


_ZERO = Decimal(0)
_ONE = Decimal(1)
_EXACT = Context(prec=80, rounding=ROUND_HALF_EVEN)


def scaled_decimal(value: int) -> Decimal:
    """:func:`tracker.core.domain.scaled.from_scaled` (the same Decimal), with shortcuts for zero, whole numbers
    and positive fractions (tens of thousands of calls per totals)."""
    if not value:
        return _ZERO
    whole, frac = divmod(value, FACTOR)
    if not frac:
        return Decimal(whole)
    if value > 0:
        return Decimal(f"{whole}.{frac:{_FRACTION}}".rstrip("0"))
    return from_scaled(value)


@dataclass(frozen=True)
class Scale:
    """How amounts become numerators: ``mult[currency]`` is ``rate × 10^k`` (an int) when ``k`` is not None,
    else the rate itself (a Decimal); a numerator divided by ``10^(k or 0) × FACTOR × target`` is the amount
    in the reporting currency."""

    target: Decimal
    k: int | None
    mult: Mapping[str, int | Decimal]

    @classmethod
    def of(cls, usd_rates: Mapping[str, Decimal], reporting: str) -> Scale:
        decimals = [max(0, -int(r.as_tuple().exponent)) for r in usd_rates.values()]  # rates are finite
        k = max(decimals, default=0)
        if k <= MAX_RATE_DECIMALS:
            return cls(usd_rates[reporting], k, {c: int(r.scaleb(k)) for c, r in usd_rates.items()})
        return cls(usd_rates[reporting], None, dict(usd_rates))

    def rounder(self) -> Callable[[int | Decimal], Decimal]:
        """:meth:`rounded` as one function with the fast path's constants bound (tens of thousands of calls)."""
        got = self.__dict__.get("_rounder")
        if got is not None:
            return got
        slow = self._rounded_by_division
        if self.k is None or self.target != 1:
            got = slow
        elif not self.k:

            def got(num: int | Decimal) -> Decimal:
                if not num:
                    return _ZERO
                return scaled_decimal(num) if type(num) is int else slow(num)
        else:
            # exact: 80 digits hold any numerator; one C-level quantize does the half-even rounding
            shift, quantize, remainder, exact = -SCALE - self.k, _EXACT.quantize, _EXACT.remainder, _EXACT

            def got(num: int | Decimal) -> Decimal:
                if not num:
                    return _ZERO
                if type(num) is not int:
                    return slow(num)
                d = quantize(Decimal(num).scaleb(shift, exact), _QUANTUM)
                return d.normalize(exact) if remainder(d, _ONE) else d.quantize(_ONE, context=exact)

        self.__dict__["_rounder"] = got
        return got

    def value(self, num: int | Decimal) -> Decimal:
        """A numerator in the reporting currency, unrounded (60 significant digits)."""
        with localcontext() as ctx:
            ctx.prec = 60
            return Decimal(num).scaleb(-SCALE - (self.k or 0)) / self.target

    def rounded(self, num: int | Decimal) -> Decimal:
        """A numerator in the reporting currency, rounded half-even to SCALE decimal places, normalised."""
        return self.rounder()(num)

    def _rounded_by_division(self, num: int | Decimal) -> Decimal:
        """:meth:`rounded` through :meth:`value` (any scale: the path the shortcuts of :meth:`rounder` skip)."""
        return round_figure(self.value(num))


def round_figure(value: Decimal) -> Decimal:
    """``value`` rounded half-even to SCALE (4) decimal places, the storage scale, normalised: ``12.5``, ``3``."""
    with localcontext() as ctx:
        ctx.prec = 60
        value = value.quantize(_QUANTUM, rounding=ROUND_HALF_EVEN)
        return value.quantize(Decimal(1)) if value == value.to_integral_value() else value.normalize()


@dataclass
class Cell:
    """The exact sums of a group of deals: counts, capacity (10^-SCALE GW), a numerator per qualifier (see
    :class:`Scale`) and, per currency without a rate, [native amount in 10^-SCALE units, disclosed deals]."""

    deals: int = 0
    undisclosed: int = 0
    gw: int = 0
    gw_other: list[int] = field(default_factory=lambda: [0, 0, 0])
    """Capacity up to, at least and estimated (10^-SCALE GW), kept apart from the exact ``gw`` (schema 0007)."""
    nums: list[int | Decimal] = field(default_factory=lambda: [0, 0, 0, 0])
    unrated: dict[str, list[int]] = field(default_factory=dict)

    def merge(self, other: Cell, sign: int = 1) -> None:
        self.deals += sign * other.deals
        self.undisclosed += sign * other.undisclosed
        self.gw += sign * other.gw
        for i, g in enumerate(other.gw_other):
            self.gw_other[i] += sign * g
        nums = self.nums
        for i, v in enumerate(other.nums):
            nums[i] += sign * v
        for c, (a, n) in other.unrated.items():
            cell = self.unrated.setdefault(c, [0, 0])
            cell[0] += sign * a
            cell[1] += sign * n
            if cell == [0, 0]:
                del self.unrated[c]

    def add_deals(self, scale: Scale, currency: str | None, qualifier: str, deals: int, disclosed: int,
                  amount: int | None, gw: int | None, gw_qualifier: str | None = None) -> None:  # fmt: skip
        """Add ``deals`` deals of one currency and qualifier: their summed ``amount`` and capacity (stored units) of
        the capacity qualifier ``gw_qualifier`` (None or exact: exact)."""
        self.deals += deals
        self.undisclosed += deals - disclosed
        self.add_gw(gw_qualifier, gw or 0)
        if disclosed and amount is not None:
            amounts = [0, 0, 0, 0]
            amounts[QUALIFIER_INDEX.get(qualifier, 0)] = amount
            self.add_native(scale, currency or "", disclosed, amounts)

    def add_gw(self, qualifier: str | None, gw: int) -> None:
        """Add capacity (10^-SCALE GW) known as ``qualifier``."""
        i = QUALIFIER_INDEX.get(qualifier or "exact", 0)
        if i:
            self.gw_other[i - 1] += gw
        else:
            self.gw += gw

    def add_native(self, scale: Scale, currency: str, disclosed: int, amounts: Sequence[int]) -> None:
        """Add ``amounts`` (per qualifier, stored units) of ``disclosed`` deals in ``currency``."""
        mult = scale.mult.get(currency) if currency else None
        if mult is None:
            if disclosed:
                cell = self.unrated.setdefault(currency or NO_CURRENCY, [0, 0])
                cell[0] += sum(amounts)
                cell[1] += disclosed
            return
        nums = self.nums
        if isinstance(mult, int):
            for i, a in enumerate(amounts):
                if a:
                    nums[i] += a * mult
        else:
            with localcontext() as ctx:
                ctx.prec = 200  # exact: a sum has at most ~35 digits and a rate at most 40 characters
                for i, a in enumerate(amounts):
                    if a:
                        nums[i] += Decimal(a) * mult

    def rank(self) -> int | Decimal:
        """Every converted amount, whatever its qualifier, as a raw numerator: a ranking key that orders the
        cells of one :class:`Scale` as :meth:`weight` does, without making a Decimal (exact either way)."""
        nums = self.nums
        return nums[0] + nums[1] + nums[2] + nums[3]

    def weight(self, scale: Scale) -> Decimal:
        """Every converted amount, whatever its qualifier: a ranking weight, never reported as a sum."""
        total = sum(self.nums)
        if scale.k is not None and scale.target == 1 and isinstance(total, int):
            return Decimal(total).scaleb(-SCALE - scale.k)  # exact, no division
        return scale.value(total)


# --------------------------------------------------------------------------------------------
# Queries


def _sum_expr(conn: Connection, column: str, mult: str) -> str:
    if conn.dialect.name == "sqlite":
        return f"sum({column} * {mult})"
    return f"sum(CAST({column} AS NUMERIC) * {mult})"


def _mult_case(scale: Scale) -> str:
    whens = " ".join(f"WHEN '{c}' THEN {m}" for c, m in sorted(scale.mult.items()) if _is_code(c))
    return f"CASE currency {whens} END" if whens else "NULL"


def _is_code(currency: str) -> bool:
    return len(currency) == 3 and currency.isascii() and currency.isalpha() and currency.isupper()


def read_cells(
    conn: Connection,
    table: str,
    keys: Sequence[str],
    scale: Scale,
    where: str = "TRUE",
    rekey: Callable[[tuple[Any, ...]], Any] | None = None,
    *,
    unrated: bool = True,
    max_part: int | None = None,
    bounds: Bounds | None = None,
) -> dict[Any, Cell]:
    """Cells of ``table`` grouped by ``keys`` (SQL column expressions; a key tuple, or ``rekey(keys)``).

    ``table`` is a running-sums table or a subquery with the same columns (:func:`deal_rows`).
    ``unrated=False`` leaves the currencies without a rate out (counts still include their deals), for
    rankings; ``max_part`` bounds every stored part when the caller knows it; ``bounds`` is
    :func:`read_bounds`, read once by a caller that reads several times."""
    out: dict[Any, Cell] = {}
    present, bound = bounds or read_bounds(conn)
    missing = [c for c in present if c not in scale.mult or not _is_code(c)] if unrated else []
    fast = scale.k is not None and _fits(conn, scale, bound if max_part is None else max(bound, max_part))
    if fast:
        try:
            _read_converted(conn, table, keys, scale, where, out, rekey, missing)
            return out
        except Exception as exc:  # a sum beyond 64 bits on SQLite ("integer overflow")
            if "overflow" not in str(getattr(exc, "orig", exc)).lower():
                raise
            out.clear()
    _read_native(conn, table, keys, scale, where, out, rekey)
    if not unrated:
        for cell in out.values():
            cell.unrated.clear()
    return out


Bounds = tuple[list[str], int]
"""What :func:`read_bounds` returns; several reads in one transaction can share it."""


def read_bounds(conn: Connection) -> Bounds:
    """The currencies of disclosed amounts, and a bound on every stored part of any running-sums row or
    deal: the largest per-currency total of a part column (a row sums some of those deals, at most once
    each). From ``period_total``, which has a few hundred rows."""
    parts = [f"sum({q}_{p})" for q in _Q for p in ("hi", "lo")]
    rows = fetch_all(conn, f"SELECT currency, sum(disclosed), {', '.join(parts)} FROM period_total GROUP BY currency")
    present = [r[0] for r in rows if r[1]]
    bound = max((int(v or 0) for r in rows for v in r[2:]), default=0)
    return present, bound


def deal_rows(where: str) -> str:
    """The deals matching ``where`` as a subquery with the running-sums columns (one row per deal), for
    :func:`read_cells`; its parts are bounded by :data:`DEAL_MAX_PART`."""
    measures = ", ".join(
        f"{expr} AS {name}" for expr, name in zip(measure_exprs("deal", "", False), MEASURES, strict=True)
    )
    return (
        f"(SELECT deal.from_org_id AS from_org_id, deal.to_org_id AS to_org_id, deal.kind AS kind, "
        f"coalesce(deal.currency, '') AS currency, {measures} FROM deal WHERE {where}) AS d"
    )


DEAL_MAX_PART = MAX_UNITS * FACTOR // SPLIT  # an amount is at most 10^18 units (scaled.MAX_UNITS): a part 10^11


def _fits(conn: Connection, scale: Scale, max_part: int) -> bool:
    """True when no product of a stored part and a rate multiplier can pass 2^63 (SQLite only)."""
    if conn.dialect.name != "sqlite":
        return True
    top = max((int(m) for m in scale.mult.values()), default=0)
    return max_part * top <= INT64 // 2


def _read_converted(conn: Connection, table: str, keys: Sequence[str], scale: Scale, where: str,
                    out: dict[Any, Cell], rekey: Callable[[tuple[Any, ...]], Any] | None,
                    unrated: Sequence[str]) -> None:  # fmt: skip
    """One GROUP BY that converts in SQL; each currency without a rate gets its own native columns."""
    mult = _mult_case(scale)
    sums = [
        "sum(deals)", "sum(deals - disclosed)", *(f"sum({g}_{p})" for g in _GW for p in ("hi", "lo")),
        *(_sum_expr(conn, f"{q}_{p}", mult) for q in _Q for p in ("hi", "lo")),
    ]  # fmt: skip
    for c in unrated:
        cond = f"currency = '{c}'" if _is_code(c) or c == "" else "FALSE"
        for p in ("hi", "lo"):
            sums.append(f"sum(CASE WHEN {cond} THEN {' + '.join(f'{q}_{p}' for q in _Q)} END)")
        sums.append(f"sum(CASE WHEN {cond} THEN disclosed END)")
    group = f" GROUP BY {', '.join(keys)}" if keys else ""
    sql = f"SELECT {', '.join([*keys, *sums])} FROM {table} WHERE {where}{group}"
    nk = len(keys)
    names = [c or NO_CURRENCY for c in unrated]
    rows = fetch_all(conn, sql)
    if conn.dialect.name != "sqlite":  # numeric sums arrive as Decimal: whole numbers here
        rows = [tuple(int(v) if isinstance(v, Decimal) else v for v in r) for r in rows]
    split = SPLIT
    get = out.get
    for row in rows:
        n = row[nk]
        if n is None:
            continue  # no row at all (a grand total of nothing)
        key = row[0] if nk == 1 else tuple(row[:nk])
        if nk == 1:
            key = (key,)
        if rekey is not None:
            key = rekey(key)
        cell = get(key)
        if cell is None:
            out[key] = cell = Cell(n, row[nk + 1], row[nk + 2] * split + row[nk + 3])
        else:
            cell.deals += n
            cell.undisclosed += row[nk + 1]
            cell.gw += row[nk + 2] * split + row[nk + 3]
        other = cell.gw_other
        for i in range(3):
            other[i] += row[nk + 4 + 2 * i] * split + row[nk + 5 + 2 * i]
        e_hi, e_lo, u_hi, u_lo, l_hi, l_lo, s_hi, s_lo = row[nk + 10 : nk + 18]
        nums = cell.nums
        if e_hi is not None:
            nums[0] += e_hi * split + e_lo
        if u_hi is not None:
            nums[1] += u_hi * split + u_lo
        if l_hi is not None:
            nums[2] += l_hi * split + l_lo
        if s_hi is not None:
            nums[3] += s_hi * split + s_lo
        i = nk + 18
        for name in names:
            hi, lo, d = row[i], row[i + 1], row[i + 2]
            i += 3
            if d:
                got = cell.unrated.setdefault(name, [0, 0])
                got[0] += hi * split + lo
                got[1] += d


def _read_native(conn: Connection, table: str, keys: Sequence[str], scale: Scale, where: str,
                 out: dict[Any, Cell], rekey: Callable[[tuple[Any, ...]], Any] | None) -> None:  # fmt: skip
    """Per-currency rows, converted here: the slow exact path."""
    cols = ["currency", "sum(deals)", "sum(deals - disclosed)", "sum(disclosed)"]
    cols += [f"sum({q}_{p})" for q in (*_GW, *_Q) for p in ("hi", "lo")]
    sql = f"SELECT {', '.join([*keys, *cols])} FROM {table} WHERE {where} GROUP BY {', '.join([*keys, 'currency'])}"
    nk = len(keys)
    for row in fetch_all(conn, sql):
        key = tuple(row[:nk])
        currency, n, u, d, *parts = row[nk:]
        cell = _cell(out, rekey(key) if rekey else key)
        cell.deals += int(n)
        cell.undisclosed += int(u)
        gws = [int(parts[2 * i]) * SPLIT + int(parts[2 * i + 1]) for i in range(4)]
        cell.gw += gws[0]
        for i in range(3):
            cell.gw_other[i] += gws[i + 1]
        parts = parts[8:]
        amounts = [int(parts[2 * i]) * SPLIT + int(parts[2 * i + 1]) for i in range(4)]
        cell.add_native(scale, currency, int(d), amounts)


def _cell(out: dict[Any, Cell], key: Any) -> Cell:
    cell = out.get(key)
    if cell is None:
        cell = out[key] = Cell()
    return cell
