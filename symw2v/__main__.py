"""``python -m symw2v``: the same command line as ``symw2v``."""

import sys

from symw2v.cli import main

sys.exit(main())
