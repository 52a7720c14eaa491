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

  @prefixes @req:FHIR-SEARCH-SEMANTICS
  Scenario Outline: Find a patient's observations by date with the prefix <form>
    Given the server supports searching Observation by patient, date
    When the client searches the known patient's Observation by date given as <form>
    Then the search succeeds with a searchset Bundle
    And every returned Observation matches the search
    And the known Observation is returned exactly when it matches

    @shall
    Examples: an explicit eq, then every prefix on the year and on the month of the known Observation's date
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
  Scenario Outline: Find a patient's observations by <parameters> given as <forms>, missing none
    Given the server supports searching Observation by patient, <parameters>
    When the client searches the known patient's Observation by <parameters> given as <forms>
    And the client also searches the known patient's Observation in one page
    Then the search succeeds with a searchset Bundle
    And every returned Observation matches the search
    And every one of the known patient's Observation records that matches is returned
    And the known Observation is returned exactly when it matches

    @should
    Examples: matching: the IG's SHOULD combinations (patient + category + date, + category + code, + category + code + date)
      | parameters           | forms                             |
      | category, date       | code, year                        |
      | category, code       | code, system\|code                |
      | category, code, date | system\|code, system\|code, month |
      | category, code, date | code, code, ge                    |

    @should @core
    Examples: matching: CORE's patient + code + date
      | parameters | forms              |
      | code, date | system\|code, year |

    @should
    Examples: not matching: one criterion no record meets
      | parameters           | forms              |
      | category, code, date | code, code, absent |
      | category, code, date | code, absent, year |
      | category, code, date | not, code, month   |
      | code, date           | code, gt-year      |

  @nomatch @req:FHIR-SEARCH-SEMANTICS
  Scenario Outline: The known Observation's <parameter> under another system does not find it (<form>)
    Given the server supports searching Observation by patient, <parameter>
    When the client searches the known patient's Observation by <parameter> given as <form>
    Then the search succeeds with a searchset Bundle
    And every returned Observation matches the search
    And the known Observation is returned exactly when it matches

    @should
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
  Scenario Outline: Find every patient's observations by <parameters> given as <forms>, judging every page
    Given the server supports searching Observation by <parameters>
    When the client searches every patient's Observation by <parameters> given as <forms>, 10 to a page
    Then the search succeeds with a searchset Bundle
    And every returned Observation matches the search
    And the known Observation is returned exactly when it matches

    @may
    Examples: without a patient: what the server declares
      | parameters     | forms              |
      | code           | system\|code       |
      | code, date     | system\|code, year |
      | category, date | code, month        |
