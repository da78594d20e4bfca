"""Reproduce the real follow-up grades in validation/cases.yaml with cat_rubric.

Each case is encoded mechanically into the project's own formats — a rubric with one
recommendation, one part and one criterion per reported component, and an evidence
file with the State party's findings, any independent findings, the reply and the
reminders — parsed with the public API (`cat_rubric.parse_rubric`,
`cat_rubric.parse_evidence`), assessed on the case's scale, and the part's letter is
compared with the published grade (or range of grades).

    python validation/reproduce.py            # "N of M reproduced", then each mismatch
    python validation/reproduce.py --write DIR [--force]

With ``--write``, each case's rubric and evidence are written to DIR/<case id>/ so
that a person can run ``cat-rubric score DIR/<id>/rubric.yaml DIR/<id>/evidence.yaml``.

Exit status: 0 whatever the figure; 1 if a case fails to encode or to assess (with
the case and the reason); 2 for a usage error, or when --write would replace a file
without --force.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

import cat_rubric
import cat_rubric.exceptions
from cat_rubric._io import write_atomic

HERE = Path(__file__).resolve().parent
CASES = HERE / "cases.yaml"

#: The findings a case may record (README.md, "The mechanical rule").
FINDINGS = (
    "implemented",
    "partially_implemented",
    "initiated",
    "not_implemented",
    "not_relevant",
    "no_new_information",
    "no_information",
    "rejected",
    "contrary",
)
#: Kinds an independent finding may come from (docs/format.md, criterion `evidence`).
INDEPENDENT_KINDS = ("ngo", "nhri", "npm", "un_body", "court", "media", "other")
SCALES = ("ccpr-2013", "ccpr-2016", "cat-2015")
BODIES = ("CCPR", "CAT")

#: Placeholder dates: the sources give the assessment date but rarely the dates of
#: the concluding observations or of the reply, and no case's grade turns on them.
ADOPTED_BEFORE = dt.timedelta(days=3 * 365)  # concluding observations: 3 years before
REMINDER_EVERY = dt.timedelta(days=30)  # reminders: monthly, ending 30 days before


class CaseError(Exception):
    """A case cannot be encoded or assessed; the message says which and why."""


@dataclass(frozen=True)
class Outcome:
    """What the engine made of one case."""

    case_id: str
    expected: str
    got: str | None
    reproduced: bool
    rule: str
    reason: str
    substitutions: tuple[str, ...] = ()


@dataclass(frozen=True)
class Encoded:
    """A case in the project's formats."""

    case_id: str
    scale: str
    rubric_text: str
    evidence_text: str
    substitutions: tuple[str, ...] = field(default=())


# -- reading and checking cases --------------------------------------------------------


def load_cases(path: Path = CASES) -> list[dict[str, Any]]:
    """The cases, as mappings, in file order."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(data, list):
        raise CaseError(f"{path}: expected a list of cases")
    return [dict(case) for case in data]


def _date(value: Any, what: str) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            pass
    raise CaseError(f"{what}: not a date (YYYY-MM-DD): {value!r}")


def scale_letters(scale_id: str) -> tuple[str, ...]:
    """The scale's letters, best first."""
    return cat_rubric.load_scale(scale_id).letters


def expected_letters(case: Mapping[str, Any], letters: Sequence[str]) -> tuple[str, str]:
    """The case's grade as ``(low, high)``: worst and best letter it allows."""
    cid = case.get("id", "?")
    grade, span = case.get("grade"), case.get("grade_range")
    if (grade is None) == (span is None):
        raise CaseError(f"{cid}: give exactly one of grade and grade_range")
    if grade is not None:
        low = high = str(grade)
    else:
        if not isinstance(span, list) or len(span) != 2:
            raise CaseError(f"{cid}: grade_range must be [low, high]")
        low, high = str(span[0]), str(span[1])
    for letter in (low, high):
        if letter not in letters:
            raise CaseError(f"{cid}: {letter!r} is not a letter of {case.get('scale')}")
    if letters.index(low) < letters.index(high):
        raise CaseError(f"{cid}: grade_range [{low}, {high}] has low better than high")
    return low, high


def describe_expected(low: str, high: str) -> str:
    """``B2``, or ``D1..C2`` for a range (worst first)."""
    return low if low == high else f"{low}..{high}"


