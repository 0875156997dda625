"""symw2v: a symbolic derivation verifier for word2vec gradients.

SymPy builds the word2vec losses at a small instance, derives their gradients, and proves
hand-written closed forms equal to them, or refutes them with an exact counterexample.
"""

__version__ = "0.1.0"

from symw2v.api import check, check_document, export  # noqa: E402
from symw2v.claim import Conventions, check_claim  # noqa: E402
from symw2v.derivation import load_derivation, prove_derivation  # noqa: E402
from symw2v.errors import ClaimParseError, ShapeError, SymW2VError  # noqa: E402
from symw2v.parse import parse_claim  # noqa: E402
from symw2v.results import ClaimResult, Verdict  # noqa: E402
from symw2v.world.instance import Instance  # noqa: E402
from symw2v.world.losses import Loss, named_loss  # noqa: E402

__all__ = [
    "ClaimParseError",
    "ClaimResult",
    "Conventions",
    "Instance",
    "Loss",
    "ShapeError",
    "SymW2VError",
    "Verdict",
    "__version__",
    "check",
    "check_claim",
    "check_document",
    "export",
    "load_derivation",
    "named_loss",
    "parse_claim",
    "prove_derivation",
]
