"""The Content-Security-Policy of the pages cat_rubric writes: no request, no script.

A report, a comparison or a history is a file that travels by e-mail and is opened from
disk; it needs nothing but itself. Its policy allows one inline stylesheet, named by its
sha256, and nothing else: no script, no image, font or frame from anywhere, no form
target, no ``<base>``.
"""

from __future__ import annotations

import base64
import hashlib


def style_source(css: str) -> str:
    """The CSP source (``'sha256-…'``) that allows the inline stylesheet *css* alone.

    Args:
        css: The text between ``<style>`` and ``</style>``, exactly as the page has it.
    """
    digest = base64.b64encode(hashlib.sha256(css.encode("utf-8")).digest()).decode("ascii")
    return f"'sha256-{digest}'"


def page_policy(css: str) -> str:
    """The whole policy of a page whose only style is the inline stylesheet *css*."""
    return f"default-src 'none'; style-src {style_source(css)}; base-uri 'none'; form-action 'none'"


__all__ = ["page_policy", "style_source"]
