"""The checker page (``symw2v site``): the build, the Python the page runs, and the page itself
in headless Chromium.

The browser test builds a fresh site (Pyodide and the wheels come from the download cache, so
only the first run fetches them), serves it on 127.0.0.1 with a server that logs every request,
and drives Chromium over the DevTools pipe: the seed's eq. 13 is refuted with the hint, a true
claim is proved, a parse error shows its column, a document gets a verdict per equation, and
no request leaves the page's origin.  It skips where Chromium, npm or the network is missing.
"""

from __future__ import annotations

import functools
import http.server
import json
import subprocess
import sys
import threading
import zipfile
from io import BytesIO
from pathlib import Path

import pytest

from symw2v.cli import main
from symw2v.errors import SymW2VError
from symw2v.site import build_site, page, pyodide, wheels
from symw2v.site.browser import Chromium, find_chromium

EQ13 = "-u_o (1 - sigma(u_o^T v_c)) - sum_k u_k (1 - sigma(u_k^T v_c))"
EQ14 = r"(\sigma(\boldsymbol{u}_o^\top \boldsymbol{v}_c) - 1) \boldsymbol{v}_c"
BROKEN = "(yhat - y)_k v_c +"
# a homework in the notation students hand in: bold vectors, \frac{\partial J}{\partial …}, \tag
DOCUMENT = r"""# Negative sampling

The loss is
$$J = -\log \sigma(\boldsymbol{u}_o^\top \boldsymbol{v}_c)
  - \sum_{k=1}^{K} \log \sigma(-\boldsymbol{u}_k^\top \boldsymbol{v}_c)$$

$$\frac{\partial J}{\partial \boldsymbol{u}_o}
  = (\sigma(\boldsymbol{u}_o^\top \boldsymbol{v}_c) - 1)\boldsymbol{v}_c \tag{14}$$

$$\frac{\partial J}{\partial \boldsymbol{v}_c}
  = -\boldsymbol{u}_o (1 - \sigma(\boldsymbol{u}_o^\top \boldsymbol{v}_c))
  - \sum_{k=1}^{K} \boldsymbol{u}_k (1 - \sigma(\boldsymbol{u}_k^\top \boldsymbol{v}_c)) \tag{13}$$
"""


# ---- the Python the page runs -------------------------------------------------------------


def test_page_imports_nothing_the_browser_lacks():
    unwanted = "{'numpy', 'jinja2', 'markupsafe', 'multiprocessing'}"
    code = f"import sys, symw2v.site.page; print(sorted({unwanted} & set(sys.modules)))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


def test_preview_typesets_as_the_reports_do():
    answer = json.loads(page.preview(json.dumps({"claim": "(yhat - y)_k v_c"})))
    assert answer["mathml"].startswith('<math xmlns="http://www.w3.org/1998/Math/MathML" display="block">')


def test_preview_of_a_parse_error_names_the_column():
    answer = json.loads(page.preview(json.dumps({"claim": BROKEN})))
    assert answer["column"] == 19
    assert "(at column 19)" in answer["error"]


def test_a_request_that_is_not_json_is_an_error_not_a_crash():
    assert "error" in json.loads(page.check("{not json"))
    assert "error" in json.loads(
        page.check(json.dumps({"loss": "softmax", "wrt": "nothing", "claim": "v_c"}))
    )


def test_options_list_the_losses_variables_and_profiles():
    options = json.loads(page.options())
    assert "negative-sampling" in [loss["name"] for loss in options["losses"]]
    assert "v_c" in options["wrt"]
    assert [p["name"] for p in options["profiles"]] == ["cs224n"]
    assert options["time_limit_s"] == 60.0
    first, second = options["questions"]["cs224n"][:2]
    assert (first["label"], first["loss"], first["wrt"]) == ("(a)", "softmax", "J")  # the identity
    assert (second["label"], second["loss"], second["wrt"]) == ("(b)", "softmax", "v_c")


# ---- the build ------------------------------------------------------------------------------


def test_integrity_is_npms_sha512_in_base64():
    assert pyodide.integrity(b"") == (
        "sha512-z4PhNX7vuL3xVChQ1m2AB9Yg5AULVxXcg/SpIdNs6c5H0NE8XYXysP+DGNKHfuwvY7kxvUdBeoGlODJ6+SfaPg=="
    )


def test_a_tarball_that_is_not_the_pinned_pyodide_is_refused(tmp_path):
    fake = tmp_path / "pyodide.tgz"
    fake.write_bytes(b"not pyodide")
    with pytest.raises(SymW2VError, match="sha512"):
        pyodide.runtime(fake)


def test_own_wheel_is_deterministic_and_holds_what_the_browser_runs():
    name, data = wheels.own_wheel()
    assert name.endswith("-py3-none-any.whl")
    assert wheels.own_wheel()[1] == data
    names = zipfile.ZipFile(BytesIO(data)).namelist()
    assert {"symw2v/site/page.py", "symw2v/claim.lark", "symw2v/world/profiles/cs224n.toml"} <= set(names)
    assert not [n for n in names if n.endswith((".j2", ".pyc"))]
    assert names[-1].endswith(".dist-info/RECORD") or any(n.endswith("RECORD") for n in names)


