"""The vocabulary files hold each list once: YAML keeps the last of two same keys silently."""

from pathlib import Path

import pytest
import yaml

from bot.settings import ROOT

VOCABULARIES = sorted((ROOT / "bot" / "core" / "patterns").glob("*.yml"))


class _UniqueKeys(yaml.SafeLoader):
    """A loader that refuses a key given twice in one mapping."""


def _mapping(loader: _UniqueKeys, node: yaml.MappingNode) -> dict:
    keys = [loader.construct_object(key) for key, _ in node.value]
    twice = sorted({str(k) for k in keys if keys.count(k) > 1})
    if twice:
        raise yaml.constructor.ConstructorError(None, None, f"keys given twice: {twice}",
                                                node.start_mark)
    return loader.construct_mapping(node)


_UniqueKeys.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping)


def test_there_are_vocabularies_to_check():
    assert len(VOCABULARIES) >= 5


@pytest.mark.parametrize("path", VOCABULARIES, ids=lambda p: p.name)
def test_a_vocabulary_names_each_list_once(path: Path):
    yaml.load(path.read_text(encoding="utf-8"), Loader=_UniqueKeys)


def test_a_key_given_twice_is_refused():
    with pytest.raises(yaml.constructor.ConstructorError, match="hedges"):
        yaml.load("hedges: [a]\nother: 1\nhedges: [b]\n", Loader=_UniqueKeys)
