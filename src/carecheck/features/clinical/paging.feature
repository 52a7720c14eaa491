@clinical @paging
Feature: A patient's records come back page by page
  As a clinician whose system shows a patient's record a screen at a time
  I want long result lists paged with the FHIR paging links
  So that every record reaches the screen once, and none is lost between pages

  The same search is made twice: in pages of two (following every next link) and in one page of up to a
  hundred. The pages must hold exactly the matches of the single page, none twice, none more than asked.

  @shall @req:CC-SEARCH-PAGING
  Scenario Outline: A patient's <resource> records in pages of two
    Given the server declares <resource>
    And the known <resource> record
    When the client searches the known patient's <resource> in pages of 2
    And the client also searches the known patient's <resource> in one page
    Then the search succeeds with a searchset Bundle
    And no page holds more than 2 matches
    And every page link answers and none loops
    And the pages hold the same matches as the unpaged search
    And every returned <resource> matches the search

    Examples:
      | resource          |
      | Observation       |
      | Encounter         |
      | Condition         |
      | MedicationRequest |
      | Immunization      |