def check_case(case: Mapping[str, Any]) -> None:
    """Raise `CaseError` if the case lacks a field the corpus requires."""
    cid = case.get("id")
    if not isinstance(cid, str) or not cid:
        raise CaseError(f"a case without an id: {case!r:.80}")
    for key in ("body", "scale", "state", "session", "assessed", "source", "source_words"):
        if not case.get(key):
            raise CaseError(f"{cid}: missing {key}")
    if case["body"] not in BODIES:
        raise CaseError(f"{cid}: body must be one of {BODIES}")
    if case["scale"] not in SCALES:
        raise CaseError(f"{cid}: scale must be one of {SCALES}")
    source = case["source"]
    if not isinstance(source, Mapping) or not source.get("title") or not source.get("url"):
        raise CaseError(f"{cid}: source needs a title and a url")
    reply = case.get("reply")
    if not isinstance(reply, Mapping) or not isinstance(reply.get("received"), bool):
        raise CaseError(f"{cid}: reply.received must be true or false")
    reported = case.get("reported")
    if not isinstance(reported, list):
        raise CaseError(f"{cid}: reported must be a list (empty when there was no reply)")
    if reply["received"] and not reported:
        raise CaseError(f"{cid}: a reply was received, so list what it said (reported)")
    if not reply["received"] and not int(reply.get("reminders", 0)) >= 0:
        raise CaseError(f"{cid}: reminders must be a count")
    for i, comp in enumerate(reported):
        if not isinstance(comp, Mapping) or not comp.get("component") or not comp.get("said"):
            raise CaseError(f"{cid}: reported[{i}] needs component and said")
        if comp.get("finding") not in FINDINGS:
            raise CaseError(f"{cid}: reported[{i}].finding must be one of {FINDINGS}")
    for i, ind in enumerate(case.get("independent") or ()):
        if ind.get("kind", "ngo") not in INDEPENDENT_KINDS:
            raise CaseError(f"{cid}: independent[{i}].kind must be one of {INDEPENDENT_KINDS}")
        if ind.get("finding") not in FINDINGS or ind["finding"] == "no_new_information":
            raise CaseError(f"{cid}: independent[{i}].finding is not an independent finding")
    _date(case["assessed"], f"{cid}: assessed")


# -- encoding --------------------------------------------------------------------------


def _q(text: Any) -> str:
    """A YAML double-quoted scalar (JSON's string syntax is valid YAML)."""
    return json.dumps(" ".join(str(text).split()), ensure_ascii=False)


def _known_findings() -> set[str]:
    return {f.value for f in cat_rubric.Finding}


def _finding(value: str, where: str, subs: list[str]) -> str:
    """*value*, or the nearest finding this version of the library knows."""
    if value in _known_findings():
        return value
    if value == "no_new_information":
        # Before no_new_information lands, the nearest older finding is not_relevant
        # (both grade C2 / C, and neither is silence).
        subs.append(f"{where}: no_new_information encoded as not_relevant (unknown to cat_rubric)")
        return "not_relevant"
    raise CaseError(f"{where}: cat_rubric knows no finding {value!r}")