def _offline(tmp_path: Path) -> tuple[Path, Path]:
    """A stand-in Pyodide folder and a cache of stand-in wheels: a build with no network."""
    runtime = tmp_path / "runtime"
    runtime.mkdir()
    for file in pyodide.RUNTIME:
        (runtime / file).write_bytes(file.encode())
    (runtime / "pyodide-lock.json").write_text(json.dumps({"info": {"python": "3.13.2"}}))
    cache = tmp_path / "cache"
    (cache / "wheels").mkdir(parents=True)
    for dependency in wheels.DEPENDENCIES:
        version = wheels.metadata.version(dependency)
        (cache / "wheels" / f"{dependency}-{version}-py3-none-any.whl").write_bytes(dependency.encode())
    return runtime, cache


def test_build_writes_the_page_runtime_and_wheels_the_same_every_time(tmp_path):
    runtime, cache = _offline(tmp_path)
    first = build_site(tmp_path / "a", profile="cs224n", runtime=runtime, cache=cache, compile=False)
    second = build_site(tmp_path / "b", profile="cs224n", runtime=runtime, cache=cache, compile=False)
    names = [name for name, _ in first.files]
    assert {"index.html", "app.js", "worker.js", "style.css", "site.json", "pyodide/pyodide.asm.wasm"} <= set(
        names
    )
    for name in names:
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes(), name
    assert second.total == first.total
    manifest = json.loads((tmp_path / "a" / "site.json").read_text())
    assert manifest["profile"] == "cs224n"
    assert [w["file"].split("-")[0] for w in manifest["wheels"]] == [
        "lark",
        "latex2mathml",
        "mpmath",
        "sympy",
        "symw2v",
    ]


def test_a_runtime_for_another_python_is_refused(tmp_path):
    runtime, cache = _offline(tmp_path)
    (runtime / "pyodide-lock.json").write_text(json.dumps({"info": {"python": "3.12.7"}}))
    with pytest.raises(SymW2VError, match="Python 3.12.7"):
        build_site(tmp_path / "site", runtime=runtime, cache=cache, compile=False)


def test_the_command_line_builds_and_says_how_to_serve(tmp_path, capsys):
    runtime, cache = _offline(tmp_path)
    argv = [
        "site",
        str(tmp_path / "site"),
        "--profile",
        "cs224n",
        "--pyodide",
        str(runtime),
        "--cache",
        str(cache),
        "--source-wheels",
    ]
    assert main(argv) == 0
    out = capsys.readouterr().out
    assert "python -m http.server -d" in out
    assert "(source)" in out
    assert (tmp_path / "site" / "index.html").is_file()


# ---- the page in Chromium -------------------------------------------------------------------


class _Logged(http.server.SimpleHTTPRequestHandler):
    """Serves the site and records every request's path and status."""

    log: list = []

    def log_request(self, code="-", size="-"):
        self.log.append((self.path, int(code) if str(code).isdigit() else 0))

    def log_message(self, format, *args):  # noqa: A002 - the stdlib's name
        pass


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    """A freshly built site served on 127.0.0.1, open in headless Chromium, Python ready."""
    if find_chromium() is None:
        pytest.skip("Chromium is not installed (.ci/run installs it)")
    try:
        pyodide.tarball()
        wheels.dependencies(pyodide.cache_folder())
    except SymW2VError as error:
        pytest.skip(f"cannot fetch Pyodide or the wheels (npm, pip or the network): {error}")
    # the command line's answer to the same claim, computed while the page loads
    command = [sys.executable, "-m", "symw2v", "check", "--profile", "cs224n", "--loss", "negative-sampling"]
    cli = subprocess.Popen([*command, "--wrt", "v_c", "--", EQ13], stdout=subprocess.PIPE, text=True)
    folder = tmp_path_factory.mktemp("site")
    build_site(folder, profile="cs224n")
    handler = type("Handler", (_Logged,), {"log": []})
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(handler, directory=str(folder))
    )
    threading.Thread(target=server.serve_forever, daemon=True).start()
    origin = f"http://127.0.0.1:{server.server_address[1]}/"
    chromium = Chromium()
    try:
        chromium.goto(origin)
        chromium.wait_for("window.symw2vTimings && window.symw2vTimings.ready_s", timeout=120)
        yield chromium, origin, handler.log, cli
    finally:
        cli.kill()
        chromium.close()
        server.shutdown()
        server.server_close()


