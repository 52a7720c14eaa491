"""Load benchmark of the reference server: throughput and latency over loopback at 100 and 10,000 patients.

For each population the server runs in its own process (``carecheck.refserver.serve``), and one
client process keeps ``--clients`` requests in flight (asyncio + httpx, keep-alive) for a fixed
mix drawn from a seeded generator:

- 30 % reads: a synthetic Patient, or one of their Observations or Conditions;
- 30 % Patient searches: NHS number, family + gender, given + family + birthdate;
- 40 % clinical searches by patient with a date range: Observation, Encounter, Condition,
  MedicationStatement, Procedure (``patient=X&date=geY&date=leZ`` and the like).

Every answer must be a 200. It prints start-up time, requests per second and p50/p99 latency per
population with their ratios to the limits (issue 17: at least 1,500 requests a second at each
population, p99 under 20 ms at 10,000 patients), the ratio of the throughputs, and the CPU time the
server and the client spent per request: on a shared, loaded machine the wall-clock figures depend on
what else runs, the CPU times much less (``1000 / server CPU ms`` is what one core of server could serve).
Run: ``.venv/bin/python bench/refserver_load.py``.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import os
import random
import socket
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import quote

import httpx

from carecheck.refserver.seed.directory import build_directory
from carecheck.refserver.seed.population import synthetic_patient

NHS = "https://fhir.nhs.uk/Id/nhs-number"
_START_TIMEOUT = 300.0
THROUGHPUT_LIMIT = 1500
"""Requests a second the server must answer at least, at each population (issue 17)."""
P99_LIMIT_MS = 20.0
"""The 99th percentile latency it must stay under at 10,000 patients (issue 17)."""
_TICKS = os.sysconf("SC_CLK_TCK")


@dataclass(frozen=True)
class Result:
    """What one run at one population measured."""

    population: int
    startup: float
    requests: int
    seconds: float
    latencies: list[float]
    server_cpu: float
    client_cpu: float

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


class Connection:
    """One keep-alive HTTP/1.1 connection sending bare GETs: a client light enough not to be what is measured.

    httpx spends about twice the server's CPU time on each request, so on two cores its figure is the
    client's; this one reads the status line and a ``Content-Length`` body, and nothing more.
    """

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter, host: str, prefix: str) -> None:
        self._reader, self._writer, self._host, self._prefix = reader, writer, host, prefix

    @classmethod
    async def open(cls, base_url: str) -> Connection:
        url = httpx.URL(base_url)
        reader, writer = await asyncio.open_connection(url.host, url.port)
        writer.get_extra_info("socket").setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        return cls(reader, writer, f"{url.host}:{url.port}", url.path)

    async def get(self, path: str) -> tuple[int, bytes]:
        target = quote(f"{self._prefix}/{path}", safe="/?=&:,-._~")
        self._writer.write(f"GET {target} HTTP/1.1\r\nHost: {self._host}\r\nAccept: application/fhir+json\r\n\r\n".encode())
        head = await self._reader.readuntil(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        headers = dict(line.split(":", 1) for line in lines[1:] if ":" in line)
        length = next((int(value) for name, value in headers.items() if name.strip().lower() == "content-length"), None)
        if length is None:
            raise RuntimeError(f"GET {path}: no Content-Length in {lines[0]}")
        return int(lines[0].split()[1]), await self._reader.readexactly(length)

    async def close(self) -> None:
        self._writer.close()
        await self._writer.wait_closed()


async def drive(base_url: str, paths: list[str], clients: int, client: str = "raw") -> tuple[float, list[float]]:
    """Send ``paths`` with ``clients`` in flight; the seconds it took and each request's latency."""
    if client == "raw":
        return await _drive_raw(base_url, paths, clients)
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


async def _drive_raw(base_url: str, paths: list[str], clients: int) -> tuple[float, list[float]]:
    queue = iter(paths)
    latencies: list[float] = []
    connections = [await Connection.open(base_url) for _ in range(clients)]

    async def worker(connection: Connection) -> None:
        for path in queue:
            began = time.perf_counter()
            status, body = await connection.get(path)
            latencies.append(time.perf_counter() - began)
            if status != 200:
                raise RuntimeError(f"GET {path}: {status} {body[:200]!r}")

    try:
        started = time.perf_counter()
        await asyncio.gather(*(worker(connection) for connection in connections))
        return time.perf_counter() - started, latencies
    finally:
        for connection in connections:
            await connection.close()


def cpu_seconds(pid: int) -> float:
    """User plus system CPU time the process ``pid`` has used so far (Linux ``/proc``)."""
    with open(f"/proc/{pid}/stat", encoding="ascii") as file:
        fields = file.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / _TICKS


def run(population: int, requests: int, clients: int, warmup: int, client: str) -> Result:
    process, base_url, startup = start_server(population)
    try:
        next_path = request_mix(population, seed=population)
        asyncio.run(drive(base_url, [next_path() for _ in range(warmup)], clients, client))
        paths = [next_path() for _ in range(requests)]
        gc.collect()
        gc.freeze()  # the client's own garbage collector must not pause the measured run
        server_began, client_began = cpu_seconds(process.pid), time.process_time()
        seconds, latencies = asyncio.run(drive(base_url, paths, clients, client))
        server_cpu, client_cpu = cpu_seconds(process.pid) - server_began, time.process_time() - client_began
        gc.unfreeze()
    finally:
        process.terminate()
        process.wait(10)
    return Result(population, startup, requests, seconds, latencies, server_cpu, client_cpu)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--populations", type=int, nargs="+", default=[100, 10_000])
    parser.add_argument("--requests", type=int, default=5000)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--warmup", type=int, default=500)
    parser.add_argument(
        "--client",
        choices=("raw", "httpx"),
        default="raw",
        help="raw: bare keep-alive HTTP/1.1 GETs (default); httpx: an httpx.AsyncClient, which costs more CPU than the server",
    )
    options = parser.parse_args()
    results = [run(population, options.requests, options.clients, options.warmup, options.client) for population in options.populations]
    print(f"{options.requests} requests, {options.clients} concurrent {options.client} clients, after {options.warmup} warm-up requests")
    print(f"{'patients':>9} {'start-up s':>10} {'req/s':>8} {'p50 ms':>7} {'p99 ms':>7} {'mean ms':>8} {'server CPU ms/req':>17} {'client CPU ms/req':>17}")
    for result in results:
        print(
            f"{result.population:>9} {result.startup:>10.2f} {result.throughput:>8.0f} {result.percentile(0.5):>7.2f}"
            f" {result.percentile(0.99):>7.2f} {statistics.fmean(result.latencies) * 1000:>8.2f}"
            f" {result.server_cpu * 1000 / result.requests:>17.3f} {result.client_cpu * 1000 / result.requests:>17.3f}"
        )
    for result in results:
        line = (
            f"refserver at {result.population:,} patients: {result.throughput:,.0f} requests/s "
            f"(limit {THROUGHPUT_LIMIT:,}: {result.throughput / THROUGHPUT_LIMIT:.2f}x)"
        )
        if result.population >= 10_000:
            p99 = result.percentile(0.99)
            line += f"; p99 {p99:.1f} ms (limit {P99_LIMIT_MS:.0f} ms: {P99_LIMIT_MS / p99:.2f}x)"
        print(line)
    if len(results) > 1:
        print(f"throughput at {results[-1].population} / at {results[0].population}: {results[-1].throughput / results[0].throughput:.2f}")


if __name__ == "__main__":
    main()
