"""Keeping ``rubric_sha256`` honest: update it in evidence files after a rubric edit.

An evidence file records the sha256 of the rubric file it was gathered against, and the
loader refuses it once the rubric changes (``rubric-changed``): a one-line comment in the
rubric is enough. `rehash` says, per evidence file, whether its hash is the rubric's, and
what changed in the rubric since the hash was taken. A hash alone does not give the old
version: it is the file given as *was* (``--was OLD.yaml``), or, when the rubric is in a
git work tree and git is on the PATH, the version in the rubric file's history whose
sha256 the evidence records.

The update replaces only the value of the ``rubric_sha256:`` scalar, keeping its quotes,
or inserts the key on the line after ``rubric:`` when the file has none; every other
byte of the file (comments, order, quoting, line ends, a byte-order mark) is kept. The
file is updated only if, with the new hash, it is valid against the new rubric: a file
whose items name a criterion the edit removed is reported, not rewritten, since its hash
would then claim a review that has not happened.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path
from typing import Final

import attrs
import yaml
from yaml.nodes import MappingNode, Node, ScalarNode

from cat_rubric._digest import sha256
from cat_rubric._evidence import EvidenceFile
from cat_rubric._load import parse_evidence, parse_rubric
from cat_rubric._model import Rubric
from cat_rubric._rubric_diff import RubricComparison, compare_rubrics
from cat_rubric._yaml import BOM, Limits, compose, decode, read_bytes
from cat_rubric.exceptions import LoadError, Problem

#: The key this module edits.
KEY: Final = "rubric_sha256"
#: Most commits of a rubric file's history searched for the version a hash names.
MAX_HISTORY: Final = 500
#: Seconds any one git command may take before the history is given up on.
GIT_TIMEOUT: Final = 20.0
_HEX: Final = re.compile(r"[0-9a-f]{64}\Z")


@attrs.frozen(kw_only=True)
class OldVersion:
    """The version of the rubric an evidence file's ``rubric_sha256`` names.

    Attributes:
        rubric: That version, loaded.
        source: Where it was found, in words (``old.yaml``, ``git commit 3b1328c ...``).
    """

    rubric: Rubric
    source: str


@attrs.frozen(kw_only=True)
class Rehash:
    """What `rehash` found for one evidence file.

    Attributes:
        file: The evidence file, as named.
        recorded: The sha256 it records, or None if it has no ``rubric_sha256``.
        digest: The rubric's sha256 now.
        text: The file's text with the new hash, when it is stale and valid with it;
            None when it is current or cannot be updated.
        problems: Problems the file has against the new rubric, other than its hash
            (an item on a criterion the edit removed, say): the file is not updated
            until they are fixed.
        old: The old version of the rubric, when it is known.
        changes: What changed in the rubric since the hash was taken, when the old
            version is known.
        note: Anything the reader should know about the old version (that the file
            given as the old version is not the one the hash names, or how to find it).
    """

    file: str
    recorded: str | None
    digest: str
    text: str | None
    problems: tuple[Problem, ...] = ()
    old: OldVersion | None = None
    changes: RubricComparison | None = None
    note: str | None = None

    @property
    def stale(self) -> bool:
        """Whether the recorded hash is not the rubric's (or no hash is recorded)."""
        return self.recorded != self.digest


