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

  @prefixes @req:FHIR-SEARCH-SEMANTICS
  Scenario Outline: Find a patient's allergies by date with the prefix <form>
    Given the server supports searching AllergyIntolerance by patient, date
    When the client searches the known patient's AllergyIntolerance by date given as <form>
    Then the search succeeds with a searchset Bundle
    And every returned AllergyIntolerance matches the search
    And the known AllergyIntolerance is returned exactly when it matches

    @may
    Examples: an explicit eq, then every prefix on the year and on the month of the known AllergyIntolerance's date
      | form     |
      | eq       |
      | eq-year  |
      | ne-year  |
      | gt-year  |
      | lt-year  |
      | ge-year  |
      | le-year  |
      | sa-year  |
      | eb-year  |
      | ap-year  |
      | eq-month |
      | ne-month |
      | gt-month |
      | lt-month |
      | ge-month |
      | le-month |
      | sa-month |
      | eb-month |
      | ap-month |

  @combinations @req:FHIR-SEARCH-SEMANTICS @req:FHIR-SEARCH-COMPLETE
  Scenario Outline: Find a patient's allergies by <parameters> given as <forms>, missing none
    Given the server supports searching AllergyIntolerance by patient, <parameters>
    When the client searches the known patient's AllergyIntolerance by <parameters> given as <forms>
    And the client also searches the known patient's AllergyIntolerance in one page
    Then the search succeeds with a searchset Bundle
    And every returned AllergyIntolerance matches the search
    And every one of the known patient's AllergyIntolerance records that matches is returned
    And the known AllergyIntolerance is returned exactly when it matches

    @may
    Examples: matching: the IG's MAY parameters together
      | parameters            | forms          |
      | clinical-status, date | code, year     |
      | clinical-status, date | code, ap-month |

    @should @core
    Examples: matching: CORE's combinations (patient + code, patient + clinical-status)
      | parameters                      | forms              |
      | code, clinical-status           | system\|code, code |
      | code, verification-status, date | code, code, month  |

    @may
    Examples: not matching: one criterion no record meets
      | parameters            | forms        |
      | clinical-status, date | code, absent |
      | code, date            | absent, year |
      | code, clinical-status | code, not    |

  @nomatch @req:FHIR-SEARCH-SEMANTICS
  Scenario Outline: The known AllergyIntolerance's <parameter> under another system does not find it (<form>)
    Given the server supports searching AllergyIntolerance by patient, <parameter>
    When the client searches the known patient's AllergyIntolerance by <parameter> given as <form>
    Then the search succeeds with a searchset Bundle
    And every returned AllergyIntolerance matches the search
    And the known AllergyIntolerance is returned exactly when it matches

    @should @core
    Examples: code
      | parameter | form           |
      | code      | other-system   |
      | code      | unknown-system |

  @unanchored @req:FHIR-SEARCH-SEMANTICS
  Scenario Outline: Find every patient's allergies by <parameters> given as <forms>, judging every page
    Given the server supports searching AllergyIntolerance by <parameters>
    When the client searches every patient's AllergyIntolerance by <parameters> given as <forms>, 10 to a page
    Then the search succeeds with a searchset Bundle
    And every returned AllergyIntolerance matches the search
    And the known AllergyIntolerance is returned exactly when it matches

    @may
    Examples: without a patient: what the server declares
      | parameters | forms        |
      | code       | system\|code |