def encode(case: Mapping[str, Any]) -> Encoded:
    """The case as rubric and evidence YAML texts."""
    check_case(case)
    cid: str = case["id"]
    as_of = _date(case["assessed"], f"{cid}: assessed")
    adopted = as_of - ADOPTED_BEFORE
    reported: list[Mapping[str, Any]] = list(case["reported"])
    # A case without components (no reply at all) still needs one criterion.
    components = reported or [{"component": case["recommendation"], "essential": True}]
    rubric_id = f"val-{cid}"
    source = case["source"]

    crit_lines: list[str] = []
    for n, comp in enumerate(components, 1):
        essential = comp.get("essential", True) is not False
        crit_lines += [
            f"          - id: c{n}",
            f"            statement: {_q(comp['component'])}",
            "            indicator: process",
            f"            essential: {str(essential).lower()}",
            "            weight: 1",
            "            evidence: [state_party, ngo, nhri, npm, un_body, court, media, other]",
            "            guidance: "
            + _q(
                f"Encoded mechanically from validation/cases.yaml, case {cid}: the "
                "finding was chosen from the source's words about the State's reply, "
                "by the table in validation/README.md."
            ),
            f"            request: {_q('Please provide information on: ' + comp['component'])}",
        ]
    if not any(c.get("essential", True) is not False for c in components):
        raise CaseError(f"{cid}: at least one component must be essential")

    rubric_text = "\n".join(
        [
            f"# Encoded from validation/cases.yaml, case {cid}. Dates are placeholders.",
            f"id: {rubric_id}",
            f"title: {_q('Follow-up of ' + case['state'] + ' (validation case ' + cid + ')')}",
            f"treaty_body: {case['body']}",
            f"state_party: {_q(case['state'])}",
            f"symbol: {_q(case.get('co_symbol') or 'concluding observations (symbol not given by the source)')}",  # noqa: E501
            f"adopted: {adopted.isoformat()}",
            f"scale: {case['scale']}",
            f"source_url: {_q(source['url'])}",
            "notes: "
            + _q(
                "Validation case: one recommendation component as graded in "
                f"{source['title']}. The adoption date is a placeholder "
                f"({ADOPTED_BEFORE.days} days before the assessment)."
            ),
            "follow_up:",
            "  paragraph: 2",
            "  recommendations: [1]",
            "  within_months: 12",
            "recommendations:",
            "  - id: rec",
            "    paragraph: 1",
            f"    title: {_q(case['recommendation'])}",
            f"    concern: {_q('As graded in ' + source['title'])}",
            f"    recommendation: {_q(case['recommendation'])}",
            "    parts:",
            "      - id: p",
            f"        title: {_q(case['recommendation'])}",
            "        criteria:",
            *crit_lines,
            "",
        ]
    )

    subs: list[str] = []
    reply = case["reply"]
    items: list[str] = []
    state_title = _q(f"Follow-up reply of {case['state']}, as described in: {source['title']}")
    for n, comp in enumerate(reported, 1):
        finding = _finding(str(comp["finding"]), f"{cid}: reported[{n - 1}]", subs)
        if finding == "no_information":
            continue  # the State said nothing on it: a criterion no item speaks to
        items += [
            f"  - id: s-c{n}",
            f"    criteria: [c{n}]",
            f"    finding: {finding}",
            "    source:",
            "      kind: state_party",
            f"      title: {state_title}",
            f"      url: {_q(source['url'])}",
            f"      date: {as_of.isoformat()}",
        ]
        if comp.get("measure_date") is not None or comp.get("predates"):
            measure = (
                _date(comp["measure_date"], f"{cid}: measure_date")
                if comp.get("measure_date") is not None
                else adopted - dt.timedelta(days=1)
            )
            items.append(f"    measure_date: {measure.isoformat()}")
        items.append(f"    summary: {_q(comp['said'])}")
    by_name = {str(c["component"]): n for n, c in enumerate(components, 1)}
    for n, ind in enumerate(case.get("independent") or (), 1):
        target = by_name.get(str(ind.get("component")))
        if target is None:
            raise CaseError(f"{cid}: independent[{n - 1}] names no reported component")
        date = _date(ind.get("date", as_of), f"{cid}: independent[{n - 1}].date")
        items += [
            f"  - id: i-{n}",
            f"    criteria: [c{target}]",
            f"    finding: {_finding(str(ind['finding']), f'{cid}: independent[{n - 1}]', subs)}",
            "    source:",
            f"      kind: {ind.get('kind', 'ngo')}",
            f"      title: {_q(ind.get('title') or 'Independent source, as described in: ' + source['title'])}",  # noqa: E501
            f"      date: {date.isoformat()}",
            f"    summary: {_q(ind['said'])}",
        ]

    if reply["received"]:
        reply_lines = [
            "reply:",
            "  received: true",
            f"  date: {as_of.isoformat()}",
            f"  title: {state_title}",
            "reminders: []",
        ]
    else:
        count = int(reply.get("reminders", 0))
        dates = [as_of - REMINDER_EVERY * k for k in range(count, 0, -1)]
        reply_lines = [
            "reply:",
            "  received: false",
            "reminders: [" + ", ".join(d.isoformat() for d in dates) + "]",
        ]
    evidence_text = "\n".join(
        [
            f"# Encoded from validation/cases.yaml, case {cid}.",
            f"rubric: {rubric_id}",
            f"cycle: {_q(case['session'])}",
            "assessor: validation/reproduce.py (mechanical encoding)",
            f"as_of: {as_of.isoformat()}",
            *reply_lines,
            "notes: "
            + _q(
                f"Real grade from {source['title']} ({source['url']}). Reply and "
                "reminder dates are placeholders on or before the assessment date."
            ),
            "items:" if items else "items: []",
            *items,
            "",
        ]
    )
    return Encoded(
        case_id=cid,
        scale=str(case["scale"]),
        rubric_text=rubric_text,
        evidence_text=evidence_text,
        substitutions=tuple(subs),
    )


