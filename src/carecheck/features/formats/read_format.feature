@formats @read
Feature: A patient's record comes in the format the client asks for
  As a clinician whose system reads a patient's record
  I want the record in JSON or XML, as my system asks
  So that my system can read it whichever format it speaks

  Every Accept (the STU3 types, the DSTU2 types the guide names, the generic JSON and XML types, */* and
  none at all) is asked for alone, then under every `_format` (json, xml and the same MIME types). Each
  answer must be 200, labelled with the STU3 media type of the format asked for (a DSTU2 label is a
  warning), hold a body that really is that format and parses, and `_format` must win over Accept. With
  */* or no Accept and no `_format` either format will do; a format the server does not declare in its
  CapabilityStatement is not applicable.

  @shall @req:CC-FMT-ACCEPT @req:CC-GEN-FORMAT
  Scenario Outline: The known patient's record in JSON when Accept is <accept>
    Given the server offers the JSON format
    When the client asks for the known Patient with Accept <accept> and _format none
    Then the answer is a Patient in <answer>

    Examples:
      | accept                | answer      |
      | application/fhir+json | JSON        |
      | application/json+fhir | JSON        |
      | application/json      | JSON        |
      | */*                   | JSON or XML |
      | none                  | JSON or XML |

  @should @req:CC-FMT-ACCEPT @req:CC-GEN-FORMAT
  Scenario Outline: The known patient's record in XML when Accept is <accept>
    Given the server offers the XML format
    When the client asks for the known Patient with Accept <accept> and _format none
    Then the answer is a Patient in <answer>

    Examples:
      | accept               | answer |
      | application/fhir+xml | XML    |
      | application/xml+fhir | XML    |
      | application/xml      | XML    |

  @should @req:CC-FMT-FORMAT-PARAM @req:CC-GEN-FORMAT
  Scenario Outline: The known patient's record in the format _format names, whatever Accept <accept> says
    When the client asks for the known Patient with Accept <accept> under every _format
    Then each answer is a Patient in the format its _format names

    Examples:
      | accept                |
      | application/fhir+json |
      | application/json+fhir |
      | application/json      |
      | application/fhir+xml  |
      | application/xml+fhir  |
      | application/xml       |
      | */*                   |
      | none                  |
