"""Speed of ``carecheck.fhir.validate``: resources per second over Care Connect resources of all 14 types.

The set is the reference server's synthetic population (``--source population``, the default: the
NHS examples made conformant plus ``--patients`` synthetic patients with their records), or every
resource of the 14 types in ``data/testdata/examples`` (``--source examples``), validated one by
one as a server's read responses would be. After one warm-up pass (which loads and compiles the profiles), it times whole passes for at
least ``--seconds`` and prints resources per second and its ratio to the limit (issue 17: 3,000 a second),
both in wall time and in the process's CPU time (the fairer figure on a shared, loaded machine), the
per-resource p50 and p95, the time per type, and the cost of structural validation alone.
Run: ``.venv/bin/python bench/validate_speed.py``.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections import defaultdict
from typing import Any

from carecheck.fhir import parse_document, validate
from carecheck.fhir.structure import structural_issues
from carecheck.project import data_path

LIMIT = 3000
"""Resources a second ``carecheck validate`` must judge at least (issue 17)."""
CARECONNECT_TYPES = frozenset(
    "AllergyIntolerance Condition Encounter Immunization Location Medication MedicationRequest MedicationStatement "
    "Observation Organization Patient Practitioner PractitionerRole Procedure".split()
)


def synthetic(patients: int) -> list[dict[str, Any]]:
    from carecheck.refserver.seed import seed_resources  # the bench may use the reference server's data

    return list(seed_resources(patients))


def examples() -> list[dict[str, Any]]:
    found = []
    for path in sorted(data_path("testdata", "examples").rglob("*")):
        if path.suffix not in (".json", ".xml"):
            continue
        document = parse_document(path.read_bytes())
        bundle = document["resourceType"] == "Bundle"
        inner = [e["resource"] for e in document.get("entry", [])] if bundle else [document]
        found += [r for r in inner if r["resourceType"] in CARECONNECT_TYPES]
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=3.0, help="minimum timed duration (default 3)")
    parser.add_argument("--source", choices=("population", "examples"), default="population")
    parser.add_argument("--patients", type=int, default=20, help="synthetic patients for --source population (default 20)")
    options = parser.parse_args()
    population = examples() if options.source == "examples" else synthetic(options.patients)
    started = time.perf_counter()
    for resource in population:
        validate(resource)
    warm_up = time.perf_counter() - started

    samples: list[float] = []
    by_type: dict[str, list[float]] = defaultdict(list)
    passes, elapsed = 0, 0.0
    cpu_started = time.process_time()
    while elapsed < options.seconds:
        for resource in population:
            begin = time.perf_counter()
            validate(resource)
            took = time.perf_counter() - begin
            samples.append(took)
            by_type[resource["resourceType"]].append(took)
        passes += 1
        elapsed = sum(samples)
    cpu = time.process_time() - cpu_started
    begin = time.perf_counter()
    for resource in population:
        structural_issues(resource)
    structural = (time.perf_counter() - begin) / len(population)

    cut = statistics.quantiles(samples, n=20)
    print(f"resources: {len(population)} of {len(by_type)} types; warm-up pass (load + compile): {warm_up:.2f} s")
    rate, cpu_rate = len(samples) / elapsed, len(samples) / cpu
    print(
        f"validate: {rate:,.0f} resources/s (limit {LIMIT:,}: {rate / LIMIT:.2f}x) over {passes} passes; "
        f"CPU time: {cpu_rate:,.0f} resources/s (limit {LIMIT:,}: {cpu_rate / LIMIT:.2f}x)"
    )
    print(f"  p50 {statistics.median(samples) * 1e6:,.0f} us, p95 {cut[18] * 1e6:,.0f} us; structural part alone {structural * 1e6:,.0f} us/resource")
    for name in sorted(by_type):
        times = by_type[name]
        print(f"  {name:<20} {len(times) // passes:>3} resources  mean {statistics.fmean(times) * 1e6:>6,.0f} us")


if __name__ == "__main__":
    main()
