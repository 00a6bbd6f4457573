"""Build the spaCy pipeline that Rasa's `SpacyNLP` loads, from pattern files we ship.

No pretrained spaCy model can be downloaded here, so the pipeline is a blank English
tokenizer plus an entity ruler whose patterns (program names and their misspellings, job
tasks, body regions, occupations, clinicians) live as JSONL data in `bot/core/patterns/`.
Each pattern's `id` is the canonical value (e.g. "wh" -> `work_hardening`).
"""

from __future__ import annotations

import shutil
from importlib.metadata import version
from pathlib import Path
from typing import TYPE_CHECKING, Any

import srsly

if TYPE_CHECKING:
    from spacy.language import Language

from bot.core.fingerprint import fingerprint, is_current, mark_current
from bot.settings import ROOT

PATTERNS_DIR = Path(__file__).resolve().parent / "patterns"
# Where `python -m bot setup` builds the pipeline that Rasa and the actions load.
SPACY_DIR = ROOT / "models" / "spacy"
PIPELINE_NAME = "rehab_rules"


def load_patterns(patterns_dir: Path = PATTERNS_DIR) -> list[dict[str, Any]]:
    """All entity-ruler patterns, file by file in name order."""
    patterns: list[dict[str, Any]] = []
    for file in sorted(patterns_dir.glob("*.jsonl")):
        patterns.extend(srsly.read_jsonl(file))
    return patterns


def build_pipeline(patterns: list[dict[str, Any]]) -> Language:
    """A blank English pipeline with a case-insensitive, validated entity ruler.

    spaCy is imported here, not at module level, because it loads TensorFlow (through
    thinc): the command line's database commands must not pay seconds for that.
    """
    import spacy

    nlp = spacy.blank("en")
    nlp.meta["name"] = PIPELINE_NAME
    nlp.meta["description"] = "Tokenizer and entity ruler for the rehab assistant."
    ruler = nlp.add_pipe(
        "entity_ruler", config={"phrase_matcher_attr": "LOWER", "validate": True}
    )
    ruler.add_patterns(patterns)
    return nlp


def ensure_pipeline(out_dir: Path, patterns_dir: Path = PATTERNS_DIR) -> bool:
    """Write the pipeline to `out_dir` unless it is already built from these patterns.

    Returns whether it was (re)built.
    """
    stamp = fingerprint(patterns_dir, [patterns_dir],
                        extra=[version("spacy"), Path(__file__).read_text(encoding="utf-8")])
    if is_current(out_dir, stamp):
        return False
    if out_dir.exists():
        shutil.rmtree(out_dir)
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    build_pipeline(load_patterns(patterns_dir)).to_disk(out_dir)
    mark_current(out_dir, stamp)
    return True
