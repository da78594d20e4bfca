"""A blank evidence file for a rubric: a valid header to fill in, and a sketch per criterion."""

from __future__ import annotations

from cat_rubric._evidence import Finding
from cat_rubric._jsonschema import MODELINE, schema_uri
from cat_rubric._model import Rubric, SourceKind
from cat_rubric._text import one_line


def evidence_template(rubric: Rubric, *, source: SourceKind | str = SourceKind.STATE_PARTY) -> str:
    """YAML text for a new evidence file on *rubric*, from a *source* of that kind.

    The text loads as it is (no items yet); below the header, a commented item per
    criterion shows the statement to check and the information to look for, with
    *source* as its kind. Only the State party's file states the reply (``reply:``):
    for another source the block is a comment that says why, since files assessed
    together must agree on it and the State's reply file is the one that knows. Its first
    line points YAML editors at the installed JSON Schema of evidence files (a ``file:``
    URI, so it holds on this machine wherever the file is moved; see docs/format.md).
    """
    kind = SourceKind(source)
    due = rubric.due or rubric.adopted
    digest = rubric.origin.sha256 if rubric.origin else None
    findings = ", ".join(f.value for f in Finding)
    kinds = ", ".join(k.value for k in SourceKind)
    lines = [
        MODELINE + schema_uri("evidence"),
        f"# Evidence on {one_line(rubric.symbol)} ({one_line(rubric.state_party)}), "
        f"rubric {rubric.id}.",
        "# Fill in the header, then add one item per source and criterion (uncomment a sketch",
        "# below). Check it with: cat-rubric validate THIS_FILE",
        f"# findings: {findings}",
        f"# source kinds: {kinds}",
        f"rubric: {rubric.id}",
    ]
    if digest:
        lines.append(f"rubric_sha256: {digest}")
    lines += [
        f'cycle: "follow-up due {due}"',
        'assessor: "(your name)"',
        f"as_of: {due}",
    ]
    if kind is SourceKind.STATE_PARTY:
        lines += [
            "reply:",
            "  received: false  # when it arrives: received: true, date: YYYY-MM-DD, symbol: ...",
        ]
    else:
        lines += [
            "# reply: the State party's reply is stated in its own file (made with",
            "# cat-rubric template RUBRIC), which this one is assessed with; files assessed",
            "# together must agree on it. Only to assess this file alone, say it here:",
            "# reply: {received: true, date: YYYY-MM-DD}",
        ]
    lines += [
        "reminders: []",
        "items: []",
        "# items:",
    ]
    for rec, part, crit in rubric.iter_criteria():
        lines += [
            f"#   # para {rec.paragraph}, part {part.id}: {one_line(crit.statement, 200)}",
            f"#   # to look for: {one_line(crit.request, 200)}",
            f"#   - id: {crit.id}-1",
            f"#     criteria: [{crit.id}]",
            "#     finding: no_information",
            f'#     source: {{kind: {kind.value}, title: "", locator: "", date: YYYY-MM-DD}}',
            '#     summary: ""',
        ]
    return "\n".join(lines) + "\n"
