@property @search
Feature: Generated searches keep the STU3 search rules
  As an assurance tester signing off a supplier's Care Connect server
  I want searches generated from the server's own records, far more than anyone would write by hand
  So that the bug one value away from every hand-written search is found too, and shown as a short search

  Hypothesis builds each search from the target's own records: the known record and everything the
  known patient's search returns (for Patient, the search by the known family name and gender). Values
  take every STU3 form: string prefixes, case, :exact and :contains; token code, system|code, system|,
  |code and :not; dates at every precision, a day or two either side, under every prefix; references
  by id, Type/id, :Type and URL; :missing; OR lists; and, for the first property, malformed input of
  every kind. The first two properties run on every clinical type and Patient; the five that relate
  searches to each other on Patient (strings, tokens, a date), Observation (dateTimes, codes) and
  Encounter (Periods). The searches are the same every run (derandomized) unless `--hypothesis-seed` is
  given. A failing search is shrunk to a minimal one, which the scenario's message quotes and whose
  exchanges its judgement names; every request made is recorded.

  Background:
    Given hypothesis tries each property on up to 10 generated searches within 10 seconds

  @shall @req:CC-ERR-CLIENT-ERROR @req:CC-ERR-OUTCOME
  Scenario Outline: No generated <resource> search, malformed or not, makes the server fail
    When hypothesis sends generated <resource> searches, malformed ones included
    Then no generated search was answered with a server error, and every refusal was an OperationOutcome

    Examples: Patient
      | resource |
      | Patient |

    @allergyintolerance
    Examples: AllergyIntolerance
      | resource |
      | AllergyIntolerance |

    @condition
    Examples: Condition
      | resource |
      | Condition |

    @procedure
    Examples: Procedure
      | resource |
      | Procedure |

    @observation
    Examples: Observation
      | resource |
      | Observation |

    @encounter
    Examples: Encounter
      | resource |
      | Encounter |

    @medicationstatement
    Examples: MedicationStatement
      | resource |
      | MedicationStatement |

    @medicationrequest
    Examples: MedicationRequest
      | resource |
      | MedicationRequest |

    @immunization
    Examples: Immunization
      | resource |
      | Immunization |

  @shall @req:FHIR-SEARCH-SEMANTICS
  Scenario Outline: Every <resource> a generated search returns satisfies it
    When hypothesis sends generated <resource> searches built from the known records
    Then every resource a generated search returned satisfies it

    Examples: Patient
      | resource |
      | Patient |

    @allergyintolerance
    Examples: AllergyIntolerance
      | resource |
      | AllergyIntolerance |

    @condition
    Examples: Condition
      | resource |
      | Condition |

    @procedure
    Examples: Procedure
      | resource |
      | Procedure |

    @observation
    Examples: Observation
      | resource |
      | Observation |

    @encounter
    Examples: Encounter
      | resource |
      | Encounter |

    @medicationstatement
    Examples: MedicationStatement
      | resource |
      | MedicationStatement |

    @medicationrequest
    Examples: MedicationRequest
      | resource |
      | MedicationRequest |

    @immunization
    Examples: Immunization
      | resource |
      | Immunization |

  @shall @req:FHIR-SEARCH-SEMANTICS
  Scenario Outline: Another criterion only narrows a <resource> search
    When hypothesis adds a generated criterion to generated <resource> searches
    Then no added criterion widened a search

    Examples: Patient
      | resource |
      | Patient |

    @observation
    Examples: Observation
      | resource |
      | Observation |

    @encounter
    Examples: Encounter
      | resource |
      | Encounter |

  @shall @req:FHIR-SEARCH-SEMANTICS @req:FHIR-SEARCH-COMPLETE
  Scenario Outline: Any date splits the known patient's <resource> records in two
    When hypothesis splits the known patient's <resource> records at generated dates
    Then every record with a date was found by ge or by lt, and only one reaching across the date by both

    Examples: Patient
      | resource |
      | Patient |

    @observation
    Examples: Observation
      | resource |
      | Observation |

    @encounter
    Examples: Encounter
      | resource |
      | Encounter |

  @shall @paging @req:FHIR-SEARCH-CONSISTENT @req:CC-SEARCH-PAGING
  Scenario Outline: The page size does not change a <resource> search
    When hypothesis pages generated <resource> searches by generated page sizes
    Then every page size gave the same matches as the default pages

    Examples: Patient
      | resource |
      | Patient |

    @observation
    Examples: Observation
      | resource |
      | Observation |

    @encounter
    Examples: Encounter
      | resource |
      | Encounter |

  @shall @req:FHIR-SEARCH-CONSISTENT @req:FHIR-SEARCH-POST
  Scenario Outline: POST _search finds what GET finds for a <resource> search
    When hypothesis sends generated <resource> searches by GET and by POST _search
    Then every POST _search found what its GET found

    Examples: Patient
      | resource |
      | Patient |

    @observation
    Examples: Observation
      | resource |
      | Observation |

    @encounter
    Examples: Encounter
      | resource |
      | Encounter |

  @shall @req:FHIR-SEARCH-CONSISTENT
  Scenario Outline: A <resource> search asked twice gives the same matches
    When hypothesis sends every generated <resource> search twice
    Then every search asked twice gave the same matches both times

    Examples: Patient
      | resource |
      | Patient |

    @observation
    Examples: Observation
      | resource |
      | Observation |

    @encounter
    Examples: Encounter
      | resource |
      | Encounter |
