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

  @prefixes @req:FHIR-SEARCH-SEMANTICS
  Scenario Outline: Find a patient's encounters by date with the prefix <form>
    Given the server supports searching Encounter by patient, date
    When the client searches the known patient's Encounter by date given as <form>
    Then the search succeeds with a searchset Bundle
    And every returned Encounter matches the search
    And the known Encounter is returned exactly when it matches

    @may
    Examples: an explicit eq, then every prefix on the year and on the month of the known Encounter's date
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
  Scenario Outline: Find a patient's encounters by <parameters> given as <forms>, missing none
    Given the server supports searching Encounter by patient, <parameters>
    When the client searches the known patient's Encounter by <parameters> given as <forms>
    And the client also searches the known patient's Encounter in one page
    Then the search succeeds with a searchset Bundle
    And every returned Encounter matches the search
    And every one of the known patient's Encounter records that matches is returned
    And the known Encounter is returned exactly when it matches

    @should @core
    Examples: matching: CORE's combinations (patient + type + date, patient + status)
      | parameters   | forms                 |
      | type, date   | system\|code, ge-year |
      | type, date   | code, ge-month        |
      | status, date | code, ge-year         |

    @should @core
    Examples: not matching: one criterion no record meets
      | parameters   | forms        |
      | type, date   | code, absent |
      | status, date | not, month   |
      | type, date   | absent, year |

  @nomatch @req:FHIR-SEARCH-SEMANTICS
  Scenario Outline: The known Encounter's <parameter> under another system does not find it (<form>)
    Given the server supports searching Encounter by patient, <parameter>
    When the client searches the known patient's Encounter by <parameter> given as <form>
    Then the search succeeds with a searchset Bundle
    And every returned Encounter matches the search
    And the known Encounter is returned exactly when it matches

    @should @core
    Examples: type
      | parameter | form           |
      | type      | other-system   |
      | type      | unknown-system |

  @unanchored @req:FHIR-SEARCH-SEMANTICS
  Scenario Outline: Find every patient's encounters by <parameters> given as <forms>, judging every page
    Given the server supports searching Encounter by <parameters>
    When the client searches every patient's Encounter by <parameters> given as <forms>, 10 to a page
    Then the search succeeds with a searchset Bundle
    And every returned Encounter matches the search
    And the known Encounter is returned exactly when it matches

    @may
    Examples: without a patient: what the server declares
      | parameters | forms         |
      | type       | system\|code  |
      | type, date | code, ge-year |
