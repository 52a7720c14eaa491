"""Tests for carecheck.run.vocabulary: the step definitions read without running, matched as pytest-bdd does."""

from __future__ import annotations

from carecheck.run.vocabulary import matching, vocabulary


def test_every_step_module_contributes_and_each_definition_says_where_it_is() -> None:
    steps = vocabulary()
    assert {step.module for step in steps} >= {"http", "search", "resource", "bundle", "security", "capability", "errors", "formats"}
    assert all(step.pattern and step.line > 0 and step.keyword in (None, "given", "when", "then") for step in steps)
    assert len({(step.module, step.line, step.keyword, step.pattern) for step in steps}) == len(steps)
    assert steps[0].to_data().keys() == {"keyword", "pattern", "vocabulary", "line"}


def test_a_feature_step_matches_the_definition_pytest_bdd_would_run() -> None:
    [status] = matching("then", "the response status is 200")
    assert (status.module, status.pattern) == ("http", "the response status is {status:d}")
    assert matching("when", 'the client reads Patient "2f88064f-8dc3-4763-af75-94faf6b08b18"')


def test_a_step_under_another_keyword_or_with_other_words_matches_nothing() -> None:
    assert matching("when", "the response status is 200") == []  # a Then step written as When
    assert matching("then", "the response status is two hundred") == []
    assert matching("when", 'the client reeds Patient "1"') == []
