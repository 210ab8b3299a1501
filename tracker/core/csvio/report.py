"""What an import tells its caller: the errors it can raise and the report of what it did (or would do).

:class:`CsvError` is a file that cannot be read as a deals CSV at all; :class:`ImportFailed` carries a
report whose rows had errors (nothing was written). :class:`RowError` is one bad row, as the user sees it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from tracker.core.domain.errors import TrackerError

MAX_REPORTED = 20
"""Bad rows listed one by one; the rest are counted."""


class CsvError(TrackerError):
    """A file that cannot be read as a deals CSV at all (empty, binary, undecodable, no header)."""


@dataclass(frozen=True)
class RowError:
    """One bad cell (or row, without ``column``), shown as ``line N: column 'value': message``."""

    line: int
    column: str
    value: str
    message: str

    def __str__(self) -> str:
        if not self.column:
            return f"line {self.line}: {self.message}"
        shown = self.value if len(self.value) <= 60 else self.value[:57] + "..."
        return f"line {self.line}: {self.column} {shown!r}: {self.message}"


@dataclass(frozen=True)
class CloseName:
    """A new organisation's name close to a stored or reference one, where the file first names it:
    ``line 3: from_org 'Nvdia': did you mean Nvidia?``."""

    line: int
    column: str
    value: str
    meant: str  # "did you mean Nvidia?" (tracker.core.records.resolve.did_you_mean)

    def __str__(self) -> str:
        return f"line {self.line}: {self.column} {self.value!r}: {self.meant}"

    def refused(self) -> RowError:
        """The bad row it is under ``--strict-names``."""
        return RowError(self.line, self.column, self.value, f"no such organisation; {self.meant} (--strict-names)")


@dataclass
class ImportReport:
    """Counts, created names and errors of one import; ``summary()`` is what the user reads."""

    rows: int = 0
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    sources_added: int = 0
    """Rows of deals already stored that brought a new source (added to the deal's sources, schema 0011)."""
    created_orgs: list[str] = field(default_factory=list)
    created_alliances: list[str] = field(default_factory=list)
    unknown_columns: list[str] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    error_count: int = 0
    dry_run: bool = False
    duplicates: list[str] = field(default_factory=list)
    """Likely duplicate deals among the added ones (within the file or against the database), one line a pair."""
    duplicate_count: int = 0
    strict_names: bool = False  # a new name close to another refuses the file (not a count: what was asked)
    reference_orgs: list[str] = field(default_factory=list)  # created from the reference list: "Nvidia (英伟达)"
    close_names: list[CloseName] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.error_count == 0

    def add_error(self, error: RowError) -> None:
        self.error_count += 1
        if len(self.errors) < MAX_REPORTED:
            self.errors.append(error)

    def error_lines(self) -> list[str]:
        lines = [str(e) for e in self.errors]
        if self.error_count > len(self.errors):
            lines.append(f"... and {self.error_count - len(self.errors)} more bad rows")
        return lines

    def summary(self) -> str:
        verb = "would add" if self.dry_run else "added"
        parts = [
            f"{verb} {self.added}",
            f"updated {self.updated}" if not self.dry_run else f"would update {self.updated}",
            f"unchanged {self.unchanged}",
        ]
        if self.sources_added:
            parts.append(
                f"sources added {self.sources_added}" if not self.dry_run else f"would add sources {self.sources_added}"
            )
        text = f"{self.rows} rows: " + ", ".join(parts)
        if self.created_orgs:
            label = "new organisations" if not self.dry_run else "would create organisations"
            text += f"\n{label} ({len(self.created_orgs)}): " + ", ".join(self.created_orgs[:50])
            if len(self.created_orgs) > 50:
                text += f", ... ({len(self.created_orgs) - 50} more)"
        if self.reference_orgs:
            label = "from the reference list" if not self.dry_run else "would create from the reference list"
            text += f"\n{label} ({len(self.reference_orgs)}): " + ", ".join(self.reference_orgs[:50])
            if len(self.reference_orgs) > 50:
                text += f", ... ({len(self.reference_orgs) - 50} more)"
        if self.close_names:
            text += (
                f"\nclose to a known name ({len(self.close_names)}), imported as written "
                "(--strict-names refuses such a file):"
            )
            text += "".join(f"\n  {c}" for c in self.close_names[:MAX_REPORTED])
            if len(self.close_names) > MAX_REPORTED:
                text += f"\n  ... and {len(self.close_names) - MAX_REPORTED} more"
        if self.created_alliances:
            text += "\nnew alliances: " + ", ".join(self.created_alliances)
        if self.unknown_columns:
            text += "\nignored unknown columns: " + ", ".join(self.unknown_columns)
        if self.duplicate_count:
            done = "would be imported all the same" if self.dry_run else "imported all the same, see tracker dedupe"
            text += f"\nlikely duplicates ({self.duplicate_count}; {done}):"
            text += "".join(f"\n  {line}" for line in self.duplicates)
            if self.duplicate_count > len(self.duplicates):
                text += f"\n  ... and {self.duplicate_count - len(self.duplicates)} more"
        if self.dry_run:
            text += "\ndry run: nothing was written"
        return text


class ImportFailed(TrackerError):
    """Bad rows: nothing was written. The message lists them (up to :data:`MAX_REPORTED`, then a count)."""

    def __init__(self, report: ImportReport) -> None:
        super().__init__("\n".join(report.error_lines()))
        self.report = report
