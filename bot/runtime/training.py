"""Build what the servers need: the spaCy pipeline and a Rasa model matching the sources.

A model is named after a fingerprint of everything that shapes it (config, domain,
training data, spaCy patterns, the code of our NLU components and of the spaCy pipeline,
the versions of Rasa, spaCy and scikit-learn), so "is there a model for the current
sources?" is a file-exists check, and an unchanged checkout never retrains. Rasa trains
it afresh (`--force`): Rasa's own cache knows a component by its settings, its data and
its class's own source, not by its parent class or the functions it calls, and would
restore one trained by older code.
"""

from __future__ import annotations

import fcntl
import json
import logging
import os
import subprocess
import sys
import time
from importlib.metadata import version
from pathlib import Path

from bot.core.fingerprint import fingerprint
from bot.core.spacy_pipeline import PATTERNS_DIR, SPACY_DIR, ensure_pipeline
from bot.settings import ROOT

logger = logging.getLogger(__name__)

MODEL_DIR = ROOT / "models"
MODEL_PREFIX = "rehab-"
TRAINING_INPUTS = (ROOT / "config.yml", ROOT / "domain.yml", ROOT / "data", PATTERNS_DIR,
                   ROOT / "bot" / "adapters" / "nlu", ROOT / "bot" / "core" / "spacy_pipeline.py")
# The libraries whose versions shape it too: Rasa; spaCy's tokens; the classifiers are
# scikit-learn pipelines stored with joblib.
SHAPING_LIBRARIES = ("rasa", "spacy", "scikit-learn")
# The emergency detector and the answer reader are models of their own (models/emergency,
# models/answers): their data never retrains Rasa's. Of the patterns, only the spaCy
# pipeline's (*.jsonl) shape the model; the word lists (*.yml) are read at run time.
NOT_RASA_INPUTS = (ROOT / "data" / "emergency", ROOT / "data" / "answers",
                   *sorted(PATTERNS_DIR.glob("*.yml")))
TRAINING_TIME = MODEL_DIR / "training-time.json"
"""How long the last Rasa training took, for the benchmark's report (`make bench`)."""


def rasa_env() -> dict[str, str]:
    """Environment for Rasa subprocesses: no telemetry, quiet TensorFlow, no training cache.

    Every training is a full one (`ensure_model`): the cache would be written, never read.
    """
    return {
        **os.environ,
        "RASA_TELEMETRY_ENABLED": "false",
        "RASA_MAX_CACHE_SIZE": "0",
        "TF_CPP_MIN_LOG_LEVEL": "2",
        "SQLALCHEMY_SILENCE_UBER_WARNING": "1",
    }


def current_model_path() -> Path:
    """Where the model for the current sources is (or will be) stored."""
    stamp = fingerprint(ROOT, TRAINING_INPUTS, extra=[version(n) for n in SHAPING_LIBRARIES],
                        exclude=NOT_RASA_INPUTS)
    return MODEL_DIR / f"{MODEL_PREFIX}{stamp[:16]}.tar.gz"


def ensure_readers() -> None:
    """Build the spaCy pipeline and our two models (emergencies, triage answers).

    They take seconds and need no Rasa model, so the checks that use only them can run
    while Rasa trains (`make test`).
    """
    from bot.core.answers import MODEL_DIR as ANSWERS_DIR  # scikit-learn: not for every CLI call
    from bot.core.answers import ensure_answer_model
    from bot.core.emergency import DETECTOR_DIR, ensure_detector

    if ensure_pipeline(SPACY_DIR):
        logger.info("Built the spaCy pipeline in %s", SPACY_DIR)
    if ensure_detector():
        logger.info("Trained the emergency detector in %s", DETECTOR_DIR)
    if ensure_answer_model():
        logger.info("Trained the answer reader in %s", ANSWERS_DIR)


def ensure_model() -> Path:
    """Build our readers (`ensure_readers`); train a Rasa model if none matches.

    Older `rehab-*` models are removed after a successful training so that `models/`
    does not grow with every edit. A lock file makes another process that needs the model
    meanwhile wait for this one: `make test` runs two lanes that each need it, and the
    second must not train it again beside the first.
    """
    MODEL_DIR.mkdir(exist_ok=True)
    with (MODEL_DIR / ".training.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        return _ensure_model()


def _ensure_model() -> Path:
    ensure_readers()
    model = current_model_path()
    if model.is_file():
        logger.info("Model is up to date: %s", model.name)
        return model
    logger.info("Training %s (a few minutes on 2 cores)...", model.name)
    started = time.monotonic()
    subprocess.run(
        [
            sys.executable, "-m", "rasa", "train", "--force",
            "--config", "config.yml", "--domain", "domain.yml", "--data", "data",
            "--out", str(MODEL_DIR), "--fixed-model-name", model.name.removesuffix(".tar.gz"),
        ],
        cwd=ROOT,
        env=rasa_env(),
        check=True,
    )
    TRAINING_TIME.write_text(json.dumps(
        {"model": model.name, "seconds": round(time.monotonic() - started, 1)}))
    for old in MODEL_DIR.glob(f"{MODEL_PREFIX}*.tar.gz"):
        if old != model:
            old.unlink()
    return model
