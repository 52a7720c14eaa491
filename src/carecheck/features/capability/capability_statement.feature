@capability
Feature: The server declares what it supports
  As a developer of a client system integrating with a Care Connect server
  I want the server to publish an STU3 CapabilityStatement at [base]/metadata
  So that I know which resources, interactions and search parameters I can rely on

  @shall @smoke @req:CC-CAP-DECLARE
  Scenario: The capability statement is published
    When the client asks for the capability statement
    Then the response status is 200
    And the response is a FHIR resource of type CapabilityStatement

  @shall @smoke @req:CC-GEN-STU3
  Scenario: The server implements FHIR STU3
    When the client asks for the capability statement
    Then the capability statement declares FHIR version 3.0

  @shall @req:CC-GEN-FORMAT
  Scenario: The server declares the formats it speaks
    When the client asks for the capability statement
    Then the capability statement declares JSON or XML, and should declare both

  @shall @req:CC-GEN-PATIENT @req:CC-CAP-PATIENT
  Scenario: Patient can be read and searched
    When the client asks for the capability statement
    Then the capability statement declares Patient with the interactions read, search-type

  @shall @req:CC-CAP-SEARCH-PARAMS
  Scenario Outline: Every SHALL search parameter of <resource> is declared
    Given the server declares <resource>
    When the client asks for the capability statement
    Then the capability statement declares <resource> with the interactions read, search-type
    And the capability statement declares every SHALL search parameter of <resource>

    Examples:
      | resource            |
      | Patient             |
      | AllergyIntolerance  |
      | Condition           |
      | Procedure           |
      | Observation         |
      | Encounter           |
      | Medication          |
      | MedicationStatement |
      | MedicationRequest   |
      | Immunization        |
      | Practitioner        |
      | PractitionerRole    |
      | Organization        |
      | Location            |