def _check(chromium: Chromium, loss: str, wrt: str, claim: str) -> dict:
    """Fill in the claim form, press Check, and read the result card."""
    chromium.evaluate(
        f"""(() => {{
        document.getElementById('claim-result').replaceChildren();
        document.getElementById('loss').value = {json.dumps(loss)};
        document.getElementById('wrt').value = {json.dumps(wrt)};
        const box = document.getElementById('claim');
        box.value = {json.dumps(claim)};
        box.dispatchEvent(new Event('input'));
        document.getElementById('check').click();
    }})()"""
    )
    chromium.wait_for("!!document.querySelector('#claim-result [data-verdict]')", timeout=90)
    return chromium.evaluate(
        """(() => { const card = document.querySelector('#claim-result [data-verdict]');
        return {verdict: card.dataset.verdict, text: card.querySelector('pre').textContent,
                math: card.querySelectorAll('math').length}; })()"""
    )


@pytest.mark.browser
def test_page_refutes_eq13_with_the_lost_minus_hint_in_the_command_lines_words(browser):
    chromium, _, _, cli = browser
    shown = _check(chromium, "negative-sampling", "v_c", EQ13)
    assert shown["verdict"] == "refuted"
    assert "lost the inner minus sign" in shown["text"]
    assert "residual (claimed − derived): -Σ_k u_k" in shown["text"]
    assert shown["math"] >= 2  # the claim and the residual, typeset
    # word for word what `symw2v check --profile cs224n` says (the page's profile)
    out, _ = cli.communicate(timeout=60)
    assert shown["text"] + "\n" == out


@pytest.mark.browser
def test_page_proves_a_true_claim(browser):
    chromium, *_ = browser
    shown = _check(chromium, "negative-sampling", "u_o", EQ14)
    assert shown["verdict"] == "proved"
    assert "scope: proved at V = 5, d = 3, K = 3" in shown["text"]


@pytest.mark.browser
def test_page_asks_the_profiles_questions(browser):
    chromium, *_ = browser
    chosen = chromium.evaluate(
        """(() => { const q = document.getElementById('question');
        q.value = [...q.options].find(o => o.text.startsWith('(c)')).value;
        q.dispatchEvent(new Event('change'));
        return ['loss', 'wrt', 'case'].map(id => document.getElementById(id).value); })()"""
    )
    assert chosen == ["softmax", "u_w", "w = o"]


@pytest.mark.browser
def test_page_shows_a_parse_errors_column(browser):
    chromium, *_ = browser
    shown = _check(chromium, "softmax", "u_k", BROKEN)
    assert shown["verdict"] == "parse-error"
    assert "(at column 19)" in shown["text"]
    # and as it is typed, under the answer
    preview = chromium.wait_for(
        "(() => { const p = document.querySelector('#preview pre.error'); return p && p.textContent; })()"
    )
    assert "(at column 19)" in preview


@pytest.mark.browser
def test_page_checks_every_equation_of_a_document(browser):
    chromium, *_ = browser
    chromium.evaluate(
        f"""(() => {{
        document.getElementById('tab-document').click();
        document.getElementById('document').value = {json.dumps(DOCUMENT)};
        document.getElementById('check-document').click();
    }})()"""
    )
    chromium.wait_for("!!document.querySelector('#document-result .summary')", timeout=90)
    verdicts = chromium.evaluate(
        """[...document.querySelectorAll('#document-result .document [data-verdict]')]
           .map(card => card.querySelector('.what').textContent + ' ' + card.dataset.verdict)"""
    )
    assert verdicts == ["eq14 (line 7) proved", "eq13 (line 10) refuted"]
    summary = chromium.evaluate("document.querySelector('#document-result .summary h2').textContent")
    assert summary.startswith("2 equation(s) checked")
    chromium.evaluate("document.getElementById('tab-claim').click()")


@pytest.mark.browser
def test_page_made_no_request_outside_its_origin(browser):
    chromium, origin, log, _ = browser
    assert chromium.requests, "the browser recorded no request at all"
    assert [url for url in chromium.requests if not url.startswith(origin)] == []
    assert {path for path, _ in log} >= {"/", "/worker.js", "/pyodide/pyodide.asm.wasm", "/site.json"}
    # every file was there (304: the second fetch of site.json, from the browser's cache)
    assert [(path, code) for path, code in log if code not in (200, 304)] == []


def test_the_form_offers_the_window_for_the_losses_over_one():
    options = json.loads(page.options())
    assert options["windowed"] == ["cbow", "window-negative-sampling", "window-softmax"]
    assert options["m"] == {"default": 2, "low": 1, "high": 10}
    assert {"x > 0", "x < 0"} <= set(options["cases"]) and "J" in options["wrt"]


def test_a_window_claim_from_the_form_is_checked_at_its_m():
    asked = {"loss": "window-softmax", "wrt": "v_w", "claim": "0", "m": "1"}
    answer = json.loads(page.check(json.dumps(asked)))
    assert answer["result"]["verdict"] == "proved" and answer["result"]["instance"]["m"] == 1
    bad = json.loads(page.check(json.dumps({**asked, "m": "12"})))
    assert bad["error"] == "m must be a whole number from 1 to 10, got 12"
