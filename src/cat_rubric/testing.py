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

from cat_rubric._model import (
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
    """Non-blank text: Latin, Kazakh Cyrillic, punctuation and any printable Unicode."""
    alphabet = st.one_of(
        st.sampled_from(KAZAKH + string.ascii_letters + " .,;:'\"()-–«»№#&*!?/\\"),
        st.characters(exclude_categories=("Cs", "Cc", "Zl", "Zp")),
    )
    return st.text(alphabet, min_size=min_size, max_size=max_size).filter(str.strip)


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
def rubrics(  # noqa: PLR0914
    draw: st.DrawFn, *, max_recommendations: int = 3, max_parts: int = 3, max_criteria: int = 4
) -> Rubric:
    """Valid rubrics: unique ids, at least one essential criterion per part, due after adoption."""
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
                        statement=draw(texts()),
                        indicator=draw(st.sampled_from(Indicator)),
                        essential=c == 0 or draw(st.booleans()),
                        weight=draw(
                            st.floats(0.1, 10, allow_nan=False, allow_infinity=False)
                            | st.integers(1, 5).map(float)
                        ),
                        evidence=tuple(
                            draw(st.lists(st.sampled_from(SourceKind), min_size=1, max_size=3))
                        ),
                        guidance=draw(texts()),
                        request=draw(texts()),
                        legal_references=tuple(
                            draw(
                                st.lists(
                                    st.builds(
                                        LegalReference,
                                        instrument=texts(),
                                        article=texts(max_size=8),
                                        title=texts(),
                                        note=_optional(texts()),
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
                    label=draw(_optional(texts(max_size=6))),
                    title=draw(texts()),
                    text=draw(_optional(texts(max_size=200))),
                    criteria=tuple(criteria),
                )
            )
        recs.append(
            Recommendation(
                id=ids.pop(),
                paragraph=paragraphs[r],
                title=draw(texts()),
                articles=tuple(draw(st.lists(st.integers(1, 33).map(str), max_size=3))),
                concern=draw(texts(max_size=300)),
                recommendation=draw(texts(max_size=300)),
                parts=tuple(parts),
            )
        )
    adopted = draw(dates(max_value=dt.date(2035, 12, 31)))
    months = draw(st.integers(1, 36))
    return Rubric(
        id=draw(identifiers()),
        title=draw(texts()),
        treaty_body=draw(st.sampled_from(["CAT", "CCPR", "CEDAW"])),
        state_party=draw(st.sampled_from(["Kazakhstan", "Қазақстан", "Казахстан"]) | texts()),
        symbol=draw(texts(max_size=20)),
        session=draw(st.none() | st.integers(1, 99)),
        adopted=adopted,
        follow_up=FollowUp(
            paragraph=draw(st.none() | st.integers(1, 200)),
            recommendations=tuple(
                draw(st.lists(st.sampled_from(paragraphs), min_size=1, unique=True))
            ),
            within_months=months,
            due=draw(st.none() | st.just(adopted + dt.timedelta(days=30 * months))),
            text=draw(_optional(texts(max_size=200))),
        ),
        recommendations=tuple(recs),
        scale=draw(st.sampled_from(["cat-2015", "ccpr-2016", "ccpr-2013"])),
        language=draw(st.sampled_from(["en", "ru", "kk"])),
        source_url=draw(_optional(st.just("https://tbinternet.ohchr.org/"))),
        notes=draw(_optional(texts(max_size=200))),
    )


__all__ = ["KAZAKH", "dates", "identifiers", "rubrics", "texts"]
