"""Headless Chromium driven over the DevTools protocol on a pipe, with nothing but the stdlib.

The page's test, its benchmark and its screenshots use it: ``--remote-debugging-pipe`` gives
the protocol on file descriptors 3 (commands in) and 4 (answers and events out), each message
JSON ended by a NUL byte, so no websocket client and no port are needed.  Every request the
page and its workers make is recorded (``requests``), so a caller can say where they went.
"""

from __future__ import annotations

import base64
import fcntl
import json
import os
import shutil
import subprocess
import tempfile
import threading
import time
from pathlib import Path

from symw2v.errors import SymW2VError

FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-default-apps",
    "--disable-dev-shm-usage",
    "--hide-scrollbars",
    "--remote-debugging-pipe",
)
NAMES = ("chromium", "chromium-browser", "google-chrome")


def find_chromium() -> str | None:
    """The path of an installed Chromium, or None."""
    return next((shutil.which(name) for name in NAMES if shutil.which(name)), None)


class Chromium:
    """One headless Chromium with one page; a context manager that closes it."""

    def __init__(self, executable: str | None = None, width: int = 1100, height: int = 900) -> None:
        executable = executable or find_chromium()
        if executable is None:
            raise SymW2VError("Chromium is not installed")
        self._profile = tempfile.TemporaryDirectory(prefix="symw2v-chromium-")
        commands_in, self._commands = os.pipe()
        self._answers, answers_out = os.pipe()

        def descriptors() -> None:
            # in the child: the protocol on 3 and 4, by way of numbers above both, so that
            # neither pipe end is overwritten by the other
            high = [fcntl.fcntl(fd, fcntl.F_DUPFD, 10) for fd in (commands_in, answers_out)]
            os.dup2(high[0], 3)
            os.dup2(high[1], 4)

        argv = [
            executable,
            *FLAGS,
            f"--user-data-dir={self._profile.name}",
            f"--window-size={width},{height}",
        ]
        quiet = subprocess.DEVNULL
        self._process = subprocess.Popen(
            argv, stdin=quiet, stdout=quiet, stderr=quiet, preexec_fn=descriptors, pass_fds=(3, 4)
        )
        os.close(commands_in)
        os.close(answers_out)
        self._next = 0
        self._lock = threading.Lock()
        self._waiting: dict[int, dict] = {}
        self._arrived = threading.Condition()
        self.requests: list[str] = []  # every URL the page or a worker of it asked for
        self.console: list[str] = []
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()
        target = self.send("Target.createTarget", {"url": "about:blank"})["targetId"]
        self.session = self.send("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        self._watch(self.session)
        self.send("Page.enable", session=self.session)

    # ---- the protocol ----

    def send(self, method: str, params: dict | None = None, session: str | None = None, timeout: float = 60):
        """Send a command and wait for its result; raises ``SymW2VError`` on a protocol error."""
        ident = self._post(method, params, session)
        deadline = time.monotonic() + timeout
        with self._arrived:
            while ident not in self._waiting:
                left = deadline - time.monotonic()
                if left <= 0 or not self._arrived.wait(left):
                    if ident not in self._waiting:
                        raise SymW2VError(f"Chromium did not answer {method} within {timeout:g} s")
            answer = self._waiting.pop(ident)
        if "error" in answer:
            raise SymW2VError(f"{method}: {answer['error'].get('message')}")
        return answer.get("result", {})

    def _post(self, method: str, params: dict | None, session: str | None) -> int:
        with self._lock:
            self._next += 1
            message = {"id": self._next, "method": method, "params": params or {}}
            if session:
                message["sessionId"] = session
            os.write(self._commands, json.dumps(message).encode() + b"\0")
            return self._next

    def _read(self) -> None:
        buffer = b""
        while True:
            try:
                chunk = os.read(self._answers, 1 << 16)
            except OSError:
                chunk = b""
            if not chunk:
                with self._arrived:
                    self._arrived.notify_all()
                return
            buffer += chunk
            *messages, buffer = buffer.split(b"\0")
            for raw in messages:
                self._received(json.loads(raw))

    def _received(self, message: dict) -> None:
        if "id" in message:
            with self._arrived:
                self._waiting[message["id"]] = message
                self._arrived.notify_all()
            return
        method, params = message.get("method"), message.get("params", {})
        if method == "Network.requestWillBeSent":
            self.requests.append(params["request"]["url"])
        elif method == "Runtime.consoleAPICalled":
            self.console.append(" ".join(str(a.get("value", "")) for a in params.get("args", [])))
        elif method == "Target.attachedToTarget":
            # a worker of the page: watch its requests too, then let it start
            self._watch(params["sessionId"])
            self._post("Runtime.runIfWaitingForDebugger", None, params["sessionId"])

    def _watch(self, session: str) -> None:
        """Record ``session``'s requests and console, and hold its workers until they are watched."""
        for method, params in (
            ("Network.enable", None),
            ("Runtime.enable", None),
            ("Target.setAutoAttach", {"autoAttach": True, "waitForDebuggerOnStart": True, "flatten": True}),
        ):
            self._post(method, params, session)

    # ---- the page ----

    def goto(self, url: str) -> None:
        """Open ``url`` in the page."""
        self.send("Page.navigate", {"url": url}, session=self.session)

    def evaluate(self, expression: str, timeout: float = 60):
        """The value of a JavaScript expression in the page (awaited if it is a promise)."""
        params = {"expression": expression, "awaitPromise": True, "returnByValue": True}
        result = self.send("Runtime.evaluate", params, session=self.session, timeout=timeout)
        if "exceptionDetails" in result:
            raise SymW2VError(f"in the page: {result['exceptionDetails'].get('text')}")
        return result["result"].get("value")

    def wait_for(self, expression: str, timeout: float = 60, every: float = 0.05):
        """Poll ``expression`` until it is truthy; its value."""
        deadline = time.monotonic() + timeout
        while True:
            value = self.evaluate(expression)
            if value:
                return value
            if time.monotonic() > deadline:
                raise SymW2VError(f"the page did not get to {expression!r} within {timeout:g} s")
            time.sleep(every)

    def screenshot(self, path: Path, full_page: bool = True) -> None:
        """A PNG of the page (the whole page, not only the window)."""
        params: dict = {"format": "png"}
        if full_page:
            params["captureBeyondViewport"] = True
            metrics = self.send("Page.getLayoutMetrics", session=self.session)
            size = metrics["cssContentSize"]
            width = self.evaluate("window.innerWidth")
            params["clip"] = {"x": 0, "y": 0, "width": width, "height": size["height"], "scale": 1}
        data = self.send("Page.captureScreenshot", params, session=self.session)["data"]
        Path(path).write_bytes(base64.b64decode(data))

    def close(self) -> None:
        """End Chromium and its profile folder."""
        try:
            self._post("Browser.close", None, None)
            self._process.wait(timeout=10)
        except (OSError, subprocess.TimeoutExpired):
            self._process.kill()
            self._process.wait()
        for descriptor in (self._commands, self._answers):
            try:
                os.close(descriptor)
            except OSError:
                pass
        self._profile.cleanup()

    def __enter__(self) -> Chromium:
        return self

    def __exit__(self, *exc) -> None:
        self.close()
