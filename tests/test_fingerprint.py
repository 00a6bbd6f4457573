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
