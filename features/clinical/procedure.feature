@clinical @procedure
Feature: Procedure: the procedures performed on a patient
  As a clinician (hospital services) preparing a discharge summary
  I want to find the procedures a patient had in a period
  So that the summary lists what was done and when

  Every search is built from the values of a Procedure the target is known to hold (named in the target
  profile or discovered at the start of the run). Each result is judged for soundness by carecheck's STU3
  search oracle, and the known Procedure must come back exactly when the oracle says it matches.

  Background:
    Given the server declares Procedure
    And the known Procedure record

  @shall @req:CC-READ @req:CC-PROFILE-VALID
  Scenario: Read the known Procedure
    When the client reads the known Procedure
    Then the response status is 200
    And the response is the resource that was asked for
    And every returned Procedure claims its Care Connect profile
    And every returned resource conforms to its Care Connect profile

  @req:CC-SEARCH-PROCEDURE-PATIENT
  Scenario Outline: Find a patient's procedures by the patient reference given as <form>
    Given the server supports searching Procedure by <parameter>
    When the client searches Procedure by <parameter> given as <form>
    Then the search succeeds with a searchset Bundle
    And every returned Procedure matches the search
    And the known Procedure is returned exactly when it matches
    And every returned resource conforms to its Care Connect profile

    @shall
    Examples: SHALL
      | parameter | form    |
      | patient   | id      |
      | patient   | type/id |
      | patient   | url     |
      | patient   | typed   |
      | patient   | absent  |

    @may
    Examples: MAY in the IG, SHOULD in CORE (chained NHS number)
      | parameter | form       |
      | patient   | identifier |

  @req:FHIR-SEARCH-SEMANTICS
  Scenario Outline: Find a patient's procedures by <parameter> given as <form>
    Given the server supports searching Procedure by patient, <parameter>
    When the client searches the known patient's Procedure by <parameter> given as <form>
    Then the search succeeds with a searchset Bundle
    And every returned Procedure matches the search
    And the known Procedure is returned exactly when it matches
    And every returned resource conforms to its Care Connect profile

    @shall
    Examples: SHALL (patient + date, every prefix and precision)
      | parameter | form   |
      | date      | year   |
      | date      | month  |
      | date      | day    |
      | date      | ge     |
      | date      | le     |
      | date      | gt     |
      | date      | lt     |
      | date      | ne     |
      | date      | sa     |
      | date      | eb     |
      | date      | absent |