# -- assessing -------------------------------------------------------------------------


def run_case(case: Mapping[str, Any]) -> Outcome:
    """Encode, parse, assess and compare one case."""
    enc = encode(case)
    cid = enc.case_id
    try:
        rubric = cat_rubric.parse_rubric(enc.rubric_text, file=f"{cid}/rubric.yaml")
        evidence = cat_rubric.parse_evidence(
            enc.evidence_text, rubric=rubric, file=f"{cid}/evidence.yaml"
        )
        result = cat_rubric.assess(rubric, [evidence], scale=enc.scale)
    except cat_rubric.CatRubricError as exc:
        raise CaseError(f"{cid}: {exc}") from exc
    letters = scale_letters(enc.scale)
    low, high = expected_letters(case, letters)
    part = result.part("p")
    got = part.grade
    reproduced = got is not None and letters.index(high) <= letters.index(got) <= letters.index(low)
    return Outcome(
        case_id=cid,
        expected=describe_expected(low, high),
        got=got,
        reproduced=reproduced,
        rule=part.rule,
        reason=part.reason,
        substitutions=enc.substitutions,
    )


def run_all(cases: Iterable[Mapping[str, Any]] | None = None) -> list[Outcome]:
    """Every case's outcome, in file order; `CaseError` on the first that fails."""
    return [run_case(c) for c in (load_cases() if cases is None else cases)]


def report(outcomes: Sequence[Outcome]) -> str:
    """The figure, then each mismatch, then any substitution made for this library."""
    n = sum(o.reproduced for o in outcomes)
    lines = [f"{n} of {len(outcomes)} reproduced"]
    for o in outcomes:
        if not o.reproduced:
            got = o.got or "—"
            lines.append(
                f"- {o.case_id}: expected {o.expected}, got {got}; rule {o.rule}: {o.reason}"
            )
    subs = [s for o in outcomes for s in o.substitutions]
    if subs:
        lines.append(f"({len(subs)} finding(s) substituted for this version of cat_rubric:)")
        lines += [f"  {s}" for s in subs]
    return "\n".join(lines)


def write_cases(directory: Path, cases: Iterable[Mapping[str, Any]], *, force: bool) -> int:
    """Write each case's rubric and evidence under *directory*; the number written."""
    count = 0
    for case in cases:
        enc = encode(case)
        target = directory / enc.case_id
        target.mkdir(parents=True, exist_ok=True)
        write_atomic(target / "rubric.yaml", enc.rubric_text, force=force)
        write_atomic(target / "evidence.yaml", enc.evidence_text, force=force)
        count += 1
    return count


def main(argv: Sequence[str] | None = None) -> int:
    """The command line; see the module docstring."""
    parser = argparse.ArgumentParser(
        prog="python validation/reproduce.py",
        description="Reproduce the real follow-up grades of validation/cases.yaml.",
    )
    parser.add_argument("--cases", type=Path, default=CASES, help="the corpus file")
    parser.add_argument("--write", type=Path, metavar="DIR", help="write encoded files here")
    parser.add_argument("--force", action="store_true", help="with --write: replace files")
    args = parser.parse_args(argv)
    try:
        cases = load_cases(args.cases)
        if args.write is not None:
            n = write_cases(args.write, cases, force=args.force)
            print(f"wrote {n} case(s) under {args.write}")
        print(report(run_all(cases)))
    except CaseError as exc:
        print(f"validation: a case failed to encode or assess: {exc}", file=sys.stderr)
        return 1
    except cat_rubric.exceptions.OutputError as exc:  # --write refused (exists, not a file ...)
        print(f"validation: {exc}", file=sys.stderr)
        return 2
    except BrokenPipeError:  # e.g. piped into `head`
        sys.stderr.close()
        return 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
