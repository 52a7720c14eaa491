@patient @versions
Feature: The patient's record: its version, and HEAD beside GET
  As a system that keeps a copy of a patient's demographics and checks it for changes
  I want the record's version from its read (meta.versionId, ETag, Last-Modified) and HEAD answered as GET is
  So that I can tell, cheaply and reliably, whether what I hold is still the current version

  A vread asks for the version the read gave (`Patient/[id]/_history/[vid]`), only where the server declares
  vread. The ETag must carry meta.versionId and Last-Modified meta.lastUpdated (STU3 http.html); a read that
  sends neither makes that scenario not applicable. HEAD is HTTP's: the GET's status and headers, no body; a
  server that refuses it (405, 501) does not offer it, and the scenario says so as not applicable.

  Background:
    Given the known Patient record

  @may @req:FHIR-VREAD
  Scenario: Read the known patient again by the version their read gave
    Given the CapabilityStatement declares vread for Patient
    When the client reads the known Patient
    And the client reads that version of the known Patient
    Then the version read is the version the read gave

  @may @req:FHIR-VREAD @req:CC-ERR-OUTCOME
  Scenario: A version of the known patient that never existed is not found
    Given the CapabilityStatement declares vread for Patient
    When the client reads version "carecheck-no-such-version" of the known Patient
    Then the response status is 404
    And the response is an OperationOutcome explaining the error

  @should @req:FHIR-VERSION-HEADERS
  Scenario: The ETag and Last-Modified of the known patient are their version and last update
    When the client reads the known Patient
    Then the response status is 200
    And the ETag and Last-Modified of the read agree with its meta

  @may @req:FHIR-HEAD
  Scenario: HEAD on a read of the known patient is answered as GET, without a body
    When the client reads the known Patient
    And the client asks for the same with HEAD
    Then HEAD is answered as GET was, without a body

  @may @req:FHIR-HEAD
  Scenario: HEAD on a search by NHS number is answered as GET, without a body
    When the client searches Patient by identifier given as system|code
    And the client asks for the same with HEAD
    Then HEAD is answered as GET was, without a body
