"""Hypothesis strategies for cat_rubric's models, for our tests and for yours.

Import this module only in tests: it needs hypothesis (``pip install cat_rubric[test]``).

Example::

    from hypothesis import given
    from cat_rubric.testing import rubrics

    @given(rubrics())
    def test_my_rubric_tool(rubric): ...
"""

from __future__ import annotations

import datetime as dt
import string

from hypothesis import strategies as st

from cat_rubric._evidence import EvidenceFile, Finding, Item, Reply, Source
from cat_rubric._model import (
    DRAFT_MARK,
    Criterion,
    FollowUp,
    Indicator,
    LegalReference,
    Part,
    Recommendation,
    Rubric,
    SourceKind,
)

#: Letters of the Kazakh Cyrillic alphabet beyond Russian's, plus Russian's own.
KAZAKH = "ӘәҒғҚқҢңӨөҰұҮүҺһІі" + "".join(map(chr, range(0x410, 0x450))) + "Ёё"

_ID_CHARS = string.ascii_lowercase + string.digits


def texts(*, min_size: int = 1, max_size: int = 60) -> st.SearchStrategy[str]:
    """Non-blank text: Latin, Kazakh Cyrillic, punctuation and any printable Unicode.

    Never a placeholder of ``cat-rubric draft`` (text beginning ``DRAFT:``), which a
    rubric may not hold: Hypothesis finds that literal in the library's code and tries it.
    """
    alphabet = st.one_of(
        st.sampled_from(KAZAKH + string.ascii_letters + " .,;:'\"()-–«»№#&*!?/\\"),
        st.characters(exclude_categories=("Cs", "Cc", "Zl", "Zp")),
    )
    return st.text(alphabet, min_size=min_size, max_size=max_size).filter(_usable)


def _usable(text: str) -> bool:
    return bool(text.strip()) and not text.startswith(DRAFT_MARK)


def identifiers() -> st.SearchStrategy[str]:
    """Ids as rubrics use them: ``kaz-9-lawyer``, ``7a``."""
    return st.builds(
        lambda head, tail: head + tail,
        st.sampled_from(_ID_CHARS),
        st.text(_ID_CHARS + "-._", max_size=20),
    )


def dates(
    min_value: dt.date = dt.date(1990, 1, 1), max_value: dt.date = dt.date(2040, 12, 31)
) -> st.SearchStrategy[dt.date]:
    """Calendar dates in the treaty bodies' working range."""
    return st.dates(min_value=min_value, max_value=max_value)


def _optional(strategy: st.SearchStrategy[str]) -> st.SearchStrategy[str | None]:
    return st.none() | strategy


@st.composite
def rubrics(
    draw: st.DrawFn,
    *,
    max_recommendations: int = 3,
    max_parts: int = 3,
    max_criteria: int = 4,
    text: st.SearchStrategy[str] | None = None,
) -> Rubric:
    """Valid rubrics: unique ids, at least one essential criterion per part, due after adoption.

    Args:
        draw: (supplied by hypothesis)
        max_recommendations: Most recommendations.
        max_parts: Most parts per recommendation.
        max_criteria: Most criteria per part.
        text: The strategy for every free text (default `texts`); pass a cheap one such
            as ``st.just("x")`` when only the structure matters.
    """
    if text is None:
        text = texts()
    shape = draw(
        st.lists(
            st.lists(st.integers(1, max_criteria), min_size=1, max_size=max_parts),
            min_size=1,
            max_size=max_recommendations,
        )
    )
    n_parts = sum(len(r) for r in shape)
    n_criteria = sum(sum(r) for r in shape)
    ids = draw(
        st.lists(
            identifiers(),
            min_size=len(shape) + n_parts + n_criteria,
            max_size=len(shape) + n_parts + n_criteria,
            unique=True,
        )
    )
    paragraphs = draw(
        st.lists(st.integers(1, 200), min_size=len(shape), max_size=len(shape), unique=True)
    )
    recs = []
    for r, parts_shape in enumerate(shape):
        parts = []
        for n in parts_shape:
            criteria = []
            for c in range(n):
                criteria.append(
                    Criterion(
                        id=ids.pop(),
                        statement=draw(text),
                        indicator=draw(st.sampled_from(Indicator)),
                        essential=c == 0 or draw(st.booleans()),
                        weight=draw(
                            st.floats(0.1, 10, allow_nan=False, allow_infinity=False)
                            | st.integers(1, 5).map(float)
                        ),
                        evidence=tuple(
                            draw(st.lists(st.sampled_from(SourceKind), min_size=1, max_size=3))
                        ),
                        guidance=draw(text),
                        request=draw(text),
                        legal_references=tuple(
                            draw(
                                st.lists(
                                    st.builds(
                                        LegalReference,
                                        instrument=text,
                                        article=text,
                                        title=text,
                                        note=_optional(text),
                                    ),
                                    max_size=2,
                                )
                            )
                        ),
                    )
                )
            parts.append(
                Part(
                    id=ids.pop(),
                    label=draw(_optional(text)),
                    title=draw(text),
                    text=draw(_optional(text)),
                    criteria=tuple(criteria),
                )
            )
        recs.append(
            Recommendation(
                id=ids.pop(),
                paragraph=paragraphs[r],
                title=draw(text),
                articles=tuple(draw(st.lists(st.integers(1, 33).map(str), max_size=3))),
                concern=draw(text),
                recommendation=draw(text),
                parts=tuple(parts),
            )
        )
    adopted = draw(dates(max_value=dt.date(2035, 12, 31)))
    months = draw(st.integers(1, 36))
    return Rubric(
        id=draw(identifiers()),
        title=draw(text),
        treaty_body=draw(st.sampled_from(["CAT", "CCPR", "CEDAW"])),
        state_party=draw(st.sampled_from(["Kazakhstan", "Қазақстан", "Казахстан"]) | text),
        symbol=draw(text),
        session=draw(st.none() | st.integers(1, 99)),
        adopted=adopted,
        follow_up=FollowUp(
            paragraph=draw(st.none() | st.integers(1, 200)),
            recommendations=tuple(
                draw(st.lists(st.sampled_from(paragraphs), min_size=1, unique=True))
            ),
            within_months=months,
            due=draw(st.none() | st.just(adopted + dt.timedelta(days=30 * months))),
            text=draw(_optional(text)),
        ),
        recommendations=tuple(recs),
        scale=draw(st.sampled_from(["cat-2015", "ccpr-2016", "ccpr-2013"])),
        language=draw(st.sampled_from(["en", "ru", "kk"])),
        source_url=draw(_optional(st.just("https://tbinternet.ohchr.org/"))),
        notes=draw(_optional(text)),
    )


