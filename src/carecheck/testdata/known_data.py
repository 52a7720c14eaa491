"""What the target is known to hold, as the steps use it: placeholders, known records, search examples, and what
makes a scenario not applicable (data missing, a parameter, include or format not declared, a form refused)."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from typing import Any, NoReturn

from carecheck.capability import Capabilities, left_out, not_applicable_reason, unsupported
from carecheck.checks import NotApplicable
from carecheck.checks.errors import said
from carecheck.config import Expectations, MissingTestData, TestData, fill, fill_query
from carecheck.fhir import BodyError, parse_resource
from carecheck.http import Interaction
from carecheck.search import default_registry
from carecheck.search.examples import example, why_no_example
from carecheck.search.forms import form_levels
from carecheck.search.space import SearchSpace
from carecheck.testdata.discover import DIRECTORY, PATIENT_SCOPED
from carecheck.testdata.known import Known

__all__ = ["KnownData"]

_PREFIXED = re.compile(r"^(eq|ne|gt|lt|ge|le|sa|eb|ap)\d")

_PATIENT_ELEMENTS = {
    "nhs_number": "NHS number (identifier with system https://fhir.nhs.uk/Id/nhs-number)",
    "family": "family name (name.family)",
    "given": "given name (name.given)",
    "gender": "gender",
    "birthdate": "full date of birth (birthDate)",
}
"""The patient's test data fields, as the element of the Patient record each is read from."""


