@formats
Feature: JSON and XML say the same thing
  As a pharmacist reconciling a patient's medicines from systems that speak different formats
  I want a record to say exactly the same whether it arrives as JSON or as XML
  So that the format a system happens to speak never changes what a clinician sees

  The same read or search is asked for with Accept application/fhir+json and with application/fhir+xml,
  both answers are parsed into FHIR's JSON shape, and every resource must have the same content. What the
  two formats spell differently is not a difference: member and element order, number spelling (1.50 and
  1.5), and whitespace and quoting inside the XHTML narrative.

  @shall @read @req:CC-FMT-PARITY
  Scenario Outline: The known <resource> reads the same in JSON and XML
    Given the server offers the XML format
    And the server declares <resource>
    When the known <resource> is read as JSON
    And the known <resource> is read again as XML
    Then both answers hold the same resources with the same content

    Examples:
      | resource            |
      | Patient             |
      | AllergyIntolerance  |
      | Condition           |
      | Procedure           |
      | Observation         |
      | Encounter           |
      | MedicationStatement |
      | MedicationRequest   |
      | Immunization        |
      | Medication          |
      | Practitioner        |
      | PractitionerRole    |
      | Organization        |
      | Location            |

  @shall @search @req:CC-FMT-PARITY
  Scenario Outline: The known patient's <resource> records are the same in JSON and XML
    Given the server offers the XML format
    And the server declares <resource>
    When the known patient's <resource> records are searched as JSON
    And the known patient's <resource> records are searched again as XML
    Then both answers hold the same resources with the same content

    Examples:
      | resource            |
      | AllergyIntolerance  |
      | Condition           |
      | Procedure           |
      | Observation         |
      | Encounter           |
      | MedicationStatement |
      | MedicationRequest   |
      | Immunization        |
