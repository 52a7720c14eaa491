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

  @prefixes @req:FHIR-SEARCH-SEMANTICS
  Scenario Outline: Find a patient's procedures by date with the prefix <form>
    Given the server supports searching Procedure by patient, date
    When the client searches the known patient's Procedure by date given as <form>
    Then the search succeeds with a searchset Bundle
    And every returned Procedure matches the search
    And the known Procedure is returned exactly when it matches

    @shall
    Examples: an explicit eq, then every prefix on the year and on the month of the known Procedure's date
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
  Scenario Outline: Find a patient's procedures by <parameters> given as <forms>, missing none
    Given the server supports searching Procedure by patient, <parameters>
    When the client searches the known patient's Procedure by <parameters> given as <forms>
    And the client also searches the known patient's Procedure in one page
    Then the search succeeds with a searchset Bundle
    And every returned Procedure matches the search
    And every one of the known patient's Procedure records that matches is returned
    And the known Procedure is returned exactly when it matches

    @may
    Examples: matching: code and date (code is a base STU3 parameter, not in the Care Connect tables)
      | parameters | forms              |
      | code, date | system\|code, year |
      | code, date | code, month        |
      | code, date | system\|code, ge   |

    @may
    Examples: not matching: one criterion no record meets
      | parameters | forms         |
      | code, date | absent, year  |
      | code, date | code, lt-year |
      | code, date | not, month    |

  @nomatch @req:FHIR-SEARCH-SEMANTICS
  Scenario Outline: The known Procedure's <parameter> under another system does not find it (<form>)
    Given the server supports searching Procedure by patient, <parameter>
    When the client searches the known patient's Procedure by <parameter> given as <form>
    Then the search succeeds with a searchset Bundle
    And every returned Procedure matches the search
    And the known Procedure is returned exactly when it matches

    @may
    Examples: code
      | parameter | form           |
      | code      | other-system   |
      | code      | unknown-system |

  @unanchored @req:FHIR-SEARCH-SEMANTICS
  Scenario Outline: Find every patient's procedures by <parameters> given as <forms>, judging every page
    Given the server supports searching Procedure by <parameters>
    When the client searches every patient's Procedure by <parameters> given as <forms>, 10 to a page
    Then the search succeeds with a searchset Bundle
    And every returned Procedure matches the search
    And the known Procedure is returned exactly when it matches

    @may
    Examples: without a patient: what the server declares
      | parameters | forms        |
      | code       | system\|code |
      | date       | month        |
