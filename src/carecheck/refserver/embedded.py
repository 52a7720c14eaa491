"""Running an ASGI app with uvicorn: in a background thread on a free loopback port, or blocking for ``serve``.

``EmbeddedServer`` binds its socket itself, so the port is known before uvicorn starts and no
other process can take it in between; it works for any ASGI app, such as the reference app
wrapped in a fault-injecting middleware. Either serves HTTPS when given a ``ServerTls``, with
HSTS on every answer unless the settings turn it off, and writes each response in one piece
(``carecheck.refserver.one_write``).
"""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from types import TracebackType
from typing import Any

import uvicorn
from starlette.types import ASGIApp

from carecheck.refserver.app import FHIR_BASE_PATH, create_app
from carecheck.refserver.one_write import OneWriteProtocol
from carecheck.refserver.security import SecuritySettings, StrictTransport
from carecheck.refserver.seed import DEFAULT_POPULATION
from carecheck.refserver.tls import ServerTls

__all__ = ["EmbeddedServer", "serve"]

_START_TIMEOUT = 10.0
_STOP_TIMEOUT = 10.0


class EmbeddedServer:
    """Serves ``app`` (default: the seeded reference app) with uvicorn in a background thread.

    Use as a context manager::

        with EmbeddedServer() as server:
            httpx.get(f"{server.base_url}/metadata")
    """

    def __init__(self, app: ASGIApp | None = None, host: str = "127.0.0.1", port: int = 0, *, tls: ServerTls | None = None) -> None:
        self._app = app
        self._tls = tls
        self._host = host
        self._requested_port = port
        self._socket: socket.socket | None = None
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None

    @property
    def port(self) -> int:
        """The port the server listens on (known once started)."""
        if self._socket is None:
            raise RuntimeError("the embedded server is not running")
        port: int = self._socket.getsockname()[1]
        return port

    @property
    def base_url(self) -> str:
        """The FHIR base URL, e.g. ``http://127.0.0.1:54321/STU3`` (``https`` when serving TLS)."""
        host = f"[{self._host}]" if ":" in self._host else self._host
        return f"{'https' if self._tls else 'http'}://{host}:{self.port}{FHIR_BASE_PATH}"

    def start(self) -> None:
        """Bind the port, start uvicorn in a thread and wait until it accepts connections."""
        if self._thread is not None:
            raise RuntimeError("the embedded server is already running")
        sock = _listening_socket(self._host, self._requested_port)
        config = uvicorn.Config(
            _served(self._app if self._app is not None else create_app(), self._tls),
            log_config=None,
            log_level="warning",
            access_log=False,
            lifespan="auto",
            timeout_graceful_shutdown=2,
            http=OneWriteProtocol,
            **_tls_options(self._tls),
        )
        self._socket = sock
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(target=_run, args=(self._server, sock), name="carecheck-embedded-server", daemon=True)
        self._thread.start()
        self._wait_until_started()

    def stop(self) -> None:
        """Ask uvicorn to exit, wait for its thread, and release the port."""
        if self._server is not None and self._thread is not None:
            self._server.should_exit = True
            self._thread.join(_STOP_TIMEOUT)
        if self._socket is not None:
            self._socket.close()
        self._server = self._thread = self._socket = None

    def __enter__(self) -> EmbeddedServer:
        self.start()
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None) -> None:
        self.stop()

    def _wait_until_started(self) -> None:
        assert self._server is not None and self._thread is not None
        deadline = time.monotonic() + _START_TIMEOUT
        while not self._server.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError("the embedded server did not start (see the uvicorn log above)")
            time.sleep(0.005)


def serve(
    host: str = "127.0.0.1",
    port: int = 8080,
    *,
    population: int = DEFAULT_POPULATION,
    auth: SecuritySettings | None = None,
    tls: ServerTls | None = None,
    writes: bool = False,
) -> None:
    """Serve the reference server, seeded with ``population`` synthetic patients, at ``http://HOST:PORT/STU3``.

    With ``auth`` the FHIR API needs access tokens (see ``create_app``); with ``tls`` it is served
    over HTTPS; with ``writes`` it performs create, update and delete. Runs until Ctrl-C or SIGTERM stops it. OSError if the address cannot be bound (the
    port is taken, the host is not local); ValueError if the certificate cannot be used.
    """
    options = _tls_options(tls)
    with _listening_socket(host, port) as sock:
        app = _served(create_app(population=population, auth=auth, writes=writes), tls)
        uvicorn.Server(uvicorn.Config(app, log_level="warning", http=OneWriteProtocol, **options)).run(sockets=[sock])


def _served(app: ASGIApp, tls: ServerTls | None) -> ASGIApp:
    """``app`` as served: behind HSTS when served over TLS with an HSTS max-age."""
    return StrictTransport(app, tls.hsts_max_age) if tls is not None and tls.hsts_max_age else app


def _tls_options(tls: ServerTls | None) -> dict[str, Any]:
    """The uvicorn options serving ``tls`` (the context is built now, so a bad certificate fails here)."""
    if tls is None:
        return {}
    context = tls.context()
    return {"ssl_context_factory": lambda config, default: context}


def _listening_socket(host: str, port: int) -> socket.socket:
    # proto=IPPROTO_TCP (not 0) makes asyncio set TCP_NODELAY on each accepted connection; without it a
    # response written in two parts waits for the client's delayed ACK, some 40 ms a request
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host, port))
        sock.listen(128)
    except OSError:
        sock.close()
        raise
    return sock


def _run(server: uvicorn.Server, sock: socket.socket) -> None:
    with contextlib.suppress(SystemExit):  # uvicorn's way of giving up when the app fails to start
        server.run(sockets=[sock])
