"""Reading files safely: the resource limits on every file read, and the YAML parser.

`Limits` bounds what a file may cost (its size, nesting depth and alias expansion);
each loader takes ``limits=``, and a file over a limit raises
`cat_rubric.exceptions.LimitError`. `HAVE_LIBYAML` says whether PyYAML's C parser is
available (the results are the same either way; the pure-Python one is slower)::

    from cat_rubric.limits import Limits
    cat_rubric.load_rubric("big.yaml", limits=Limits(max_bytes=200_000_000))
"""

from __future__ import annotations

from cat_rubric._yaml import HAVE_LIBYAML, Limits

__all__ = [
    "HAVE_LIBYAML",
    "Limits",
]
