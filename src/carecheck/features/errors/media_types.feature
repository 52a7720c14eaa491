@errors
Feature: A request for a format the server does not speak is refused
  As a developer connecting a system to a Care Connect server
  I want a request for a media type the server cannot produce refused with the HTTP status for it
  So that my system learns at once what it did wrong, instead of parsing a page it cannot read

  An Accept the server cannot satisfy is refused with 406 Not Acceptable, or with 415 where the target's
  `expectations.unsupported_media_type_status` says so (the reference implementation answers 415).

  @shall @req:CC-ERR-MEDIA-TYPE @req:CC-ERR-OUTCOME
  Scenario Outline: A request that accepts only <accept> is refused
    When the client asks for the known Patient accepting only <accept>
    Then the request is refused as the expectations' unsupported_media_type_status says
    And any error answer is an OperationOutcome in the target's error convention

    Examples:
      | accept          |
      | text/html       |
      | application/pdf |
      | image/png       |

  @shall @search @req:CC-ERR-MEDIA-TYPE @req:CC-ERR-OUTCOME
  Scenario: A POST _search whose body is not form-encoded is refused
    When the client searches Patient by POST _search with a text/plain body
    Then the request is refused with 415
    And any error answer is an OperationOutcome in the target's error convention
