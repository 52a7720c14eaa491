@directory @medication
Feature: Medication: the medicines the records refer to
  As a pharmacist reconciling a patient's medication
  I want to look up a medicine by its dm+d or SNOMED CT code
  So that I know exactly which product a prescription refers to

  Every search is built from the values of a Medication the target is known to hold (named in the target
  profile, or found from the known patient's records, or the first the server lists). Each result is
  judged for soundness by carecheck's STU3 search oracle, and the known Medication must come back exactly
  when the oracle says it matches.

  Background:
    Given the server declares Medication
    And the known Medication record

  @shall @req:CC-READ @req:CC-PROFILE-VALID
  Scenario: Read the known Medication
    When the client reads the known Medication
    Then the response status is 200
    And the response is the resource that was asked for
    And every returned Medication claims its Care Connect profile
    And every returned resource conforms to its Care Connect profile

  @req:FHIR-SEARCH-SEMANTICS
  Scenario Outline: Search Medication by <parameter> given as <form>
    Given the server supports searching Medication by <parameter>
    When the client searches Medication by <parameter> given as <form>
    Then the search succeeds with a searchset Bundle
    And every returned Medication matches the search
    And the known Medication is returned exactly when it matches
    And every returned resource conforms to its Care Connect profile

    @shall
    Examples: SHALL
      | parameter | form         |
      | code      | code         |
      | code      | system\|code |
      | code      | absent       |
