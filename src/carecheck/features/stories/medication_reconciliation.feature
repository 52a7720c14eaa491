@stories @medicationstatement @medicationrequest
Feature: Reconcile a patient's medication on admission
  As a pharmacist (hospital services)
  I want to see the medicines a patient is taking and what has been prescribed for them
  So that I can reconcile their medication and spot a discrepancy before it harms them
  (Michael's story, "Dispensing of TTO medication", and the Bristol Connecting Care proof of concept)

  @should @req:CC-SEARCH-MEDICATIONSTATEMENT-PATIENT+STATUS @req:CC-SEARCH-MEDICATIONREQUEST-PATIENT
  Scenario: The patient's medication statements by status, then their prescriptions with the medicines
    Given the server declares MedicationStatement
    And the known MedicationStatement record
    And the known MedicationRequest record
    When the client searches the known patient's MedicationStatement by status given as code
    Then the search succeeds with a searchset Bundle
    And every returned MedicationStatement matches the search
    And the known MedicationStatement is returned exactly when it matches
    And every returned resource conforms to its Care Connect profile
    When the client searches the known patient's MedicationRequest including MedicationRequest:medication
    Then the search succeeds with a searchset Bundle
    And every returned MedicationRequest matches the search
    And every resource the matches refer to through MedicationRequest:medication is included
    And every returned resource conforms to its Care Connect profile

  @should @req:CC-SEARCH-MEDICATIONREQUEST-PATIENT+STATUS
  Scenario: The patient's prescriptions that are still active
    Given the server supports searching MedicationRequest by patient, status
    And the known MedicationRequest record
    When the client searches the known patient's MedicationRequest by status given as code
    Then the search succeeds with a searchset Bundle
    And every returned MedicationRequest matches the search
    And the known MedicationRequest is returned exactly when it matches
