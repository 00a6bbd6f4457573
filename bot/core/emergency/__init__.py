"""Emergency recognition in patients' own words (plain Python, no Rasa inside).

`python -m bot setup` trains the model from `data/emergency/train/` (and, as ordinary
messages, the triage answers and the NLU examples) into
`models/emergency/` (only when the data, lexicon or code changed); the Rasa NLU component
and the action server load it with `load_detector`.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from importlib.metadata import version
from pathlib import Path

import joblib
import yaml

from bot.core import someone_else
from bot.core.emergency.dataset import (
    ANSWERS_DIR,
    NLU_DIR,
    TRAINING_DIR,
    Example,
    load_examples,
    ordinary_answers,
    ordinary_messages,
)
from bot.core.emergency.detector import NOT_URGENT, Assessment, Detector, Kind, Thresholds
from bot.core.emergency.lexicon import LEXICON_FILE, load_lexicon
from bot.core.emergency.model import UrgencyModel
from bot.core.fingerprint import fingerprint, is_current, mark_current, require_current
from bot.core.someone_else import PEOPLE_FILE
from bot.settings import ROOT

__all__ = ["DETECTOR_DIR", "NOT_URGENT", "Assessment", "Detector", "Kind", "ensure_detector",
           "load_detector", "train_detector"]

DETECTOR_DIR = ROOT / "models" / "emergency"
_MODEL_FILE = "model.joblib"
# The files the model is built from: not the folder's notes (README, writers' brief).
_INPUTS = (LEXICON_FILE, TRAINING_DIR, ANSWERS_DIR, NLU_DIR, Path(__file__).resolve().parent,
           PEOPLE_FILE, Path(someone_else.__file__))


def _settings() -> dict:
    return yaml.safe_load(LEXICON_FILE.read_text(encoding="utf-8"))


def _stamp() -> str:
    return fingerprint(ROOT, _INPUTS, extra=[version("scikit-learn")])


def train_detector(examples: Sequence[Example] | None = None) -> Detector:
    """Train a detector in memory (on the training files unless given examples)."""
    settings = _settings()
    lexicon = load_lexicon()
    if examples is None:
        examples = load_examples([TRAINING_DIR]) + ordinary_answers() + ordinary_messages()
    model = UrgencyModel.train(examples, lexicon, settings["model"])
    return Detector(lexicon, model, Thresholds.from_settings(settings["decision"]))


def ensure_detector(out_dir: Path = DETECTOR_DIR) -> bool:
    """Train and store the model unless one from the same sources is there; True if built."""
    stamp = _stamp()
    if is_current(out_dir, stamp):
        return False
    out_dir.mkdir(parents=True, exist_ok=True)
    joblib.dump(train_detector().model, out_dir / _MODEL_FILE)
    mark_current(out_dir, stamp)
    return True


@cache
def load_detector(model_dir: Path = DETECTOR_DIR) -> Detector:
    """The stored detector (once per process); refuses one built from other sources."""
    require_current(model_dir, _stamp(), "emergency model")
    settings = _settings()
    model = joblib.load(model_dir / _MODEL_FILE)
    return Detector(load_lexicon(), model, Thresholds.from_settings(settings["decision"]))
