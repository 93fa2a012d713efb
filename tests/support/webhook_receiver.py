"""A local webhook receiver for the outbox's deliveries: records each POST's headers and exact body."""
from __future__ import annotations

import threading
import time
from http.server import BaseHTTPRequestHandler, HTTPServer


class Receiver:
    """A local webhook receiver; `status` is what it answers."""

    def __init__(self, port: int, status: int = 200, location: str = "") -> None:
        self.port, self.calls, self.status, self.gets = port, [], status, []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 - http.server's naming
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.calls.append((dict(self.headers), body))
                self.send_response(receiver.status)
                if location:
                    self.send_header("Location", location)
                self.end_headers()

            def do_GET(self):  # noqa: N802 - a followed redirect arrives as a GET
                receiver.gets.append(self.path)
                self.send_response(200)
                self.end_headers()

            def log_message(self, *args):  # quiet
                pass

        self.server = HTTPServer(("127.0.0.1", port), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def wait_for(self, test, timeout: float) -> list:
        """The calls (headers, body) whose body passes `test`, waiting up to `timeout` seconds for one."""
        deadline = time.monotonic() + timeout
        while True:
            found = [call for call in list(self.calls) if test(call[1])]
            if found or time.monotonic() > deadline:
                return found
            time.sleep(0.25)

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
