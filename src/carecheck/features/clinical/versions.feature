@clinical @versions
Feature: Clinical records: their versions, and HEAD beside GET
  As a clinical system that caches a patient's records and checks them for changes
  I want each record's version from its read (meta.versionId, ETag, Last-Modified) and HEAD answered as GET is
  So that I can tell, cheaply and reliably, whether what I hold is still the current version

  A vread asks for the version the read gave (`[type]/[id]/_history/[vid]`), only where the server declares
  vread. The ETag must carry meta.versionId and Last-Modified meta.lastUpdated (STU3 http.html); a read that
  sends neither makes that scenario not applicable. HEAD is HTTP's: the GET's status and headers, no body; a
  server that refuses it (405, 501) does not offer it, and the scenario says so as not applicable.

  @may @req:FHIR-VREAD
  Scenario Outline: Read the known <resource> again by the version its read gave
    Given the CapabilityStatement declares vread for <resource>
    And the known <resource> record
    When the client reads the known <resource>
    And the client reads that version of the known <resource>
    Then the version read is the version the read gave

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

  @should @req:FHIR-VERSION-HEADERS
  Scenario Outline: The ETag and Last-Modified of the known <resource> are its version and last update
    Given the server declares <resource>
    And the known <resource> record
    When the client reads the known <resource>
    Then the response status is 200
    And the ETag and Last-Modified of the read agree with its meta

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

  @may @req:FHIR-HEAD
  Scenario Outline: HEAD on a read of the known <resource> is answered as GET, without a body
    Given the server declares <resource>
    And the known <resource> record
    When the client reads the known <resource>
    And the client asks for the same with HEAD
    Then HEAD is answered as GET was, without a body

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

  @may @req:FHIR-HEAD
  Scenario Outline: HEAD on a search of the known patient's <resource> is answered as GET, without a body
    Given the server declares <resource>
    And the known <resource> record
    When the client searches <resource> by patient given as type/id
    And the client asks for the same with HEAD
    Then HEAD is answered as GET was, without a body

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
