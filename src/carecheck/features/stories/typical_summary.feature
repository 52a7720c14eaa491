@stories
Feature: Build a typical summary of a patient's record
  As a clinician (hospital services) seeing a patient for the first time
  I want to find the patient, then their allergies, medication, active problems and recent encounters
  So that I have a summary of their record before I decide anything
  (the guide's "typical summary" sequence, design_get_record)

  @shall @req:CC-SEARCH-PATIENT-IDENTIFIER @req:CC-SEARCH-ALLERGYINTOLERANCE-PATIENT @req:CC-SEARCH-MEDICATIONSTATEMENT-PATIENT @req:CC-SEARCH-CONDITION-PATIENT+CLINICAL-STATUS @req:CC-SEARCH-ENCOUNTER-PATIENT
  Scenario: Patient, allergies, medication, active problems and recent encounters, one after the other
    When the client searches Patient with "identifier=https://fhir.nhs.uk/Id/nhs-number|{patient.nhs_number}"
    Then the search succeeds with a searchset Bundle
    And the known patient is among the results
    When the client reads Patient "{patient.id}"
    Then the response status is 200
    And the response is the resource that was asked for
    When the client searches the known patient's AllergyIntolerance by patient given as id
    Then the search succeeds with a searchset Bundle
    And every returned AllergyIntolerance matches the search
    When the client searches the known patient's MedicationStatement by patient given as id
    Then the search succeeds with a searchset Bundle
    And every returned MedicationStatement matches the search
    When the client searches the known patient's Condition by clinical-status given as code
    Then the search succeeds with a searchset Bundle
    And every returned Condition matches the search
    And the known Condition is returned exactly when it matches
    When the client searches the known patient's Encounter by date given as ge
    Then the search succeeds with a searchset Bundle
    And every returned Encounter matches the search
    And the known Encounter is returned exactly when it matches
