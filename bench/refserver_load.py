"""Load benchmark of the reference server: throughput and latency over loopback at 100 and 10,000 patients.

For each population the server runs in its own process (``carecheck.refserver.serve``), and one
client process keeps ``--clients`` requests in flight (asyncio + httpx, keep-alive) for a fixed
mix drawn from a seeded generator:

- 30 % reads: a synthetic Patient, or one of their Observations or Conditions;
- 30 % Patient searches: NHS number, family + gender, given + family + birthdate;
- 40 % clinical searches by patient with a date range: Observation, Encounter, Condition,
  MedicationStatement, Procedure (``patient=X&date=geY&date=leZ`` and the like).

Every answer must be a 200. It prints start-up time, requests per second and p50/p99 latency per
population, and the ratio of the throughputs. Run: ``.venv/bin/python bench/refserver_load.py``.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import random
import socket
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass

import httpx

from carecheck.refserver.seed.directory import build_directory
from carecheck.refserver.seed.population import synthetic_patient

NHS = "https://fhir.nhs.uk/Id/nhs-number"
_START_TIMEOUT = 300.0


@dataclass(frozen=True)
class Result:
    """What one run at one population measured."""

    population: int
    startup: float
    requests: int
    seconds: float
    latencies: list[float]

    @property
    def throughput(self) -> float:
        return self.requests / self.seconds

    def percentile(self, share: float) -> float:
        ordered = sorted(self.latencies)
        return ordered[min(int(share * len(ordered)), len(ordered) - 1)] * 1000


def request_mix(population: int, seed: int) -> Callable[[], str]:
    """A generator of request paths (relative to the FHIR base) for a server of ``population`` patients."""
    rng = random.Random(seed)
    directory = build_directory()
    cache: dict[int, dict[str, object]] = {}

    def patient(index: int) -> dict[str, object]:
        if index not in cache:
            cache[index] = synthetic_patient(index, directory)
        return cache[index]

    def year_range() -> str:
        start = rng.randint(1975, 2020)
        return f"ge{start}-01-01&{{0}}=le{start + rng.randint(1, 10)}-12-31"

    def next_path() -> str:
        index = rng.randrange(population)
        found = patient(index)
        pid = str(found["id"])
        name = found["name"][0]  # type: ignore[index]
        roll = rng.random()
        if roll < 0.15:
            return f"Patient/{pid}"
        if roll < 0.30:
            kind = rng.choice(("observation", "condition"))
            return f"{kind.capitalize()}/{pid}-{kind}-1"
        if roll < 0.40:
            nhs = found["identifier"][0]["value"]  # type: ignore[index]
            return f"Patient?identifier={NHS}|{nhs}"
        if roll < 0.50:
            return f"Patient?family={name['family']}&gender={found['gender']}"
        if roll < 0.60:
            return f"Patient?given={name['given'][0]}&family={name['family']}&birthdate={found['birthDate']}"
        resource, param = rng.choice(
            (
                ("Observation", "date"),
                ("Encounter", "date"),
                ("Condition", "asserted-date"),
                ("MedicationStatement", "effective"),
                ("Procedure", "date"),
            )
        )
        return f"{resource}?patient={pid}&{param}=" + year_range().format(param)

    return next_path


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def start_server(population: int) -> tuple[subprocess.Popen[bytes], str, float]:
    """The server process for ``population``, its base URL, and the seconds it took to answer."""
    port = free_port()
    code = f"from carecheck.refserver import serve; serve(port={port}, population={population})"
    started = time.perf_counter()
    process = subprocess.Popen([sys.executable, "-c", code])
    base_url = f"http://127.0.0.1:{port}/STU3"
    while time.perf_counter() - started < _START_TIMEOUT:
        try:
            if httpx.get(f"{base_url}/metadata", timeout=1.0).status_code == 200:
                return process, base_url, time.perf_counter() - started
        except httpx.TransportError:
            time.sleep(0.05)
    process.terminate()
    raise RuntimeError(f"the server for {population} patients did not start")


async def drive(base_url: str, paths: list[str], clients: int) -> tuple[float, list[float]]:
    """Send ``paths`` with ``clients`` in flight; the seconds it took and each request's latency."""
    queue = iter(paths)
    latencies: list[float] = []
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(base_url=base_url + "/", limits=limits, timeout=30.0) as client:

        async def worker() -> None:
            for path in queue:
                began = time.perf_counter()
                response = await client.get(path, headers={"Accept": "application/fhir+json"})
                latencies.append(time.perf_counter() - began)
                if response.status_code != 200:
                    raise RuntimeError(f"GET {path}: {response.status_code} {response.text[:200]}")

        started = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(clients)))
        return time.perf_counter() - started, latencies


def run(population: int, requests: int, clients: int, warmup: int) -> Result:
    process, base_url, startup = start_server(population)
    try:
        next_path = request_mix(population, seed=population)
        asyncio.run(drive(base_url, [next_path() for _ in range(warmup)], clients))
        paths = [next_path() for _ in range(requests)]
        gc.collect()
        gc.freeze()  # the client's own garbage collector must not pause the measured run
        seconds, latencies = asyncio.run(drive(base_url, paths, clients))
        gc.unfreeze()
    finally:
        process.terminate()
        process.wait(10)
    return Result(population, startup, requests, seconds, latencies)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--populations", type=int, nargs="+", default=[100, 10_000])
    parser.add_argument("--requests", type=int, default=5000)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--warmup", type=int, default=500)
    options = parser.parse_args()
    results = [run(population, options.requests, options.clients, options.warmup) for population in options.populations]
    print(f"{options.requests} requests, {options.clients} concurrent clients, after {options.warmup} warm-up requests")
    print(f"{'patients':>9} {'start-up s':>10} {'req/s':>8} {'p50 ms':>7} {'p99 ms':>7} {'mean ms':>8}")
    for result in results:
        print(
            f"{result.population:>9} {result.startup:>10.2f} {result.throughput:>8.0f} {result.percentile(0.5):>7.2f}"
            f" {result.percentile(0.99):>7.2f} {statistics.fmean(result.latencies) * 1000:>8.2f}"
        )
    if len(results) > 1:
        print(f"throughput at {results[-1].population} / at {results[0].population}: "
              f"{results[-1].throughput / results[0].throughput:.2f}")


if __name__ == "__main__":
    main()
