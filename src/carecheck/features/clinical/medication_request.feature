@clinical @medicationrequest
Feature: MedicationRequest: the medicines prescribed for a patient
  As a pharmacist (hospital services) reconciling a patient's medication (the Bristol proof of concept)
  I want to retrieve the prescriptions issued for the patient, by status, date and medicine
  So that I know what was prescribed, when, and whether it is still active

  Every search is built from the values of a MedicationRequest the target is known to hold (named in the target
  profile or discovered at the start of the run). Each result is judged for soundness by carecheck's STU3
  search oracle, and the known MedicationRequest must come back exactly when the oracle says it matches.

  Background:
    Given the server declares MedicationRequest
    And the known MedicationRequest record

  @shall @req:CC-READ @req:CC-PROFILE-VALID
  Scenario: Read the known MedicationRequest
    When the client reads the known MedicationRequest
    Then the response status is 200
    And the response is the resource that was asked for
    And every returned MedicationRequest claims its Care Connect profile
    And every returned resource conforms to its Care Connect profile

  @req:CC-SEARCH-MEDICATIONREQUEST-PATIENT
  Scenario Outline: Find a patient's prescriptions by the patient reference given as <form>
    Given the server supports searching MedicationRequest by <parameter>
    When the client searches MedicationRequest by <parameter> given as <form>
    Then the search succeeds with a searchset Bundle
    And every returned MedicationRequest matches the search
    And the known MedicationRequest is returned exactly when it matches
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
  Scenario Outline: Find a patient's prescriptions by <parameter> given as <form>
    Given the server supports searching MedicationRequest by patient, <parameter>
    When the client searches the known patient's MedicationRequest by <parameter> given as <form>
    Then the search succeeds with a searchset Bundle
    And every returned MedicationRequest matches the search
    And the known MedicationRequest is returned exactly when it matches
    And every returned resource conforms to its Care Connect profile

    @shall
    Examples: SHALL (the medicine prescribed)
      | parameter  | form    |
      | medication | id      |
      | medication | type/id |
      | medication | typed   |
      | medication | absent  |

    @should
    Examples: SHOULD (patient + status)
      | parameter | form   |
      | status    | code   |
      | status    | not    |
      | status    | absent |

    @may
    Examples: MAY (authored on)
      | parameter  | form   |
      | authoredon | year   |
      | authoredon | month  |
      | authoredon | ge     |
      | authoredon | le     |
      | authoredon | gt     |
      | authoredon | lt     |
      | authoredon | absent |

  @prefixes @req:FHIR-SEARCH-SEMANTICS
  Scenario Outline: Find a patient's prescriptions by authoredon with the prefix <form>
    Given the server supports searching MedicationRequest by patient, authoredon
    When the client searches the known patient's MedicationRequest by authoredon given as <form>
    Then the search succeeds with a searchset Bundle
    And every returned MedicationRequest matches the search
    And the known MedicationRequest is returned exactly when it matches

    @may
    Examples: an explicit eq, then every prefix on the year and on the month of the known MedicationRequest's authoredon
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
  Scenario Outline: Find a patient's prescriptions by <parameters> given as <forms>, missing none
    Given the server supports searching MedicationRequest by patient, <parameters>
    When the client searches the known patient's MedicationRequest by <parameters> given as <forms>
    And the client also searches the known patient's MedicationRequest in one page
    Then the search succeeds with a searchset Bundle
    And every returned MedicationRequest matches the search
    And every one of the known patient's MedicationRequest records that matches is returned
    And the known MedicationRequest is returned exactly when it matches

    @may
    Examples: matching: status and authored on
      | parameters         | forms       |
      | status, authoredon | code, year  |
      | status, authoredon | code, month |
      | status, authoredon | code, ge    |

    @may
    Examples: not matching: one criterion no record meets
      | parameters         | forms        |
      | status, authoredon | code, absent |
      | status, authoredon | not, month   |
      | status, authoredon | absent, year |

  @unanchored @req:FHIR-SEARCH-SEMANTICS
  Scenario Outline: Find every patient's prescriptions by <parameters> given as <forms>, judging every page
    Given the server supports searching MedicationRequest by <parameters>
    When the client searches every patient's MedicationRequest by <parameters> given as <forms>, 10 to a page
    Then the search succeeds with a searchset Bundle
    And every returned MedicationRequest matches the search
    And the known MedicationRequest is returned exactly when it matches

    @may
    Examples: without a patient: what the server declares
      | parameters         | forms       |
      | status, authoredon | code, month |
