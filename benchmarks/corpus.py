"""The benchmark's synthetic corpus: rubrics and evidence files, deterministic for a seed.

200 rubrics of 4 recommendations x 3 parts x 8 criteria, and for each size one evidence
file per rubric holding size/200 items. Everything is built with the library's attrs
models and written with `cat_rubric.to_yaml`, so every file is one the library accepts.
The text is English with some Cyrillic (Russian and Kazakh); findings, source kinds and
dates are mixed (undated, stale, pre-dating and future-dated sources among them); one
rubric in 8 has no reply (half overdue with reminders, half still pending); some files
carry overrides.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import random
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Final, TypeVar

import cat_rubric
from cat_rubric import EvidenceFile, Finding, Rubric
from cat_rubric.evidence import Item, Override, Reply, Source
from cat_rubric.model import (
    Criterion,
    FollowUp,
    Indicator,
    LegalReference,
    Part,
    Recommendation,
    SourceKind,
)

T = TypeVar("T")

N_RUBRICS: Final = 200
N_RECOMMENDATIONS: Final = 4
N_PARTS: Final = 3
N_CRITERIA: Final = 8

# -- text ----------------------------------------------------------------------------

_EN_WORDS: Final = """
the State party should ensure that all persons deprived of their liberty are afforded
fundamental legal safeguards from the very outset of detention including access to a
lawyer and an independent medical examination notification of relatives prompt impartial
and effective investigation of all allegations of torture and ill-treatment by law
enforcement officials prosecution of perpetrators penalties proportionate to the gravity
of the offence complaints mechanism custodial facilities pre-trial detention judicial
review habeas corpus national preventive mechanism monitoring visits unannounced places of
detention training programmes police prison staff prosecutors judges criminal code
amendment definition of torture article convention statistics disaggregated by age sex and
ethnicity redress compensation rehabilitation victims witnesses reprisals human rights
defenders order instruction circular ministry of internal affairs prosecutor general
supreme court resolution
"""
_EN: Final = tuple(_EN_WORDS.split())

_CYR_WORDS: Final = """
государство участник должно обеспечить чтобы все лица лишённые свободы пользовались
основными правовыми гарантиями с момента задержания доступ к адвокату независимое
медицинское освидетельствование расследование жалоб на пытки сотрудники правоохранительных
органов уголовный кодекс статья поправки национальный превентивный механизм места лишения
свободы прокуратура суд Қазақстан Республикасы азаптау адам құқықтары заң бап тергеу сот
прокурор өтініш қамауға алу тәуелсіз медициналық куәландыру
"""
_CYR: Final = tuple(_CYR_WORDS.split())


def text(rng: random.Random, length: int, cyrillic: float = 0.1) -> str:
    """A sentence of roughly *length* characters (±25 %), Cyrillic with probability *cyrillic*."""
    words = _CYR if rng.random() < cyrillic else _EN
    target = max(8, int(length * rng.uniform(0.75, 1.25)))
    out: list[str] = []
    size = 0
    while size < target:
        word = rng.choice(words)
        out.append(word)
        size += len(word) + 1
    sentence = " ".join(out)
    return sentence[0].upper() + sentence[1:] + "."


# -- the corpus ----------------------------------------------------------------------

_STATES: Final = (
    ("Kazakhstan", "KAZ"),
    ("Қазақстан", "KAZ"),
    ("Кыргызстан", "KGZ"),
    ("Uzbekistan", "UZB"),
    ("Tajikistan", "TJK"),
    ("Georgia", "GEO"),
    ("Armenia", "ARM"),
    ("Azerbaijan", "AZE"),
    ("Republic of Moldova", "MDA"),
    ("Беларусь", "BLR"),
)

_FINDINGS: Final = (
    (Finding.IMPLEMENTED, 20),
    (Finding.PARTIALLY_IMPLEMENTED, 25),
    (Finding.INITIATED, 16),
    (Finding.NOT_IMPLEMENTED, 17),
    (Finding.NO_INFORMATION, 10),
    (Finding.NOT_RELEVANT, 9),
)
#: Refusals and contrary measures, drawn only for the few "contested" criteria of each
#: rubric: a refusal anywhere in a part grades it E, so spreading them over every
#: criterion would make nearly every part E at 500 items per rubric.
_CONTESTED_FINDINGS: Final = (*_FINDINGS, (Finding.REJECTED, 8), (Finding.CONTRARY, 4))
#: What only the State party's reply can say: it addressed the point, with nothing new.
_STATE_ONLY: Final = ((Finding.NO_NEW_INFORMATION, 8),)
#: The findings drawn for an item, by (from the State party, on a contested criterion).
_FINDING_TABLES: Final = {
    (False, False): _FINDINGS,
    (False, True): _CONTESTED_FINDINGS,
    (True, False): (*_FINDINGS, *_STATE_ONLY),
    (True, True): (*_CONTESTED_FINDINGS, *_STATE_ONLY),
}

_KINDS: Final = (
    (SourceKind.STATE_PARTY, 45),
    (SourceKind.NGO, 20),
    (SourceKind.NHRI, 8),
    (SourceKind.NPM, 5),
    (SourceKind.UN_BODY, 7),
    (SourceKind.COURT, 5),
    (SourceKind.MEDIA, 7),
    (SourceKind.OTHER, 3),
)


#: The rubrics' scales, by rubric index: a third on ccpr-2013, whose letters tell apart
#: what cat-2015's do not (B1/B2, C1/C2, D1/D2).
_SCALES: Final = ("cat-2015", "ccpr-2013", "cat-2015")
#: Their letters, for the overrides of a part's grade.
_LETTERS: Final = {
    "cat-2015": ("A", "B", "C", "D", "E"),
    "ccpr-2013": ("A", "B1", "B2", "C1", "C2", "D1", "D2", "E"),
}


def _weighted(rng: random.Random, table: Sequence[tuple[T, int]]) -> T:
    return rng.choices([v for v, _ in table], weights=[w for _, w in table])[0]


def _day(rng: random.Random, lo: dt.date, hi: dt.date) -> dt.date:
    return lo + dt.timedelta(days=rng.randint(0, max(0, (hi - lo).days)))


def make_rubric(index: int, seed: int) -> Rubric:
    """Rubric number *index*: 4 recommendations x 3 parts x 8 criteria."""
    rng = random.Random(f"rubric-{seed}-{index}")
    state, code = _STATES[index % len(_STATES)]
    adopted = _day(rng, dt.date(2005, 1, 1), dt.date(2022, 12, 31))
    paragraphs = sorted(rng.sample(range(5, 40), N_RECOMMENDATIONS))
    recs: list[Recommendation] = []
    for para in paragraphs:
        parts: list[Part] = []
        for p in range(N_PARTS):
            letter = "abcdefgh"[p]
            criteria = tuple(
                Criterion(
                    id=f"{code.lower()}-{para}{letter}-{k}",
                    statement=text(rng, 100),
                    indicator=rng.choice(list(Indicator)),
                    essential=k == 0 or rng.random() < 0.25,
                    weight=rng.choice((1.0, 1.0, 1.0, 2.0, 0.5, 3.0)),
                    evidence=tuple(rng.sample(list(SourceKind), rng.randint(1, 4))),
                    guidance=text(rng, 220),
                    request=text(rng, 150),
                    legal_references=(
                        (
                            LegalReference(
                                instrument="Criminal Code of 1997",
                                article=f"{rng.randint(100, 400)}-{rng.randint(1, 3)}",
                                title=text(rng, 30, cyrillic=0.3),
                            ),
                        )
                        if rng.random() < 0.2
                        else ()
                    ),
                )
                for k in range(N_CRITERIA)
            )
            parts.append(
                Part(
                    id=f"{para}{letter}",
                    label=f"({letter})",
                    title=text(rng, 60),
                    text=text(rng, 250),
                    criteria=criteria,
                )
            )
        recs.append(
            Recommendation(
                id=f"para-{para}",
                paragraph=para,
                title=text(rng, 40),
                articles=tuple(str(a) for a in sorted(rng.sample(range(1, 17), 2))),
                concern=text(rng, 350),
                recommendation=text(rng, 500),
                parts=tuple(parts),
            )
        )
    stated_due = rng.random() < 0.5
    return Rubric(
        id=f"bench-{index:03d}",
        title=f"Concluding observations on the periodic report of {state} ({text(rng, 40)})",
        treaty_body="CAT",
        state_party=state,
        symbol=f"CAT/C/{code}/CO/{rng.randint(2, 5)}",
        session=rng.randint(30, 80),
        adopted=adopted,
        follow_up=FollowUp(
            paragraph=paragraphs[-1] + 5,
            recommendations=tuple(paragraphs),
            within_months=12,
            due=adopted + dt.timedelta(days=366) if stated_due else None,
            text=text(rng, 200),
        ),
        recommendations=tuple(recs),
        scale=_SCALES[index % len(_SCALES)],
        language="en",
        source_url="https://tbinternet.ohchr.org/",
        notes=text(rng, 300),
    )


def make_evidence(rubric: Rubric, rubric_sha256: str, n_items: int, seed: int) -> EvidenceFile:
    """An evidence file of *n_items* items for *rubric* (1 rubric in 8 has no reply)."""
    index = int(rubric.id.rsplit("-", 1)[1])
    rng = random.Random(f"evidence-{seed}-{index}-{n_items}")
    due = rubric.due
    assert due is not None
    criteria = [c.id for _, _, c in rubric.iter_criteria()]
    parts = [p.id for _, p in rubric.iter_parts()]
    received = index % 8 != 0
    pending = index % 16 == 8  # no reply, and not yet due
    if pending:
        as_of = due - dt.timedelta(days=rng.randint(20, 120))
    else:
        as_of = due + dt.timedelta(days=rng.randint(60, 540))
    reply = (
        Reply(
            received=True,
            date=_day(rng, max(rubric.adopted, due - dt.timedelta(days=60)), as_of),
            symbol=f"{rubric.symbol}/Add.1",
            title=f"Follow-up reply of {rubric.state_party}",
        )
        if received
        else Reply(received=False)
    )
    reminders: tuple[dt.date, ...] = ()
    if not received and not pending:
        reminders = tuple(
            sorted(
                {_day(rng, due + dt.timedelta(days=30), as_of) for _ in range(1 + (index % 3 == 0))}
            )
        )
    titles = {
        kind: [f"{kind.value} document {n}: {text(rng, 60, cyrillic=0.3)}" for n in range(4)]
        for kind, _ in _KINDS
    }
    early = rubric.adopted - dt.timedelta(days=700)
    items: list[Item] = []
    contested = set(rng.sample(criteria, len(criteria) // 32))
    for k in range(n_items):
        kind = _weighted(rng, _KINDS)
        on = tuple(rng.sample(criteria, rng.choices((1, 2, 3), (6, 3, 1))[0]))
        undated = rng.random() < 0.05
        source_date = (
            None if undated else _day(rng, due - dt.timedelta(days=400), as_of + dt.timedelta(30))
        )
        measure = None if rng.random() < 0.5 else _day(rng, early, as_of + dt.timedelta(days=200))
        quote = text(rng, 120, cyrillic=0.35) if rng.random() < 0.35 else None
        summary = None if quote is not None and rng.random() < 0.3 else text(rng, 150)
        items.append(
            Item(
                id=f"{kind.value[0]}{k:05d}",
                criteria=on,
                finding=_weighted(
                    rng,
                    _FINDING_TABLES[kind is SourceKind.STATE_PARTY, not contested.isdisjoint(on)],
                ),
                source=Source(
                    kind=kind,
                    title=rng.choice(titles[kind]),
                    symbol=f"{rubric.symbol}/Add.1" if kind is SourceKind.STATE_PARTY else None,
                    locator=f"para. {rng.randint(1, 120)}",
                    url=None if rng.random() < 0.6 else f"https://example.org/{index}/{k}",
                    date=source_date,
                ),
                measure_date=measure,
                quote=quote,
                summary=summary,
                illustrative=rng.random() < 0.05,
            )
        )
    overrides: list[Override] = []
    if rng.random() < (0.5 if received else 0.25):
        # Mostly made before the as-of date; about one in six after it (then it does not
        # apply yet). Some lapse before the as-of date.
        made = _day(rng, as_of - dt.timedelta(days=300), as_of + dt.timedelta(days=60))
        letters = _LETTERS[rubric.scale]
        overrides.append(
            Override(
                criterion=rng.choice(criteria),
                finding=_weighted(rng, _FINDINGS),
                by="Benchmark analyst",
                date=made,
                reason=text(rng, 120),
                until=made + dt.timedelta(days=rng.randint(0, 600)) if rng.random() < 0.3 else None,
            )
        )
        overrides.append(
            Override(
                part=rng.choice(parts),
                grade=rng.choice(letters),
                by="Benchmark analyst",
                date=made,
                reason=text(rng, 120),
                until=made + dt.timedelta(days=rng.randint(0, 400)),
            )
        )
    return EvidenceFile(
        rubric=rubric.id,
        rubric_sha256=rubric_sha256,
        cycle=f"{due.year}–{due.year + 1} follow-up",
        assessor="Benchmark generator",
        as_of=as_of,
        reply=reply,
        reminders=reminders,
        notes=text(rng, 200),
        items=tuple(items),
        overrides=tuple(overrides),
    )


@dataclass
class Corpus:
    """The files written for one run."""

    root: Path
    rubrics: list[Path]
    evidence: dict[int, list[Path]]
    rubric_bytes: int
    evidence_bytes: dict[int, int]
    seconds: float


def write_corpus(root: Path, sizes: Sequence[int], seed: int) -> Corpus:
    """Write the 200 rubrics and, for each size, 200 evidence files into *root*."""
    start = time.perf_counter()
    (root / "rubrics").mkdir(parents=True, exist_ok=True)
    rubric_paths: list[Path] = []
    rubric_bytes = 0
    evidence: dict[int, list[Path]] = {size: [] for size in sizes}
    evidence_bytes = dict.fromkeys(sizes, 0)
    for size in sizes:
        (root / f"evidence-{size}").mkdir(parents=True, exist_ok=True)
    for index in range(N_RUBRICS):
        rubric = make_rubric(index, seed)
        data = cat_rubric.to_yaml(rubric).encode("utf-8")
        path = root / "rubrics" / f"{rubric.id}.yaml"
        path.write_bytes(data)
        rubric_paths.append(path)
        rubric_bytes += len(data)
        digest = hashlib.sha256(data).hexdigest()
        for size in sizes:
            ev = make_evidence(rubric, digest, size // N_RUBRICS, seed)
            ev_data = cat_rubric.to_yaml(ev).encode("utf-8")
            ev_path = root / f"evidence-{size}" / f"{rubric.id}.yaml"
            ev_path.write_bytes(ev_data)
            evidence[size].append(ev_path)
            evidence_bytes[size] += len(ev_data)
    return Corpus(
        root=root,
        rubrics=rubric_paths,
        evidence=evidence,
        rubric_bytes=rubric_bytes,
        evidence_bytes=evidence_bytes,
        seconds=time.perf_counter() - start,
    )
