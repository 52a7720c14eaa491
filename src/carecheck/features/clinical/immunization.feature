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

  @prefixes @req:FHIR-SEARCH-SEMANTICS
  Scenario Outline: Find a patient's immunisations by date with the prefix <form>
    Given the server supports searching Immunization by patient, date
    When the client searches the known patient's Immunization by date given as <form>
    Then the search succeeds with a searchset Bundle
    And every returned Immunization matches the search
    And the known Immunization is returned exactly when it matches

    @should
    Examples: an explicit eq, then every prefix on the year and on the month of the known Immunization's date
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
  Scenario Outline: Find a patient's immunisations by <parameters> given as <forms>, missing none
    Given the server supports searching Immunization by patient, <parameters>
    When the client searches the known patient's Immunization by <parameters> given as <forms>
    And the client also searches the known patient's Immunization in one page
    Then the search succeeds with a searchset Bundle
    And every returned Immunization matches the search
    And every one of the known patient's Immunization records that matches is returned
    And the known Immunization is returned exactly when it matches

    @should
    Examples: matching: status and date (CORE's patient + status, with a date)
      | parameters   | forms       |
      | status, date | code, year  |
      | status, date | code, month |

    @should @core
    Examples: matching: notgiven and date (CORE's patient + notgiven, with a date)
      | parameters     | forms      |
      | notgiven, date | code, year |

    @should
    Examples: not matching: one criterion no record meets
      | parameters     | forms         |
      | status, date   | code, absent  |
      | notgiven, date | not, year     |
      | status, date   | absent, month |

  @unanchored @req:FHIR-SEARCH-SEMANTICS
  Scenario Outline: Find every patient's immunisations by <parameters> given as <forms>, judging every page
    Given the server supports searching Immunization by <parameters>
    When the client searches every patient's Immunization by <parameters> given as <forms>, 10 to a page
    Then the search succeeds with a searchset Bundle
    And every returned Immunization matches the search
    And the known Immunization is returned exactly when it matches

    @may
    Examples: without a patient: what the server declares
      | parameters   | forms       |
      | status, date | code, month |
