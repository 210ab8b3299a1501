"""The app's last line of defence against escapes in the data: every text Rich and Textual draw shows its
control characters visibly.

The app's own widgets build what they show from the data with :func:`tracker.core.domain.text.visible`
(names, descriptions, messages). Rich's ``Text`` and Textual's ``Content`` also pass every string they are
given through a sanitiser, but that one only strips BEL, backspace, VT, FF and CR: ESC and the C1 controls
go through, so a name reaching any other widget (an input's value, a suggestion, a third-party widget)
would reach the terminal raw, OSC 52 and all. :func:`install` makes both sanitisers escape those as
``visible`` does (``\\x1b``), keeping what they stripped stripped and tabs and line breaks as they are.

Installed by the app before it draws anything (tracker/ui/database_app.py); the command line never draws
with Rich, so it is untouched. Both hooks are module attributes the libraries look up on every call
(``rich.text.strip_control_codes``, ``textual.content._strip_control_codes``); if a new version renames
them, :func:`install` says so by returning False and tests/ui/test_hostile_names.py fails.
"""

from __future__ import annotations

from tracker.core.domain.text import visible

__all__ = ["TRANSLATION", "install", "sanitised", "uninstall"]

_STRIPPED = (0x07, 0x08, 0x0B, 0x0C, 0x0D)
"""What both libraries strip today (BEL, BS, VT, FF, CR): still stripped."""
_BIDI = (0x202A, 0x202B, 0x202C, 0x202D, 0x202E, 0x2066, 0x2067, 0x2068, 0x2069)

TRANSLATION: dict[int, str | None] = {
    **{code: visible(chr(code)) for code in (*range(0x20), 0x7F, *range(0x80, 0xA0), *_BIDI) if code not in (9, 10)},
    **dict.fromkeys(_STRIPPED),
}
"""A ``str.translate`` table: every control character but tab and line feed escaped, or stripped."""


def sanitised(text: str, _translate_table: object = None) -> str:
    """``text`` with :data:`TRANSLATION` applied (the libraries' sanitiser signature)."""
    return text.translate(TRANSLATION)


_originals: dict[str, object] = {}


def install() -> bool:
    """Make Rich's and Textual's sanitisers :func:`sanitised`; True when both hooks were found."""
    import rich.text
    import textual.content

    found = hasattr(rich.text, "strip_control_codes") and hasattr(textual.content, "_strip_control_codes")
    if not _originals:
        _originals["rich"] = getattr(rich.text, "strip_control_codes", None)
        _originals["textual"] = getattr(textual.content, "_strip_control_codes", None)
    rich.text.strip_control_codes = sanitised
    setattr(textual.content, "_strip_control_codes", sanitised)  # noqa: B010  (a library's own name)
    return found


def uninstall() -> None:
    """Put the libraries' own sanitisers back (tests that check the app's widgets escape by themselves)."""
    import rich.text
    import textual.content

    if _originals:
        setattr(rich.text, "strip_control_codes", _originals.pop("rich"))  # noqa: B010
        setattr(textual.content, "_strip_control_codes", _originals.pop("textual"))  # noqa: B010