def rehash(
    rubric: Rubric,
    evidence: str | os.PathLike[str],
    *,
    was: Rubric | None = None,
    history: bool = True,
    limits: Limits | None = None,
) -> Rehash:
    """Check one evidence file's ``rubric_sha256`` against *rubric*; prepare its update.

    Nothing is written: `Rehash.text` is the updated text, for the caller to write.

    Args:
        rubric: The rubric as it is now, loaded from its file (it has an origin).
        evidence: The evidence file's path.
        was: The old version of the rubric, if the caller has it (``--was``).
        history: Look for the old version in the rubric file's git history when *was*
            does not give it (and git is on the PATH).
        limits: Resource limits for reading the files.

    Raises:
        LoadError: the evidence file cannot be read or parsed, or it is for another rubric.
        ValueError: *rubric* was not loaded from a file, so it has no sha256 to record.
    """
    if rubric.origin is None:
        raise ValueError("the rubric was not loaded from a file: it has no sha256 to record")
    digest = rubric.origin.sha256
    limits = limits or Limits()
    name = os.fspath(evidence)
    from cat_rubric._text import display_name

    shown = display_name(name)
    data = read_bytes(Path(name), limits, name=shown)
    text = decode(data, shown)
    recorded = _recorded(text, shown, limits)
    problems = _problems(data, rubric, shown, limits)
    if any(p.code == "wrong-rubric" for p in problems):
        raise LoadError(problems)
    old, note = _old_version(rubric, recorded, was, history=history, limits=limits)
    changes = None
    if old is not None:
        against = _leniently(data, old.rubric, shown, limits)
        changes = compare_rubrics(old.rubric, rubric, evidence=[against] if against else [])
    updated = None
    if recorded != digest and not problems:
        updated = set_rubric_sha256(text, digest, file=shown, limits=limits)
        _check_update(text, updated, rubric, shown, limits)
        if data.startswith(BOM):
            updated = "\ufeff" + updated
    return Rehash(
        file=shown,
        recorded=recorded,
        digest=digest,
        text=updated,
        problems=problems,
        old=old,
        changes=changes,
        note=note,
    )


# -- the edit -----------------------------------------------------------------------------


def set_rubric_sha256(
    text: str, digest: str, *, file: str = "<string>", limits: Limits | None = None
) -> str:
    """*text* with ``rubric_sha256`` set to *digest*, every other character kept.

    The value of an existing ``rubric_sha256:`` is replaced in place, in the same
    quotes (or none); a file without the key gets ``rubric_sha256: DIGEST`` on the line
    after its ``rubric:``, at the same indentation and with the same line end.

    Args:
        text: The evidence file's text, without a byte-order mark.
        digest: The sha256 to record (64 lowercase hexadecimal digits).
        file: The name used in messages.
        limits: Resource limits for composing the text.

    Raises:
        LoadError: the text is not YAML, or ``rubric_sha256`` (or ``rubric:``) is not
            written as ``key: value`` on one line of the top-level mapping, where it can
            be replaced without rewriting anything else.
        ValueError: *digest* is not a sha256 in hexadecimal.
    """
    if not _HEX.match(digest):
        raise ValueError(f"not a sha256 in lowercase hexadecimal: {digest!r}")
    doc = compose(text, file, limits or Limits(), pure=True)
    root = doc.root
    if not isinstance(root, MappingNode):
        raise _cannot(file, root, "the file is not a mapping of keys")
    pairs = {k.value: (k, v) for k, v in root.value if isinstance(k, ScalarNode)}
    if KEY in pairs:
        key, value = pairs[KEY]
        return _replace(text, key, value, digest, file)
    if "rubric" not in pairs:
        raise _cannot(file, root, "the file has no 'rubric:' to add rubric_sha256 after")
    return _insert_after(text, *pairs["rubric"], digest, file)


def _replace(text: str, key: ScalarNode, value: Node, digest: str, file: str) -> str:
    if not isinstance(value, ScalarNode) or value.style not in (None, "'", '"'):
        raise _cannot(file, value, f"{KEY} is not written as one value on its line")
    start, end = value.start_mark.index, value.end_mark.index
    if value.start_mark.line != key.start_mark.line or value.end_mark.line != key.start_mark.line:
        raise _cannot(file, value, f"{KEY} and its value are not on one line")
    if value.style in ("'", '"'):  # keep the quotes: replace what is between them
        return text[: start + 1] + digest + text[end - 1 :]
    if start == end:  # 'rubric_sha256:' with nothing after it
        colon = text.index(":", key.end_mark.index)
        return text[: colon + 1] + " " + digest + text[colon + 1 :]
    return text[:start] + digest + text[end:]


def _insert_after(text: str, key: ScalarNode, value: Node, digest: str, file: str) -> str:
    line = key.start_mark.line
    if not isinstance(value, ScalarNode) or value.end_mark.line != line or key.start_mark.column:
        raise _cannot(file, key, "'rubric:' is not a key of its own line, with its value on it")
    from cat_rubric._yaml import LINE_BREAK

    found = LINE_BREAK.search(text, value.end_mark.index)
    if found is None:  # the last line, without a line end
        ending = _first_line_end(text)
        return text + ending + f"{KEY}: {digest}"
    return text[: found.start()] + found.group() + f"{KEY}: {digest}" + text[found.start() :]


