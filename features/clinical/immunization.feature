@clinical @immunization
Feature: Immunization: the vaccinations a patient has had
  As a practice nurse checking a patient's vaccination history
  I want to find the immunisations recorded for a patient, by date and status
  So that I give the vaccines that are due and no others

  Every search is built from the values of a Immunization the target is known to hold (named in the target
  profile or discovered at the start of the run). Each result is judged for soundness by carecheck's STU3
  search oracle, and the known Immunization must come back exactly when the oracle says it matches.

  Background:
    Given the server declares Immunization
    And the known Immunization record

  @shall @req:CC-READ @req:CC-PROFILE-VALID
  Scenario: Read the known Immunization
    When the client reads the known Immunization
    Then the response status is 200
    And the response is the resource that was asked for
    And every returned Immunization claims its Care Connect profile
    And every returned resource conforms to its Care Connect profile

  @req:CC-SEARCH-IMMUNIZATION-PATIENT
  Scenario Outline: Find a patient's immunisations by the patient reference given as <form>
    Given the server supports searching Immunization by <parameter>
    When the client searches Immunization by <parameter> given as <form>
    Then the search succeeds with a searchset Bundle
    And every returned Immunization matches the search
    And the known Immunization is returned exactly when it matches
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
  Scenario Outline: Find a patient's immunisations by <parameter> given as <form>
    Given the server supports searching Immunization by patient, <parameter>
    When the client searches the known patient's Immunization by <parameter> given as <form>
    Then the search succeeds with a searchset Bundle
    And every returned Immunization matches the search
    And the known Immunization is returned exactly when it matches
    And every returned resource conforms to its Care Connect profile

    @should
    Examples: SHOULD (date)
      | parameter | form   |
      | date      | year   |
      | date      | month  |
      | date      | ge     |
      | date      | le     |
      | date      | gt     |
      | date      | lt     |
      | date      | absent |

    @may
    Examples: MAY in the IG, SHALL in CORE (patient + status)
      | parameter | form   |
      | status    | code   |
      | status    | not    |
      | status    | absent |

    @shall @core
    Examples: SHALL in CORE only (patient + notgiven)
      | parameter | form |
      | notgiven  | code |
      | notgiven  | not  |
