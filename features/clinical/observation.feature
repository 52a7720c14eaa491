@clinical @observation
Feature: Observation: a patient's measurements, results and findings
  As a GP reviewing a patient's results (the guide's clinical care coordination story)
  I want to find a patient's observations by category, code and date
  So that I see the results that matter for the decision in front of me

  Every search is built from the values of a Observation the target is known to hold (named in the target
  profile or discovered at the start of the run). Each result is judged for soundness by carecheck's STU3
  search oracle, and the known Observation must come back exactly when the oracle says it matches.

  Background:
    Given the server declares Observation
    And the known Observation record

  @shall @req:CC-READ @req:CC-PROFILE-VALID
  Scenario: Read the known Observation
    When the client reads the known Observation
    Then the response status is 200
    And the response is the resource that was asked for
    And every returned Observation claims its Care Connect profile
    And every returned resource conforms to its Care Connect profile

  @req:CC-SEARCH-OBSERVATION-PATIENT
  Scenario Outline: Find a patient's observations by the patient reference given as <form>
    Given the server supports searching Observation by <parameter>
    When the client searches Observation by <parameter> given as <form>
    Then the search succeeds with a searchset Bundle
    And every returned Observation matches the search
    And the known Observation is returned exactly when it matches
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
  Scenario Outline: Find a patient's observations by <parameter> given as <form>
    Given the server supports searching Observation by patient, <parameter>
    When the client searches the known patient's Observation by <parameter> given as <form>
    Then the search succeeds with a searchset Bundle
    And every returned Observation matches the search
    And the known Observation is returned exactly when it matches
    And every returned resource conforms to its Care Connect profile

    @shall
    Examples: SHALL (patient + date)
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

    @should
    Examples: SHOULD (patient + category, patient + code)
      | parameter | form         |
      | category  | code         |
      | category  | system\|code |
      | category  | system\|     |
      | category  | not          |
      | category  | absent       |
      | code      | code         |
      | code      | system\|code |
      | code      | system\|     |
      | code      | not          |
      | code      | absent       |