def _first_line_end(text: str) -> str:
    from cat_rubric._yaml import LINE_BREAK

    found = LINE_BREAK.search(text)
    return found.group() if found is not None else "\n"


def _cannot(file: str, node: Node, why: str) -> LoadError:
    return LoadError(
        (
            Problem(
                file=file,
                line=node.start_mark.line + 1,
                column=node.start_mark.column + 1,
                path=(KEY,),
                code="rehash-by-hand",
                message=f"cannot update {KEY} in place: {why}; write it as "
                f"'{KEY}: VALUE' on a line of its own under 'rubric:', or edit it by hand",
            ),
        )
    )


def _check_update(old: str, new: str, rubric: Rubric, file: str, limits: Limits) -> None:
    """The updated text is valid against *rubric*, and the old one's data but for the hash.

    Compared as plain YAML data: every key, value and their order.
    """
    parse_evidence(new, file=file, limits=limits, rubric=rubric)
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    before, after = yaml.load(old, Loader=loader), yaml.load(new, Loader=loader)  # noqa: S506
    before[KEY] = after.get(KEY)
    order = [k for k in before if k != KEY], [k for k in after if k != KEY]
    if before != after or order[0] != order[1]:  # pragma: no cover - a bug in the edit
        raise AssertionError(f"{file}: the update changed more than {KEY}")


# -- reading the evidence -------------------------------------------------------------------


def _recorded(text: str, file: str, limits: Limits) -> str | None:
    """The ``rubric_sha256`` the text records (None if none), read from the node tree."""
    root = compose(text, file, limits).root
    if isinstance(root, MappingNode):
        for key, value in root.value:
            if isinstance(key, ScalarNode) and key.value == KEY and isinstance(value, ScalarNode):
                return value.value or None
    return None


def _problems(data: bytes, rubric: Rubric, file: str, limits: Limits) -> tuple[Problem, ...]:
    """The file's problems against *rubric*, other than a stale hash."""
    try:
        parse_evidence(data, rubric=rubric, file=file, limits=limits)
    except LoadError as exc:
        return tuple(p for p in exc.problems if p.code != "rubric-changed")
    return ()


def _leniently(data: bytes, rubric: Rubric, file: str, limits: Limits) -> EvidenceFile | None:
    """The evidence against the old rubric, for the list of items the edit touches."""
    try:
        return parse_evidence(data, rubric=rubric, file=file, limits=limits)
    except LoadError:
        return None


# -- the old version ------------------------------------------------------------------------


def _old_version(
    rubric: Rubric,
    recorded: str | None,
    was: Rubric | None,
    *,
    history: bool,
    limits: Limits,
) -> tuple[OldVersion | None, str | None]:
    """The old version and a note about it: from *was*, else from git, else unknown."""
    from cat_rubric._text import display_name, one_line

    shown = one_line(recorded[:12]) if recorded is not None else ""
    if was is not None:
        source = was.origin.file if was.origin else "the old version given"
        note = None
        if recorded is not None and was.origin is not None and was.origin.sha256 != recorded:
            note = (
                f"{source} is not the version this evidence was gathered against (its sha256 "
                f"is {was.origin.sha256[:12]}, the file records {shown}): the changes "
                "shown are since that file"
            )
        return OldVersion(rubric=was, source=source), note
    if recorded is None or recorded == (rubric.origin.sha256 if rubric.origin else None):
        return None, None
    found = None
    if not _HEX.match(recorded):
        history = False  # no file has that hash: nothing to look for
    if history and rubric.origin is not None and not rubric.origin.bundled:
        found = from_git(Path(rubric.origin.file), recorded, limits=limits)
    elif history and rubric.origin is not None:
        from cat_rubric._resolve import Kind, resolve

        found = from_git(
            Path(resolve(Kind.RUBRIC, rubric.origin.file).path), recorded, limits=limits
        )
    if found is not None:
        return found, None
    where = display_name(rubric.origin.file) if rubric.origin else "the rubric"
    return None, (
        f"what changed is not known from the hash alone: give the version it names with "
        f"--was OLD.yaml (no version of {where} in its git history has sha256 "
        f"{shown}, or it is not in a git work tree)"
    )