class KnownData:
    """What the target is known to hold, as steps use it; anything missing makes the scenario not applicable."""

    def __init__(self, known: Known, *, base_url: str, capabilities: Capabilities, expectations: Expectations) -> None:
        self._known = known
        self._testdata: TestData = known.testdata()
        self._base_url = base_url
        self._capabilities = capabilities
        self._expectations = expectations
        self._conformance = expectations.conformance
        self._registry = default_registry()
        self._forms = form_levels(self._registry)
        self._refusal_allowed: str | None = None
        self._chosen: dict[str, Mapping[str, Any]] = {}
        self._sent: list[tuple[str, str, str, str]] = []
        """The last example query built: (parameter, form, key, value) per form."""

    def value(self, template: str) -> str:
        """`{patient.id}` and friends, filled from the test data."""
        try:
            return fill(template, self._testdata)
        except MissingTestData as missing:
            raise NotApplicable(self._missing(missing)) from None

    def query(self, template: str) -> list[tuple[str, str]]:
        """`family={patient.family}&gender={patient.gender}` as the (name, value) pairs to send."""
        try:
            return fill_query(template, self._testdata)
        except MissingTestData as missing:
            raise NotApplicable(self._missing(missing)) from None

    def _missing(self, missing: MissingTestData) -> str:
        """What was missing and where it was looked for: the profile's field, the record, discovery's notes."""
        if missing.record != "patient":
            return str(missing)
        if self._known.patient is None:
            looked = "; ".join(self._known.notes_on("Patient")) or "the profile pins no patient (testdata.patient) and discovery is off"
            return f"no known patient, so no patient.{missing.field or 'id'} ({looked})"
        element = _PATIENT_ELEMENTS.get(missing.field, missing.field)
        return f"the known Patient/{self._known.patient.get('id')} has no {element}, and the profile sets no testdata.patient.{missing.field}"

    def record(self, resource_type: str) -> Mapping[str, Any]:
        """The known record of a type, as the target returned it (or the one an example of this scenario was built from)."""
        found = self._chosen.get(resource_type) or self._known.record(resource_type)
        if found is None:
            reasons = "; ".join(self._known.notes_on(resource_type)) or "none was configured or discovered"
            raise NotApplicable(f"no known {resource_type} record ({reasons})")
        return found

    def require_single_parameter_patient_search(self) -> None:
        """Not applicable where the profile expects one-parameter Patient searches to be refused (the IG's client rule);
        where it lets the server choose (`either`), a refusal of the search is not applicable too (`require_answered`)."""
        minimum = self._expectations.patient_search_minimum
        if minimum == "two-parameters":
            raise NotApplicable(
                f"expectations.patient_search_minimum is {minimum}: the server may refuse a Patient search by one parameter other than identifier"
            )
        if minimum == "either":
            self._refusal_allowed = (
                "a Patient search by one parameter other than identifier, which a server may refuse because the IG says "
                '"Client systems SHALL provide at least two parameters of differing types" (expectations.patient_search_minimum: either)'
            )

    def require_answered(self, interaction: Interaction) -> None:
        """Not applicable when the server refused a search the profile lets it refuse (with invalid_parameter_status and an OperationOutcome)."""
        exchange = interaction.first
        if self._refusal_allowed is None or exchange.status not in self._expectations.statuses("invalid_parameter_status"):
            return
        try:
            refusal = parse_resource(exchange).get("resourceType") == "OperationOutcome"
        except BodyError:
            refusal = False
        if refusal:
            raise NotApplicable(f"the server refuses {exchange.request.line} with {exchange.status}{said(exchange)}: {self._refusal_allowed}")

    def require_resource(self, resource_type: str) -> None:
        """Make the scenario not applicable if the server does not declare the resource type (Patient is never optional)."""
        if resource_type != "Patient" and self._capabilities.resource_types() and not self._capabilities.declares(resource_type):
            raise NotApplicable(f"the server does not declare {resource_type} in its CapabilityStatement")

    def require_interaction(self, resource_type: str, interaction: str) -> None:
        """Make the scenario not applicable unless the CapabilityStatement declares `interaction` (vread...) for the type."""
        if interaction not in self._capabilities.interactions(resource_type):
            raise NotApplicable(f"the server does not declare {interaction} for {resource_type} in its CapabilityStatement")

    def require_search(self, resource_type: str, parameters: Sequence[str]) -> None:
        """Make the scenario not applicable if the server does not declare an optional parameter it needs."""
        reason = not_applicable_reason(self._capabilities, resource_type, parameters, conformance=self._conformance, registry=self._registry)
        if reason:
            raise NotApplicable(reason)

    def require_include(self, resource_type: str, include: str, *, reverse: bool) -> None:
        """Not applicable unless the CapabilityStatement declares `_include=include` (`_revinclude` when reverse) for `resource_type`."""
        if not self._capabilities.resource_types() or self._capabilities.declares_include(resource_type, include, reverse=reverse):
            return
        key = "_revinclude" if reverse else "_include"
        declared = ", ".join(sorted(self._capabilities.search_includes(resource_type, reverse=reverse))) or "none"
        raise NotApplicable(
            f"the server's CapabilityStatement does not declare {key}={include} for {resource_type} "
            f"(its {'searchRevInclude' if reverse else 'searchInclude'}: {declared}); includes are optional (CC-SEARCH-INCLUDE, MAY)"
        )

    def require_supported(self, interaction: Interaction, resource_type: str, parameters: Sequence[str], forms: Sequence[str]) -> None:
        """Not applicable when the server clearly did not support a form Care Connect does not make SHALL and the server
        did not claim (a modifier, a prefix or chain the guide does not ask for, a parameter it does not declare): it
        refused the search saying so, or answered leaving the form out of its self link (it ignored it, as STU3 lets it)."""
        optional = {
            (
                name,
                form,
            ): f"{name} given as {form} ({level or 'not asked for'} in the {self._conformance.upper()}: {self._forms.source(resource_type, name, form)})"
            for name, form in zip(parameters, forms, strict=True)
            if (level := self._forms.level(resource_type, name, form, self._conformance)) != "SHALL" and not self._claimed(resource_type, name, form)
        }
        if not optional:
            return
        said = unsupported(interaction.first)
        if said is not None and not self._blames_only_required(said, set(optional)):
            self._unsupported(interaction, f"refuses {interaction.first.request.line} as unsupported ({said})", "; ".join(optional.values()))
        sent = [(key, value) for (name, form, key, value) in self._sent if (name, form) in optional]
        ignored, self_link = left_out(interaction.first, sent)
        if ignored:
            which = [optional[(name, form)] for (name, form, key, value) in self._sent if (key, value) in ignored]
            dropped = ", ".join(f"{key}={value}" for key, value in ignored)
            self._unsupported(
                interaction,
                f"ignored {dropped}: its self link {self_link} leaves it out, as STU3 lets a server do with a parameter it does not support",
                "; ".join(which),
            )

    def _claimed(self, resource_type: str, name: str, form: str) -> bool:
        """Whether the server's CapabilityStatement claims the form: it declares the parameter and the form is part of it."""
        return self._capabilities.declares_search(resource_type, name) and self._forms.part_of_the_parameter(resource_type, name, form, self._conformance)

    def _blames_only_required(self, said: str, optional: set[tuple[str, str]]) -> bool:
        """Whether what the server said names a SHALL form's parameter and nothing of the optional forms sent: then
        the refusal is of what Care Connect requires, and is judged as it stands."""
        text = said.partition(': "')[2].lower()
        optional_words = {word for (name, form, key, value) in self._sent if (name, form) in optional
                          for word in (name, *key.replace(".", ":").split(":")[1:], *([value[:2]] if _PREFIXED.match(value) else []))}  # fmt: skip
        required_words = {name for (name, form, key, value) in self._sent if (name, form) not in optional}

        def mentioned(words: set[str]) -> bool:
            return any(re.search(rf"\b{re.escape(word.lower())}\b", text) for word in words)

        return bool(text) and mentioned(required_words) and not mentioned(optional_words)

    def require_supported_include(self, interaction: Interaction, key: str, include: str) -> None:
        """Not applicable when the server clearly refuses `key=include` as unsupported: includes are optional (CC-SEARCH-INCLUDE, MAY)."""
        said = unsupported(interaction.first)
        if said is not None:
            self._unsupported(interaction, f"refuses {interaction.first.request.line} as unsupported ({said})",
                              f"{key}={include} (MAY: CC-SEARCH-INCLUDE; providers \"are not obliged to honor requests to include additional resources\")")  # fmt: skip

    def _unsupported(self, interaction: Interaction, what: str, optional: str) -> NoReturn:
        raise NotApplicable(f"the server {what}; the search used what Care Connect does not require: {optional}")

    def example_query(self, resource_type: str, parameters: Sequence[str], forms: Sequence[str], *, for_patient: bool = False) -> list[tuple[str, str]]:
        """A query built from a known record's own values, one parameter per form (`family` as `prefix`...): the known
        record's if it has them all, else the first other record discovery saw that has (it becomes this scenario's
        known record). Not applicable when none has, saying for each record which element lacked what."""
        self.record(resource_type)
        prefix = [("patient", f"Patient/{self.record('Patient').get('id')}")] if for_patient else []
        reasons: list[str] = []
        candidates = self._known.candidates(resource_type)
        for record in candidates:
            query: list[tuple[str, str]] = []
            for name, form in zip(parameters, forms, strict=True):
                parameter = self._registry.parameter(resource_type, name)
                built = example(record, parameter, form, base_url=self._base_url, resolve=self._resolve)
                if built is None:
                    reasons.append(why_no_example(record, parameter, form, base_url=self._base_url, resolve=self._resolve))
                    break
                query.append((built.key, built.value))
            else:
                self._chosen[resource_type] = record
                self._sent = [(name, form, key, value) for (name, form), (key, value) in zip(zip(parameters, forms, strict=True), query, strict=True)]
                return prefix + query
        wanted = " and ".join(f"{name} as {form}" for name, form in zip(parameters, forms, strict=True))
        which = f"the known {resource_type} gives no" if len(candidates) == 1 else f"none of the {len(candidates)} known {resource_type} records gives a"
        raise NotApplicable(f"{which} value for {wanted}: {'; '.join(reasons)}")

    def search_space(self, resource_type: str) -> SearchSpace:
        """Where the searches hypothesis generates come from: the known records (the known patient's for a clinical
        type), the known patient as the base criterion (family and gender for Patient), the parameters the target
        declares. (`carecheck.probe.explore` says when they hold nothing a property can build searches from.)"""
        record = self.record(resource_type)
        if resource_type == "Patient":
            base = tuple(self.query("family={patient.family}&gender={patient.gender}"))
        else:
            base = (("patient", f"Patient/{self.record('Patient').get('id')}"),)
        records = self._known.candidates(resource_type) if resource_type in PATIENT_SCOPED else (record,)
        declared = tuple(sorted(self._capabilities.search_parameters(resource_type)))
        return SearchSpace(resource_type, base, records, declared, self._base_url, tuple(self.related()))

    def formats(self) -> tuple[str, ...]:
        """The formats (json, xml) the CapabilityStatement declares; both when it lists none."""
        declared = [str(item).lower() for item in self._capabilities.statement.get("format") or []]
        return tuple(name for name in ("json", "xml") if not declared or any(name in item for item in declared))

    def require_format(self, format: str) -> None:
        """Make the scenario not applicable if the CapabilityStatement lists its formats and `format` (json, xml) is not one."""
        if format in ("json", "xml") and format not in self.formats():
            declared = ", ".join(str(item) for item in self._capabilities.statement.get("format") or [])
            raise NotApplicable(f"the server's CapabilityStatement does not declare the {format.upper()} format ({declared})")

    def related(self) -> list[dict[str, Any]]:
        """The known records chained criteria can point at (`patient.identifier=`, `medication.code=`),
        so the oracle can judge them: the patient and the directory records, not the clinical ones."""
        known = [self._known.patient, *(self._known.records.get(kind) for kind in DIRECTORY)]
        return [dict(record) for record in known if record is not None]

    def records_referring_to(self, resource_type: str) -> list[dict[str, Any]]:
        """The known records whose references point at the known record of `resource_type`."""
        target = self.record(resource_type)
        wanted = f"{resource_type}/{target.get('id')}"
        return [dict(r) for r in self._known.records.values() if any(_points_at(ref, wanted) for ref in _references(r))]

    def _resolve(self, reference: str) -> Mapping[str, Any] | None:
        kind, _, identity = reference.rpartition("/")
        found = self._known.record(kind.rsplit("/", 1)[-1])
        return found if found is not None and found.get("id") == identity else None


def _references(value: object) -> Iterator[str]:
    """Every `reference` string anywhere inside a resource."""
    if isinstance(value, dict):
        if isinstance(value.get("reference"), str):
            yield value["reference"]
        for item in value.values():
            yield from _references(item)
    elif isinstance(value, list):
        for item in value:
            yield from _references(item)


def _points_at(reference: str, wanted: str) -> bool:
    return reference == wanted or reference.endswith(f"/{wanted}")
