from pathlib import Path

from bot.core.fingerprint import fingerprint


def make_tree(root):
    (root / "data").mkdir(parents=True)
    (root / "data" / "a.yml").write_text("a")
    (root / "config.yml").write_text("c")
    return [root / "data", root / "config.yml", root / "absent.yml"]


def test_same_content_in_another_folder_gives_the_same_fingerprint(tmp_path):
    one = fingerprint(tmp_path / "x", make_tree(tmp_path / "x"))
    two = fingerprint(tmp_path / "y", make_tree(tmp_path / "y"))
    assert one == two


def test_any_change_changes_the_fingerprint(tmp_path):
    inputs = make_tree(tmp_path)
    before = fingerprint(tmp_path, inputs)
    (tmp_path / "data" / "a.yml").write_text("b")
    edited = fingerprint(tmp_path, inputs)
    (tmp_path / "data" / "new.yml").write_text("")
    added = fingerprint(tmp_path, inputs)
    assert len({before, edited, added, fingerprint(tmp_path, inputs, extra=["3.6"])}) == 4


def test_renaming_a_file_changes_the_fingerprint(tmp_path):
    inputs = make_tree(tmp_path)
    before = fingerprint(tmp_path, inputs)
    (tmp_path / "data" / "a.yml").rename(tmp_path / "data" / "b.yml")
    assert fingerprint(tmp_path, inputs) != before


def test_bytecode_written_beside_the_code_does_not_count(tmp_path):
    """Python writes `__pycache__` when it first imports the code (unless told not to):
    a model built before that import must still be current after it."""
    inputs = make_tree(tmp_path)
    before = fingerprint(tmp_path, inputs)
    (tmp_path / "data" / "__pycache__").mkdir()
    (tmp_path / "data" / "__pycache__" / "a.cpython-311.pyc").write_bytes(b"\x00")
    assert fingerprint(tmp_path, inputs) == before


def test_the_code_of_our_nlu_components_shapes_the_rasa_model_name():
    """Rasa trains them on the spaCy pipeline's tokens; a change to how either works
    must train a new model."""
    import inspect

    from bot.adapters.nlu import faq_selector, intent_classifier
    from bot.core import spacy_pipeline
    from bot.runtime.training import NOT_RASA_INPUTS, TRAINING_INPUTS

    for module in (intent_classifier, faq_selector, spacy_pipeline):
        code = Path(inspect.getfile(module)).resolve()
        assert any(code.is_relative_to(p) for p in TRAINING_INPUTS)
        assert not any(code.is_relative_to(p) for p in NOT_RASA_INPUTS)


def test_rasa_trains_the_model_afresh_not_from_its_cache(tmp_path, monkeypatch):
    """Rasa's cache would give back a classifier trained by older code (see above)."""
    from bot.runtime import training

    commands = []
    monkeypatch.setattr(training, "MODEL_DIR", tmp_path)
    monkeypatch.setattr(training, "TRAINING_TIME", tmp_path / "training-time.json")
    monkeypatch.setattr(training, "ensure_readers", lambda: None)
    monkeypatch.setattr(training.subprocess, "run", lambda command, **_: commands.append(command))
    model = training.ensure_model()
    assert model.parent == tmp_path
    assert len(commands) == 1
    assert commands[0][1:4] == ["-m", "rasa", "train"] and "--force" in commands[0]



def test_a_second_caller_waits_for_the_training_and_does_not_train_again(tmp_path, monkeypatch):
    """`make test` runs two lanes that each need the model (README "Tests")."""
    import threading

    from bot.runtime import training

    commands, found = [], []
    training_started, release = threading.Event(), threading.Event()

    def train(command, **_):
        commands.append(command)
        training_started.set()
        release.wait(10)
        (tmp_path / f"{command[command.index('--fixed-model-name') + 1]}.tar.gz").touch()

    monkeypatch.setattr(training, "MODEL_DIR", tmp_path)
    monkeypatch.setattr(training, "TRAINING_TIME", tmp_path / "training-time.json")
    monkeypatch.setattr(training, "ensure_readers", lambda: None)
    monkeypatch.setattr(training.subprocess, "run", train)
    lanes = [threading.Thread(target=lambda: found.append(training.ensure_model()))
             for _ in range(2)]
    lanes[0].start()
    assert training_started.wait(10)
    lanes[1].start()
    lanes[1].join(0.5)
    assert lanes[1].is_alive() and len(commands) == 1
    release.set()
    for lane in lanes:
        lane.join(10)
    assert len(found) == 2 and found[0] == found[1] and found[0].is_file()
    assert len(commands) == 1
