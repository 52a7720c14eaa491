@clinical @condition
Feature: Condition: the problems and diagnoses recorded for a patient
  As a GP reviewing a patient's active problems (the guide's "typical summary")
  I want to find a patient's conditions by status, category, code and date
  So that I see the problems that matter now

  Every search is built from the values of a Condition the target is known to hold (named in the target
  profile or discovered at the start of the run). Each result is judged for soundness by carecheck's STU3
  search oracle, and the known Condition must come back exactly when the oracle says it matches.

  Background:
    Given the server declares Condition
    And the known Condition record

  @shall @req:CC-READ @req:CC-PROFILE-VALID
  Scenario: Read the known condition
    When the client reads the known Condition
    Then the response status is 200
    And the response is the resource that was asked for
    And every returned Condition claims its Care Connect profile
    And every returned resource conforms to its Care Connect profile

  @req:CC-SEARCH-CONDITION-PATIENT
  Scenario Outline: Find a patient's conditions by the patient reference given as <form>
    Given the server supports searching Condition by <parameter>
    When the client searches Condition by <parameter> given as <form>
    Then the search succeeds with a searchset Bundle
    And every returned Condition matches the search
    And the known Condition is returned exactly when it matches
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
    Examples: MAY in the IG, SHOULD in CORE
      | parameter | form       |
      | patient   | identifier |

  @req:FHIR-SEARCH-SEMANTICS
  Scenario Outline: Find a patient's conditions by <parameter> given as <form>
    Given the server supports searching Condition by patient, <parameter>
    When the client searches the known patient's Condition by <parameter> given as <form>
    Then the search succeeds with a searchset Bundle
    And every returned Condition matches the search
    And the known Condition is returned exactly when it matches
    And every returned resource conforms to its Care Connect profile

    @should
    Examples: SHOULD (patient + clinical-status, patient + category)
      | parameter       | form        |
      | clinical-status | code        |
      | clinical-status | not         |
      | clinical-status | absent      |
      | category        | code        |
      | category        | system\|code |
      | category        | system\|     |
      | category        | not         |
      | category        | absent      |

    @may
    Examples: MAY
      | parameter     | form   |
      | asserted-date | year   |
      | asserted-date | month  |
      | asserted-date | ge     |
      | asserted-date | le     |
      | asserted-date | gt     |
      | asserted-date | lt     |
      | asserted-date | absent |

    @should @core
    Examples: SHOULD in CORE only
      | parameter | form         |
      | code      | code         |
      | code      | system\|code |
      | code      | absent       |

  @prefixes @req:FHIR-SEARCH-SEMANTICS
  Scenario Outline: Find a patient's conditions by asserted-date with the prefix <form>
    Given the server supports searching Condition by patient, asserted-date
    When the client searches the known patient's Condition by asserted-date given as <form>
    Then the search succeeds with a searchset Bundle
    And every returned Condition matches the search
    And the known Condition is returned exactly when it matches

    @may
    Examples: an explicit eq, then every prefix on the year and on the month of the known Condition's asserted-date
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
  Scenario Outline: Find a patient's conditions by <parameters> given as <forms>, missing none
    Given the server supports searching Condition by patient, <parameters>
    When the client searches the known patient's Condition by <parameters> given as <forms>
    And the client also searches the known patient's Condition in one page
    Then the search succeeds with a searchset Bundle
    And every returned Condition matches the search
    And every one of the known patient's Condition records that matches is returned
    And the known Condition is returned exactly when it matches

    @should
    Examples: matching: the IG's SHOULD combinations together (patient + category, patient + clinical-status)
      | parameters                | forms              |
      | category, clinical-status | code, code         |
      | category, clinical-status | system\|code, code |

    @may
    Examples: matching: code and asserted date (CORE's patient + code, with a date)
      | parameters                    | forms              |
      | code, asserted-date           | system\|code, year |
      | category, code, asserted-date | code, code, month  |

    @may
    Examples: not matching: one criterion no record meets
      | parameters                    | forms              |
      | code, asserted-date           | code, absent       |
      | category, clinical-status     | code, not          |
      | category, code, asserted-date | absent, code, year |

  @nomatch @req:FHIR-SEARCH-SEMANTICS
  Scenario Outline: The known Condition's <parameter> under another system does not find it (<form>)
    Given the server supports searching Condition by patient, <parameter>
    When the client searches the known patient's Condition by <parameter> given as <form>
    Then the search succeeds with a searchset Bundle
    And every returned Condition matches the search
    And the known Condition is returned exactly when it matches

    @should @core
    Examples: code
      | parameter | form           |
      | code      | other-system   |
      | code      | unknown-system |

    @should
    Examples: category
      | parameter | form           |
      | category  | other-system   |
      | category  | unknown-system |

  @unanchored @req:FHIR-SEARCH-SEMANTICS
  Scenario Outline: Find every patient's conditions by <parameters> given as <forms>, judging every page
    Given the server supports searching Condition by <parameters>
    When the client searches every patient's Condition by <parameters> given as <forms>, 10 to a page
    Then the search succeeds with a searchset Bundle
    And every returned Condition matches the search
    And the known Condition is returned exactly when it matches

    @may
    Examples: without a patient: what the server declares
      | parameters          | forms        |
      | code                | system\|code |
      | code, asserted-date | code, year   |