def from_git(path: Path, digest: str, *, limits: Limits | None = None) -> OldVersion | None:
    """The version of *path* in its git history whose bytes have sha256 *digest*.

    The commits that touched the file (following renames) are searched, newest first,
    at most `MAX_HISTORY` of them. None if git is not on the PATH, the file is not in a
    git work tree, no version matches, or git fails: never an error.
    """
    git = shutil.which("git")
    if git is None:
        return None
    directory = path.resolve().parent
    try:
        listed = _git(
            git,
            directory,
            *("log", "--follow", "--format=%H %cs", "--name-only", f"-n{MAX_HISTORY}"),
            *("--", path.name),
        )
    except (OSError, subprocess.SubprocessError):  # no git work tree here, or git failed
        return None
    # `git log --name-only` names each version's path from the work tree's top, which is
    # what `git show COMMIT:PATH` reads.
    for commit, day, name in _commits(listed.decode("utf-8", "replace")):
        try:
            blob = _git(git, directory, "show", f"{commit}:{name}")
        except (OSError, subprocess.SubprocessError):
            continue
        if sha256(blob) != digest:
            continue
        where = f"{path.name} at git commit {commit[:12]} of {day}"
        try:
            old = parse_rubric(blob, file=where, limits=limits)
        except LoadError:
            return None  # the version the hash names did not load then either
        return OldVersion(rubric=old, source=where)
    return None


def _git(git: str, directory: Path, *args: str) -> bytes:
    done = subprocess.run(  # noqa: S603 - git found on the PATH, fixed arguments, no shell
        [git, "-C", str(directory), *args],
        capture_output=True,
        check=True,
        timeout=GIT_TIMEOUT,
        stdin=subprocess.DEVNULL,
        env={**os.environ, "GIT_TERMINAL_PROMPT": "0", "GIT_PAGER": "cat"},
    )
    return done.stdout


def _commits(listed: str) -> list[tuple[str, str, str]]:
    """(commit, date, path from the repository's top) for ``git log --name-only`` output."""
    out: list[tuple[str, str, str]] = []
    commit = day = ""
    for line in listed.splitlines():
        head = line.split(" ")
        if len(head) == 2 and re.fullmatch(r"[0-9a-f]{40,64}", head[0]):
            commit, day = head
        elif line and commit:
            out.append((commit, day, line))
            commit = ""
    return out


__all__ = ["KEY", "OldVersion", "Rehash", "from_git", "rehash", "set_rubric_sha256"]


# -- words ------------------------------------------------------------------------------------


def rehash_text(result: Rehash, width: int = 80, *, written: bool = False) -> str:
    """*result* as lines for a terminal: the hashes, then what changed in the rubric.

    Args:
        result: What `rehash` found for one file.
        width: The columns the text may fill.
        written: Whether the caller wrote `Rehash.text` to the file.
    """
    from cat_rubric._compare_render import rubric_comparison_table
    from cat_rubric._render import wrap
    from cat_rubric._text import one_line

    digest = result.digest[:12]
    if result.recorded is None:
        head = f"{result.file}: no rubric_sha256; the rubric's is {digest}"
    elif not result.stale:
        head = f"{result.file}: current — rubric_sha256 {digest} is the rubric's"
    else:
        recorded = one_line(result.recorded[:12])
        head = f"{result.file}: stale — rubric_sha256 {recorded}; the rubric's is now {digest}"
    lines = wrap(head, width, "", "  ")
    if result.changes is not None and result.old is not None:
        lines += wrap(
            f"changed since the hash was taken ({one_line(result.old.source)}):",
            width,
            "  ",
            "    ",
        )
        if result.changes.empty:
            lines.append("    nothing but the file's bytes (comments, layout, order)")
        else:
            table = rubric_comparison_table(result.changes, max(width - 4, 40))
            lines += [f"    {line}" if line else "" for line in table.rstrip("\n").split("\n")]
    if result.note:
        lines += wrap(f"note: {result.note}", width, "  ", "    ")
    if result.stale and not result.problems:
        if written:
            lines += wrap(f"updated: rubric_sha256 is now {digest}", width, "  ", "    ")
        else:
            lines += wrap("run again with --write to update it", width, "  ", "    ")
    return "\n".join(lines) + "\n"
