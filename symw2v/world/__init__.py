"""The word2vec world, declared once: objects, index sets, functions, instances and losses.

Every stage reads these declarations; none keeps its own table of names.
"""

from symw2v.world.indices import BY_BOUND, INDEX_SETS, NEGATIVES, VOCABULARY, IndexSet
from symw2v.world.instance import MAX_D, MAX_K, MAX_V, Instance
from symw2v.world.objects import (
    CANONICAL,
    CENTRE,
    OBJECTS,
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
    "INDEX_SETS",
    "MAX_D",
    "MAX_K",
    "MAX_V",
    "NEGATIVES",
    "OBJECTS",
    "OUTSIDE",
    "SCALAR",
    "SCORES",
    "VARIABLES",
    "VOCABULARY",
    "WORDS",
    "WRT",
    "IndexSet",
    "Instance",
    "Object",
    "Reading",
    "Shape",
    "Variable",
]
