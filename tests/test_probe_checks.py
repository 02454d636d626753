"""tools/probe_checks.py, the probe of issue 28: right answers refused and wrong answers accepted, per exercise.

The full probe (every function exercise, over a thousand answers) is run by hand
for an issue's closing note; here it runs on a few quick exercises so the
script keeps working and those checks keep judging every answer right.
"""
import pytest
from tool_loading import load_tool

probe_checks = load_tool("probe_checks")


@pytest.mark.parametrize("key", ["02.3", "09.3", "09.5", "11.3"])
def test_the_probe_finds_no_misjudged_answer(key):
    row = probe_checks.probe(key)
    assert row["tried"] >= 30
    assert row["right_refused"] == [] and row["wrong_accepted"] == [], row


def test_the_probe_can_fail():
    """A check that accepts everything is caught: every wrong answer shows up as accepted."""
    from helpers import exercises

    entry = exercises._EXERCISES["09.5"]
    original = entry.check
    entry.check = lambda answer: None
    try:
        row = probe_checks.probe("09.5")
    finally:
        entry.check = original
    assert len(row["wrong_accepted"]) >= 10, row
