"""Run inside Pyodide at build time (compile_wheels.mjs): every wheel in /work/in, its modules
compiled to bytecode, to /work/out.

Each ``.py`` is replaced by its ``.pyc`` (unchecked hash: there is no source to check against),
as Pyodide ships its own packages.  The packages' own test suites (``tests/`` and
``benchmarks/`` folders: half of SymPy) are left out: the page never runs them.  The RECORD is
written anew; entries are in sorted order with a fixed date: the same wheel, the same bytes.
"""

import base64
import hashlib
import importlib.util
import os
import zipfile
from importlib._bootstrap_external import _code_to_hash_pyc

SITE = "/lib/python3.13/site-packages/"
EPOCH = (1980, 1, 1, 0, 0, 0)
UNUSED = ("/tests/", "/benchmarks/")


def digest(data):
    return base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode("ascii")


def compiled(name, data):
    if not name.endswith(".py") or ".dist-info/" in name:
        return name, data
    code = compile(data, SITE + name, "exec", dont_inherit=True)
    return name + "c", bytes(_code_to_hash_pyc(code, importlib.util.source_hash(data), checked=False))


def convert(source, target):
    with zipfile.ZipFile(source) as wheel:
        names = [n for n in wheel.namelist() if not n.endswith("/") and not any(u in n for u in UNUSED)]
        files = dict(compiled(n, wheel.read(n)) for n in names)
    record = next(n for n in files if n.endswith(".dist-info/RECORD"))
    del files[record]
    lines = "".join(f"{n},sha256={digest(d)},{len(d)}\n" for n, d in sorted(files.items()))
    files[record] = (lines + f"{record},,\n").encode()
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as out:
        for n, d in sorted(files.items()):
            entry = zipfile.ZipInfo(n, EPOCH)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            out.writestr(entry, d)


def main():
    for wheel in sorted(os.listdir("/work/in")):
        convert(f"/work/in/{wheel}", f"/work/out/{wheel}")


if __name__ == "__main__":
    main()
