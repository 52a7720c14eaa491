@clinical @medicationstatement
Feature: MedicationStatement: the medicines a patient is taking or has taken
  As a pharmacist (hospital services) reconciling a patient's medication on admission
  I want to retrieve the medication statements recorded for the patient, by status and period
  So that I can compare what the patient takes with what is prescribed

  Every search is built from the values of a MedicationStatement the target is known to hold (named in the target
  profile or discovered at the start of the run). Each result is judged for soundness by carecheck's STU3
  search oracle, and the known MedicationStatement must come back exactly when the oracle says it matches.

  Background:
    Given the server declares MedicationStatement
    And the known MedicationStatement record

  @shall @req:CC-READ @req:CC-PROFILE-VALID
  Scenario: Read the known MedicationStatement
    When the client reads the known MedicationStatement
    Then the response status is 200
    And the response is the resource that was asked for
    And every returned MedicationStatement claims its Care Connect profile
    And every returned resource conforms to its Care Connect profile

  @req:CC-SEARCH-MEDICATIONSTATEMENT-PATIENT
  Scenario Outline: Find a patient's medication statements by the patient reference given as <form>
    Given the server supports searching MedicationStatement by <parameter>
    When the client searches MedicationStatement by <parameter> given as <form>
    Then the search succeeds with a searchset Bundle
    And every returned MedicationStatement matches the search
    And the known MedicationStatement is returned exactly when it matches
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
  Scenario Outline: Find a patient's medication statements by <parameter> given as <form>
    Given the server supports searching MedicationStatement by patient, <parameter>
    When the client searches the known patient's MedicationStatement by <parameter> given as <form>
    Then the search succeeds with a searchset Bundle
    And every returned MedicationStatement matches the search
    And the known MedicationStatement is returned exactly when it matches
    And every returned resource conforms to its Care Connect profile

    @should
    Examples: SHOULD (patient + status, effective date)
      | parameter | form   |
      | status    | code   |
      | status    | not    |
      | status    | absent |
      | effective | year   |
      | effective | month  |
      | effective | ge     |
      | effective | le     |
      | effective | gt     |
      | effective | lt     |
      | effective | absent |

  @prefixes @req:FHIR-SEARCH-SEMANTICS
  Scenario Outline: Find a patient's medication statements by effective with the prefix <form>
    Given the server supports searching MedicationStatement by patient, effective
    When the client searches the known patient's MedicationStatement by effective given as <form>
    Then the search succeeds with a searchset Bundle
    And every returned MedicationStatement matches the search
    And the known MedicationStatement is returned exactly when it matches

    @should
    Examples: an explicit eq, then every prefix on the year and on the month of the known MedicationStatement's effective
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
  Scenario Outline: Find a patient's medication statements by <parameters> given as <forms>, missing none
    Given the server supports searching MedicationStatement by patient, <parameters>
    When the client searches the known patient's MedicationStatement by <parameters> given as <forms>
    And the client also searches the known patient's MedicationStatement in one page
    Then the search succeeds with a searchset Bundle
    And every returned MedicationStatement matches the search
    And every one of the known patient's MedicationStatement records that matches is returned
    And the known MedicationStatement is returned exactly when it matches

    @should
    Examples: matching: status and effective date
      | parameters        | forms          |
      | status, effective | code, ge-year  |
      | status, effective | code, ge-month |
      | status, effective | code, le       |

    @should
    Examples: not matching: one criterion no record meets
      | parameters        | forms        |
      | status, effective | code, absent |
      | status, effective | not, year    |
      | status, effective | absent, year |

  @unanchored @req:FHIR-SEARCH-SEMANTICS
  Scenario Outline: Find every patient's medication statements by <parameters> given as <forms>, judging every page
    Given the server supports searching MedicationStatement by <parameters>
    When the client searches every patient's MedicationStatement by <parameters> given as <forms>, 10 to a page
    Then the search succeeds with a searchset Bundle
    And every returned MedicationStatement matches the search
    And the known MedicationStatement is returned exactly when it matches

    @may
    Examples: without a patient: what the server declares
      | parameters        | forms          |
      | status, effective | code, ge-month |
