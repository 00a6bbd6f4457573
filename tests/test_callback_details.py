import pytest

from bot.core.callback_details import (
    asks_for_a_call,
    display_phone,
    read_callback_details,
)
from scripts.eval_callbacks import SETS, evaluate, judge, load


def cases(name: str) -> list[dict]:
    return load(SETS["dev"] / name)




@pytest.mark.parametrize("case", cases("callbacks_dev.yml"), ids=lambda c: c["text"][:40])
def test_the_teams_cases_are_all_read_right(case):
    assert judge(case, read_callback_details(case["text"])) == {
        "phone": True, "time": True, "name": True}


def test_the_second_authors_dev_cases_are_read_well():
    scores, _ = evaluate(cases("callbacks_dev_b.yml"))
    assert min(scores["phone"], scores["time"], scores["name"]) >= 0.95


def test_the_final_set_is_scored_field_by_field():
    scores, misses = evaluate(load(SETS["final"]))
    assert len(load(SETS["final"])) >= 170
    assert 0 < scores["all"] <= min(scores["phone"], scores["time"], scores["name"]) <= 1
    assert len(misses) == round((1 - scores["all"]) * len(load(SETS["final"])))


@pytest.mark.parametrize(
    ("e164", "shown"),
    [("+15552013344", "(555) 201-3344"), ("+525512345678", "+52 55 1234 5678")],
)
def test_numbers_are_read_back_the_way_people_write_them(e164, shown):
    assert display_phone(e164) == shown


@pytest.mark.parametrize(
    ("text", "asks"),
    [("can someone call me back", True), ("please ring me", True),
     ("me pueden llamar", True), ("can i talk to a person", False),
     ("connect me to a human", False)],
)
def test_a_call_is_told_from_a_person(text, asks):
    assert asks_for_a_call(text) is asks


@pytest.mark.parametrize("text", ["", " ", "9" * 5000, "📞" * 300, "<script>555 201 3344</script>"])
def test_odd_input_never_breaks_it(text):
    found = read_callback_details(text)
    assert found.time is None or len(found.time) <= 80
