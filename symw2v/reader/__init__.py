"""Reading a homework document as a student writes it, one stage per module.

- ``source``: the file's text, whatever its format (Markdown, LaTeX, a notebook's Markdown
  cells), with LaTeX comments dropped and the document's own macros expanded (``macros``);
- ``symw2v.displays``: the displayed equations, row by row;
- ``derivative``: a left-hand side that is a derivative of J (``∂J/∂x`` in all its spellings);
- ``activations``: the derivative of σ, ReLU or the leaky ReLU by x (``\\sigma'(x)``, ``f'(x)``);
- ``identity``: an identity about the loss itself (``-\\sum_w y_w \\log \\hat{y}_w = -\\log \\hat{y}_o``);
- ``rows``: a row cut into its label, its sides and its side condition;
- ``cases``: the case an answer is for (``w ≠ o``, ``w = o``, repeated negatives);
- ``losses``: the loss an equation is about (a definition, a name, a section, the claim);
- ``conventions``: the shapes a document declares, over a course profile's;
- ``sections``: what the prose between displays says (a part label, every case at once);
- ``equations``: the rows put together into equations and chains (``found``: what it finds);
- ``shorthands``: counts and names a document defines, read back into its answers.

``symw2v.document`` runs these stages and checks what they found.
"""
