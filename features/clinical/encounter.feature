@clinical @encounter
Feature: Encounter: a patient's contacts with care services
  As a clinician reviewing a patient's recent contacts (the guide's "typical summary": recent encounters)
  I want to find a patient's encounters by date, status and type
  So that I know where and when the patient was seen

  Every search is built from the values of a Encounter the target is known to hold (named in the target
  profile or discovered at the start of the run). Each result is judged for soundness by carecheck's STU3
  search oracle, and the known Encounter must come back exactly when the oracle says it matches.

  Background:
    Given the server declares Encounter
    And the known Encounter record

  @shall @req:CC-READ @req:CC-PROFILE-VALID
  Scenario: Read the known Encounter
    When the client reads the known Encounter
    Then the response status is 200
    And the response is the resource that was asked for
    And every returned Encounter claims its Care Connect profile
    And every returned resource conforms to its Care Connect profile

  @req:CC-SEARCH-ENCOUNTER-PATIENT
  Scenario Outline: Find a patient's encounters by the patient reference given as <form>
    Given the server supports searching Encounter by <parameter>
    When the client searches Encounter by <parameter> given as <form>
    Then the search succeeds with a searchset Bundle
    And every returned Encounter matches the search
    And the known Encounter is returned exactly when it matches
    And every returned resource conforms to its Care Connect profile

    @may
    Examples: MAY in the IG, SHALL in CORE
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
  Scenario Outline: Find a patient's encounters by <parameter> given as <form>
    Given the server supports searching Encounter by patient, <parameter>
    When the client searches the known patient's Encounter by <parameter> given as <form>
    Then the search succeeds with a searchset Bundle
    And every returned Encounter matches the search
    And the known Encounter is returned exactly when it matches
    And every returned resource conforms to its Care Connect profile

    @may
    Examples: MAY in the IG, SHOULD in CORE
      | parameter | form   |
      | date      | year   |
      | date      | month  |
      | date      | ge     |
      | date      | le     |
      | date      | gt     |
      | date      | lt     |
      | date      | absent |

    @shall @core
    Examples: SHALL in CORE only (patient + status)
      | parameter | form   |
      | status    | code   |
      | status    | not    |
      | status    | absent |

    @should @core
    Examples: SHOULD in CORE only
      | parameter | form         |
      | type      | code         |
      | type      | system\|code |
      | type      | system\|     |
      | type      | not          |
      | type      | absent       |
