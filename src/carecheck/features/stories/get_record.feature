@stories @include
Feature: Retrieve a record with everything it refers to, in one request
  As a developer of a system that caches a patient's record (the guide's "get record" pattern)
  I want a search to bring back the resources that refer to what I asked for, or that it refers to
  So that I fetch a whole record in one round trip
  Providers are not obliged to honour includes, so these scenarios are MAY.

  @may @req:CC-SEARCH-INCLUDE
  Scenario: A patient with everything that refers to them
    Given the known Patient record
    When the client searches the known Patient by id including everything that refers to it
    Then the search succeeds with a searchset Bundle
    And every returned Patient matches the search
    And the known records that refer to the Patient are included

  @may @req:CC-SEARCH-INCLUDE
  Scenario: An encounter with everything that refers to it
    Given the server declares Encounter
    And the known Encounter record
    When the client searches the known Encounter by id including everything that refers to it
    Then the search succeeds with a searchset Bundle
    And every returned Encounter matches the search
    And the known records that refer to the Encounter are included

  @may @req:CC-SEARCH-INCLUDE
  Scenario Outline: A patient's <resource> records with the medicines they refer to
    Given the server declares <resource>
    And the known <resource> record
    When the client searches the known patient's <resource> including <include>
    Then the search succeeds with a searchset Bundle
    And every returned <resource> matches the search
    And every resource the matches refer to through <include> is included

    Examples:
      | resource            | include                         |
      | MedicationRequest   | MedicationRequest:medication    |
      | MedicationStatement | MedicationStatement:medication  |