#: The findings an independent source can report.
_FINDINGS = tuple(f for f in Finding if f is not Finding.NO_NEW_INFORMATION)


@st.composite
def evidence_files(
    draw: st.DrawFn,
    rubric: Rubric,
    *,
    max_items: int = 12,
    reply: bool | None = None,
    as_of: dt.date | None = None,
    item_prefix: str = "i",
    text: st.SearchStrategy[str] | None = None,
) -> EvidenceFile:
    """Valid evidence files for *rubric*: any reply status, dates around the due date.

    Args:
        draw: (supplied by hypothesis)
        rubric: The rubric the items refer to.
        max_items: Most items to generate (zero items is always possible).
        reply: Force the reply to be received (True) or not (False).
        as_of: Force the as-of date.
        item_prefix: Prefix of the item ids, to keep several files' ids apart.
        text: The strategy for free text (default `texts`).
    """
    if text is None:
        text = texts(max_size=30)
    criteria = [c.id for _, _, c in rubric.iter_criteria()]
    due = rubric.due or rubric.adopted + dt.timedelta(days=365)
    lo = rubric.adopted - dt.timedelta(days=3 * 365)
    if as_of is None:
        as_of = draw(dates(rubric.adopted, due + dt.timedelta(days=3 * 365)))
    received = draw(st.booleans()) if reply is None else reply
    reply_date = draw(dates(rubric.adopted, as_of)) if received else None
    n = draw(st.integers(0, max_items))
    kinds = [draw(st.sampled_from(SourceKind)) for _ in range(n)]
    items = [
        Item(
            id=f"{item_prefix}{k}",
            criteria=tuple(
                draw(st.lists(st.sampled_from(criteria), min_size=1, max_size=2, unique=True))
            ),
            # Only the State party's reply can bring "no new information".
            finding=draw(st.sampled_from(_FINDINGS if kind.independent else tuple(Finding))),
            source=Source(
                kind=kind,
                title=draw(text),
                date=draw(st.none() | dates(lo, as_of + dt.timedelta(days=365))),
            ),
            measure_date=draw(st.none() | dates(lo, as_of + dt.timedelta(days=365))),
            summary=draw(text),
            illustrative=True,
        )
        for k, kind in enumerate(kinds)
    ]
    return EvidenceFile(
        rubric=rubric.id,
        cycle="generated cycle",
        assessor="hypothesis",
        as_of=as_of,
        reply=Reply(received=received, date=reply_date),
        reminders=tuple(sorted(draw(st.lists(dates(rubric.adopted, as_of), max_size=2)))),
        items=tuple(items),
    )


__all__ = ["KAZAKH", "dates", "evidence_files", "identifiers", "rubrics", "texts"]
