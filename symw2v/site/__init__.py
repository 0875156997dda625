"""The checker page: a static site that runs symw2v itself in the browser (Pyodide).

``build_site(folder)`` writes the page, its script and styles, the Pyodide runtime and the
wheels symw2v needs there into one folder that any static host can serve; ``page`` is the
Python the page's web worker calls.
"""

from symw2v.site.build import SiteSummary, build_site

__all__ = ["SiteSummary", "build_site"]
