@directory @practitionerrole
Feature: PractitionerRole: the roles practitioners hold in organisations
  As a clinician routing a patient's referral
  I want to find the roles a practitioner holds and the roles within an organisation
  So that the referral reaches someone who can act on it

  Every search is built from the values of a PractitionerRole the target is known to hold (named in the target
  profile, or found from the known patient's records, or the first the server lists). Each result is
  judged for soundness by carecheck's STU3 search oracle, and the known PractitionerRole must come back exactly
  when the oracle says it matches.

  Background:
    Given the server declares PractitionerRole
    And the known PractitionerRole record

  @shall @req:CC-READ @req:CC-PROFILE-VALID
  Scenario: Read the known PractitionerRole
    When the client reads the known PractitionerRole
    Then the response status is 200
    And the response is the resource that was asked for
    And every returned PractitionerRole claims its Care Connect profile
    And every returned resource conforms to its Care Connect profile

  @req:FHIR-SEARCH-SEMANTICS
  Scenario Outline: Search PractitionerRole by <parameter> given as <form>
    Given the server supports searching PractitionerRole by <parameter>
    When the client searches PractitionerRole by <parameter> given as <form>
    Then the search succeeds with a searchset Bundle
    And every returned PractitionerRole matches the search
    And the known PractitionerRole is returned exactly when it matches
    And every returned resource conforms to its Care Connect profile

    @shall
    Examples: SHALL
      | parameter    | form    |
      | practitioner | id      |
      | practitioner | type/id |
      | practitioner | typed   |
      | practitioner | absent  |
      | organization | id      |
      | organization | type/id |
      | organization | typed   |
      | organization | absent  |

    @should
    Examples: SHOULD
      | parameter  | form         |
      | identifier | code         |
      | identifier | system\|code |
      | identifier | absent       |

    @should @nomatch
    Examples: the known identifier under another system, and under one nobody uses
      | parameter  | form           |
      | identifier | other-system   |
      | identifier | unknown-system |
