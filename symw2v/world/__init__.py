"""The word2vec world, declared once: objects, index sets, functions, instances and losses.

Every stage reads these declarations; none keeps its own table of names.
"""

from symw2v.world.indices import BY_BOUND, INDEX_SETS, NEGATIVES, VOCABULARY, WINDOW, IndexSet
from symw2v.world.instance import MAX_D, MAX_K, MAX_M, MAX_V, Instance
from symw2v.world.objects import (
    CANONICAL,
    CENTRE,
    CENTRES,
    FAMILIES,
    OBJECTS,
    ONE_HOTS,
    OUTSIDE,
    SCALAR,
    SCORES,
    VARIABLES,
    WORDS,
    WRT,
    Object,
    Reading,
    Shape,
    Variable,
)

__all__ = [
    "BY_BOUND",
    "CANONICAL",
    "CENTRE",
    "CENTRES",
    "FAMILIES",
    "INDEX_SETS",
    "MAX_D",
    "MAX_K",
    "MAX_M",
    "MAX_V",
    "NEGATIVES",
    "OBJECTS",
    "ONE_HOTS",
    "OUTSIDE",
    "SCALAR",
    "SCORES",
    "VARIABLES",
    "VOCABULARY",
    "WINDOW",
    "WORDS",
    "WRT",
    "IndexSet",
    "Instance",
    "Object",
    "Reading",
    "Shape",
    "Variable",
]
