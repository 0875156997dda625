"""The checker page: a static site that runs symw2v itself in the browser (Pyodide).

``build_site(folder)`` writes the page, its script and styles, the Pyodide runtime and the
wheels symw2v needs there into one folder that any static host can serve; ``page`` is the
Python the page's web worker calls.
"""

__all__ = ["SiteSummary", "build_site"]


def __getattr__(name: str):
    # the build (and the MathML renderer it pulls in) is imported on first use, so that the
    # command line can read the Pyodide version of ``symw2v.site.pyodide`` without it
    if name in __all__:
        from symw2v.site import build

        return getattr(build, name)
    raise AttributeError(f"module 'symw2v.site' has no attribute {name!r}")
