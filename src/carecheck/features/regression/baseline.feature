@baseline
Feature: Known results on a known dataset
  As the owner of a nightly run against a server whose data does not change
  I want every search pinned when a run was accepted to return the same records again
  So that any change in what the server returns is caught, with the search and the ids that appeared or disappeared

  The pins are data: a baseline file the target profile names (`baseline:`) or `carecheck run --baseline`,
  recorded by `carecheck baseline` from an accepted run and reviewed like waivers (who accepted it, and why).
  They are a requirement of their own, CARECHECK-BASELINE: a conformant server holding other data fails this
  scenario and nothing else. Without a baseline the scenario is not applicable.

  @may @req:CARECHECK-BASELINE
  Scenario: Every pinned search returns what the baseline pins
    Given the target's baseline
    When the client asks every pinned search again
    Then every pinned search returns what the baseline pins
