@clinical @allergyintolerance
Feature: AllergyIntolerance: the allergies and intolerances recorded for a patient
  As a community pharmacist about to dispense (the guide's "typical summary": allergies)
  I want to find a patient's recorded allergies and intolerances
  So that I do not supply a medicine the patient reacts to

  Every search is built from the values of a AllergyIntolerance the target is known to hold (named in the target
  profile or discovered at the start of the run). Each result is judged for soundness by carecheck's STU3
  search oracle, and the known AllergyIntolerance must come back exactly when the oracle says it matches.

  Background:
    Given the server declares AllergyIntolerance
    And the known AllergyIntolerance record

  @shall @req:CC-READ @req:CC-PROFILE-VALID
  Scenario: Read the known AllergyIntolerance
    When the client reads the known AllergyIntolerance
    Then the response status is 200
    And the response is the resource that was asked for
    And every returned AllergyIntolerance claims its Care Connect profile
    And every returned resource conforms to its Care Connect profile

  @req:CC-SEARCH-ALLERGYINTOLERANCE-PATIENT
  Scenario Outline: Find a patient's allergies by the patient reference given as <form>
    Given the server supports searching AllergyIntolerance by <parameter>
    When the client searches AllergyIntolerance by <parameter> given as <form>
    Then the search succeeds with a searchset Bundle
    And every returned AllergyIntolerance matches the search
    And the known AllergyIntolerance is returned exactly when it matches
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
  Scenario Outline: Find a patient's allergies by <parameter> given as <form>
    Given the server supports searching AllergyIntolerance by patient, <parameter>
    When the client searches the known patient's AllergyIntolerance by <parameter> given as <form>
    Then the search succeeds with a searchset Bundle
    And every returned AllergyIntolerance matches the search
    And the known AllergyIntolerance is returned exactly when it matches
    And every returned resource conforms to its Care Connect profile

    @may
    Examples: MAY in the IG, SHOULD in CORE
      | parameter       | form   |
      | clinical-status | code   |
      | clinical-status | not    |
      | clinical-status | absent |

    @may
    Examples: MAY (asserted date)
      | parameter | form   |
      | date      | year   |
      | date      | month  |
      | date      | ge     |
      | date      | le     |
      | date      | gt     |
      | date      | lt     |
      | date      | absent |

    @shall @core
    Examples: SHALL in CORE only (patient + verification-status)
      | parameter           | form   |
      | verification-status | code   |
      | verification-status | not    |
      | verification-status | absent |

    @should @core
    Examples: SHOULD in CORE only
      | parameter | form         |
      | code      | code         |
      | code      | system\|code |
      | code      | system\|     |
      | code      | not          |
      | code      | absent       |
