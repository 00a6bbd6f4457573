"""py-spy's folded stacks grouped by component, as `make bench --profile` reports them."""

import pytest

from bench.profile import shares

FOLDED = "\n".join([
    "main (bot/__main__.py:7);handle (rasa/core/processor.py:157);retrieve "
    "(bot/adapters/tracker_store.py:90) 3",
    "main (bot/__main__.py:7);parse (rasa/core/processor.py:797);process "
    "(rasa/nlu/classifiers/logistic_regression_classifier.py:170) 4",
    "main (bot/__main__.py:7);run (rasa/core/actions/action.py:790);"
    "_validate_action_result (bot/adapters/action_results.py:30) 2",
    "_bootstrap (threading.py:1002);_worker (concurrent/futures/thread.py:81) 1",
    "_bootstrap (threading.py:1002);_worker (concurrent/futures/thread.py:83);run "
    "(concurrent/futures/thread.py:58);_write (bot/adapters/tracker_store.py:140) 5",
    "main (bot/__main__.py:7);something (json/decoder.py:3) 5",
    "not a sample line",
])


def test_each_sample_counts_once_for_its_first_component():
    assert shares(FOLDED) == pytest.approx({
        "tracker store (ours)": 0.4, "NLU: intent classifier": 0.2, "other": 0.25,
        "action answers checked": 0.1, "idle worker threads": 0.05})


def test_no_samples_no_shares():
    assert shares("") == {}
