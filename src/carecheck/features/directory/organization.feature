@directory @organization
Feature: Organization: the organisations that provide care
  As a health advisor (primary care, NHS 111) arranging care for a caller
  I want to find an organisation by its ODS code or name
  So that I refer the caller to the right service

  Every search is built from the values of a Organization the target is known to hold (named in the target
  profile, or found from the known patient's records, or the first the server lists). Each result is
  judged for soundness by carecheck's STU3 search oracle, and the known Organization must come back exactly
  when the oracle says it matches.

  Background:
    Given the server declares Organization
    And the known Organization record

  @shall @req:CC-READ @req:CC-PROFILE-VALID
  Scenario: Read the known Organization
    When the client reads the known Organization
    Then the response status is 200
    And the response is the resource that was asked for
    And every returned Organization claims its Care Connect profile
    And every returned resource conforms to its Care Connect profile

  @req:FHIR-SEARCH-SEMANTICS
  Scenario Outline: Search Organization by <parameter> given as <form>
    Given the server supports searching Organization by <parameter>
    When the client searches Organization by <parameter> given as <form>
    Then the search succeeds with a searchset Bundle
    And every returned Organization matches the search
    And the known Organization is returned exactly when it matches
    And every returned resource conforms to its Care Connect profile

    @may
    Examples: MAY in the IG, SHALL in CORE
      | parameter  | form             |
      | identifier | code             |
      | identifier | system\|code     |
      | identifier | absent           |
      | name       | value            |
      | name       | lower-case       |
      | name       | prefix           |
      | name       | exact            |
      | name       | exact-wrong-case |
      | name       | contains         |
      | name       | absent           |

    @may @nomatch
    Examples: the known identifier under another system, and under one nobody uses
      | parameter  | form           |
      | identifier | other-system   |
      | identifier | unknown-system |

    @should @core
    Examples: SHOULD in CORE only
      | parameter          | form       |
      | address-postalcode | value      |
      | address-postalcode | lower-case |
      | address-postalcode | prefix     |
      | address-city       | value      |
      | address-city       | lower-case |
      | address-city       | prefix     |
