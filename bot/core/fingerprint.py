"""Content fingerprints of build inputs, so that builds run only when an input changed.

A built folder carries the fingerprint of its inputs in a stamp file: setup rebuilds it
only when the stamp differs, and loaders refuse a folder built from other inputs.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from pathlib import Path


def fingerprint(
    root: Path, inputs: Iterable[Path], extra: Iterable[str] = (), exclude: Iterable[Path] = ()
) -> str:
    """Hash the names and bytes of every file under `inputs` (files or folders).

    Names are taken relative to `root` so that the same checkout in another folder gets
    the same fingerprint; `extra` adds strings such as library versions; files under
    `exclude` do not count, nor does compiled bytecode (`__pycache__`), which Python
    writes beside the code when it first imports it.
    """
    digest = hashlib.sha256()
    for item in extra:
        digest.update(item.encode() + b"\0")
    files: set[Path] = set()
    for path in inputs:
        if path.is_dir():
            files.update(p for p in path.rglob("*")
                         if p.is_file() and "__pycache__" not in p.parts)
        elif path.is_file():
            files.add(path)
    skipped = tuple(exclude)
    for file in sorted(f for f in files if not any(f.is_relative_to(x) for x in skipped)):
        digest.update(file.relative_to(root).as_posix().encode() + b"\0")
        digest.update(file.read_bytes() + b"\0")
    return digest.hexdigest()


STAMP_FILE = "fingerprint.txt"


def is_current(folder: Path, stamp: str) -> bool:
    """Whether `folder` holds a build stamped with `stamp`."""
    stamp_file = folder / STAMP_FILE
    return stamp_file.is_file() and stamp_file.read_text() == stamp


def mark_current(folder: Path, stamp: str) -> None:
    """Stamp a finished build in `folder` (last, so that a failed build is never current)."""
    (folder / STAMP_FILE).write_text(stamp)


def require_current(folder: Path, stamp: str, what: str) -> None:
    """Refuse to load a build of other inputs (stale or missing): say how to rebuild."""
    if not is_current(folder, stamp):
        raise RuntimeError(f"No {what} for the current sources in {folder}: "
                           "run `python -m bot setup`")
