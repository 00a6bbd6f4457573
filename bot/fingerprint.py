"""Content fingerprints of build inputs, so that builds run only when an input changed."""

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
    `exclude` do not count.
    """
    digest = hashlib.sha256()
    for item in extra:
        digest.update(item.encode() + b"\0")
    files: set[Path] = set()
    for path in inputs:
        if path.is_dir():
            files.update(p for p in path.rglob("*") if p.is_file())
        elif path.is_file():
            files.add(path)
    skipped = tuple(exclude)
    for file in sorted(f for f in files if not any(f.is_relative_to(x) for x in skipped)):
        digest.update(file.relative_to(root).as_posix().encode() + b"\0")
        digest.update(file.read_bytes() + b"\0")
    return digest.hexdigest()
