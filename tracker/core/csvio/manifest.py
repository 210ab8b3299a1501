"""The manifest of an ``export --all`` folder (``manifest.json``): which files it holds, their rows, sizes
and SHA-256, the schema version and the tracker version that wrote them.

The export writes it first, saying ``"complete": false``, and again last, with every file's checksum, once
every file is whole: a folder whose export did not finish says so, whatever happened to it. ``import --all``
checks every file against it (:func:`verify_folder`) before it writes anything. A folder without a manifest
(written by hand, or by a tracker before manifests) is still imported, with a warning; a folder whose
manifest does not match is refused, naming the file.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Collection, Mapping
from pathlib import Path
from typing import Any

from tracker import __version__
from tracker.core.domain.errors import TrackerError
from tracker.migrations import HEAD

MANIFEST = "manifest.json"
FORMAT = "tracker export --all"
VERSION = 1


class ManifestError(TrackerError):
    """A folder whose files do not match its manifest (cut short, changed, missing): nothing was imported."""


def _write(folder: Path, content: dict[str, Any]) -> None:
    temp = folder / f".{MANIFEST}.part"
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with open(fd, "w", encoding="utf-8", newline="\n") as f:
        json.dump(content, f, indent=2, ensure_ascii=False)
        f.write("\n")
        f.flush()
        os.fsync(f.fileno())
    os.replace(temp, folder / MANIFEST)


def _digest(path: Path) -> str:
    with open(path, "rb") as f:
        return hashlib.file_digest(f, "sha256").hexdigest()


def start_manifest(folder: Path) -> None:
    """The manifest of an export under way: any folder it is left in says it is not whole."""
    _write(folder, {"format": FORMAT, "manifest_version": VERSION, "complete": False})


def finish_manifest(folder: Path, rows: Mapping[str, int]) -> None:
    """The manifest of the finished export of ``rows`` (file name → data rows), files already on disk."""
    files = {
        name: {"rows": n, "bytes": (folder / name).stat().st_size, "sha256": _digest(folder / name)}
        for name, n in rows.items()
    }
    _write(folder, {
        "format": FORMAT, "manifest_version": VERSION, "complete": True, "tracker_version": __version__,
        "schema_version": HEAD, "files": files,
    })  # fmt: skip


def _load(folder: Path) -> dict[str, Any]:
    path = folder / MANIFEST
    try:
        with open(path, encoding="utf-8") as f:
            content = json.load(f)
    except (OSError, ValueError) as exc:
        raise ManifestError(f"{path}: not a manifest tracker can read ({exc}); nothing was imported") from None
    if not isinstance(content, dict) or content.get("format") != FORMAT:
        raise ManifestError(f"{path}: not the manifest of a tracker export; nothing was imported")
    version = content.get("manifest_version")
    if not isinstance(version, int) or version > VERSION:
        raise ManifestError(f"{path}: written by a newer tracker (manifest version {version!r}); nothing was imported")
    if content.get("complete") is not True:
        raise ManifestError(
            f"{folder}: an export that did not finish (stopped, killed or out of disk space); nothing was imported"
        )
    files = content.get("files")
    if not isinstance(files, dict) or not all(isinstance(v, dict) for v in files.values()):
        raise ManifestError(f"{path}: its list of files is not readable; nothing was imported")
    return files


def verify_folder(folder: Path, names: Collection[str]) -> str | None:
    """Check every file of the export in ``folder`` (``names``: the file names an export writes) against its
    manifest; :class:`ManifestError` naming the first that does not match. Returns a warning for a folder
    without a manifest, else None."""
    if not (folder / MANIFEST).exists():
        return (
            f"{folder} has no {MANIFEST}: its files cannot be checked to be whole (export --all writes one); "
            "imported as they are"
        )
    files = _load(folder)
    hint = f"; nothing was imported (if you edited it on purpose, delete {MANIFEST} to import the folder unchecked)"
    for name in names:
        path = folder / name
        entry = files.get(name)
        if entry is None:
            if path.exists():
                raise ManifestError(f"{path}: not listed in {MANIFEST}" + hint)
            continue
        if not path.is_file():
            raise ManifestError(f"{path}: missing, though {MANIFEST} lists it; nothing was imported")
        size = path.stat().st_size
        if size != entry.get("bytes"):
            raise ManifestError(
                f"{path}: {size} bytes where {MANIFEST} says {entry.get('bytes')} (cut short or changed since "
                "the export)" + hint
            )
        if _digest(path) != entry.get("sha256"):
            raise ManifestError(f"{path}: its contents do not match {MANIFEST} (changed since the export)" + hint)
    return None
