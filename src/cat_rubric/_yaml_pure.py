"""The pure-Python parser, reading YAML as libyaml does.

PyYAML's pure-Python scanner and parser are a port of libyaml's, and drift from it in
places: libyaml takes tabs as separators where PyYAML refuses them, counts a byte-order
mark as a column, ends the last line before the end of the stream, places empty values
at the next token, reads tags, flow plain scalars and block-scalar headers a little
differently, and refuses escapes of surrogates and of code points above U+10FFFF (which
PyYAML accepts, or crashes on). The classes below teach PyYAML's reader, scanner and
parser libyaml's reading, so that a text libyaml composes is composed into the same
nodes, at the same lines and columns, by the pure-Python parser. Differential fuzzing
(tests/test_parsers.py) holds the two to it; the references are libyaml's
src/scanner.c and src/parser.c.

`PureSafeLoader` is what `cat_rubric._yaml` composes with when libyaml is absent or
when it is asked for the pure-Python parser, and what reports libyaml's failures.
"""

from __future__ import annotations

from typing import Any, Final, cast

import yaml
from yaml.composer import Composer
from yaml.events import (
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
)
from yaml.nodes import Node
from yaml.parser import ParserError
from yaml.scanner import ScannerError
from yaml.tokens import (
    DirectiveToken,
    FlowEntryToken,
    FlowMappingEndToken,
    FlowSequenceEndToken,
    KeyToken,
    ScalarToken,
    TagToken,
    ValueToken,
)

_BREAKS: Final = "\r\n\x85\u2028\u2029"
_BREAKZ: Final = "\0" + _BREAKS
_BLANKZ: Final = " \t" + _BREAKZ
_ALPHA: Final = frozenset("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_")
_URI: Final = _ALPHA | frozenset(";/?:@&=+$.%!~*'()")
_URI_VERBATIM: Final = _URI | frozenset(",[]")  # inside !<...> and in %TAG prefixes
_HEX: Final = frozenset("0123456789ABCDEFabcdef")
_BLANKS_AND_BREAKS: Final = " \t" + _BREAKS
#: (mask, value) of a UTF-8 leading octet, by the width of the sequence it starts.
_UTF8_LEADS: Final = ((1, (0x80, 0x00)), (2, (0xE0, 0xC0)), (3, (0xF0, 0xE0)), (4, (0xF8, 0xF0)))


def _scanner_error(context: str, context_mark: Any, problem: str, mark: Any) -> ScannerError:
    return ScannerError(context, context_mark, problem, mark)


class _LibyamlScanner(yaml.reader.Reader, yaml.scanner.Scanner):
    """PyYAML's pure-Python reader and scanner, taught libyaml's reading of YAML."""

    # -- the reader: a byte-order mark takes a column, as in libyaml ---------------------

    def forward(self, length: int = 1) -> None:
        buffer = self.buffer
        while length:
            ch = buffer[self.pointer]
            self.pointer += 1
            self.index += 1
            if ch in "\n\x85\u2028\u2029" or (ch == "\r" and buffer[self.pointer] != "\n"):
                self.line += 1
                self.column = 0
            else:
                self.column += 1
            length -= 1

    # -- between tokens ------------------------------------------------------------------

    def scan_to_next_token(self) -> None:
        # libyaml skips a byte-order mark at the start of any line, and tabs wherever no
        # simple key may start (in flow context, after a key's ':' on the same line ...).
        while True:
            if self.column == 0 and self.peek() == "\ufeff":
                self.forward()
            ch = self.peek()
            while ch == " " or (ch == "\t" and (self.flow_level or not self.allow_simple_key)):
                self.forward()
                ch = self.peek()
            if ch == "#":
                while self.peek() not in _BREAKZ:
                    self.forward()
            if not self._line_break():
                return
            if not self.flow_level:
                self.allow_simple_key = True

    def fetch_stream_end(self) -> None:
        if self.column:  # libyaml ends the last line before the end of the stream
            self.line += 1
            self.column = 0
        super().fetch_stream_end()

    def fetch_flow_collection_end(self, TokenClass: Any) -> None:  # noqa: N803 - PyYAML's name
        self.remove_possible_simple_key()
        if self.flow_level:  # an unmatched ']' or '}' leaves libyaml's level at 0
            self.flow_level -= 1
        self.allow_simple_key = False
        start_mark = self.get_mark()
        self.forward()
        self.tokens.append(TokenClass(start_mark, self.get_mark()))

    def _line_break(self) -> str:
        return cast("str", self.scan_line_break())  # type: ignore[no-untyped-call]

    def _skip_blanks(self) -> None:
        while self.peek() in " \t":
            self.forward()

    def _skip_comment_and_break(self, context: str, start_mark: Any) -> None:
        self._skip_blanks()
        if self.peek() == "#":
            while self.peek() not in _BREAKZ:
                self.forward()
        if self.peek() not in _BREAKZ:
            raise _scanner_error(
                context, start_mark, "did not find expected comment or line break", self.get_mark()
            )
        self._line_break()

    # -- directives: tabs separate, unknown names are errors ------------------------------

    def scan_directive(self) -> DirectiveToken:
        start_mark = self.get_mark()
        self.forward()
        length = 0
        while self.peek(length) in _ALPHA:
            length += 1
        if not length or self.peek(length) not in _BLANKZ:
            raise _scanner_error(
                "while scanning a directive",
                start_mark,
                "did not find an expected directive name",
                self.get_mark(),
            )
        name: str = self.prefix(length)
        self.forward(length)
        value: Any
        if name == "YAML":
            self._skip_blanks()
            major = self._directive_number(start_mark)
            if self.peek() != ".":
                raise _scanner_error(
                    "while scanning a %YAML directive",
                    start_mark,
                    "did not find expected digit or '.' character",
                    self.get_mark(),
                )
            self.forward()
            value = (major, self._directive_number(start_mark))
        elif name == "TAG":
            self._skip_blanks()
            handle = self._scan_tag_handle(start_mark, directive=True)
            if self.peek() not in " \t":
                raise _scanner_error(
                    "while scanning a %TAG directive",
                    start_mark,
                    "did not find expected whitespace",
                    self.get_mark(),
                )
            self._skip_blanks()
            prefix = self._scan_tag_uri(start_mark, verbatim=True, head="")
            if self.peek() not in _BLANKZ:
                raise _scanner_error(
                    "while scanning a %TAG directive",
                    start_mark,
                    "did not find expected whitespace or line break",
                    self.get_mark(),
                )
            value = (handle, prefix)
        else:
            raise _scanner_error(
                "while scanning a directive",
                start_mark,
                "found unknown directive name",
                self.get_mark(),
            )
        end_mark = self.get_mark()
        self._skip_comment_and_break("while scanning a directive", start_mark)
        return DirectiveToken(name, value, start_mark, end_mark)

    def _directive_number(self, start_mark: Any) -> int:
        length = 0
        while "0" <= self.peek(length) <= "9":
            length += 1
        if not 0 < length <= 9:  # libyaml's MAX_NUMBER_LENGTH
            raise _scanner_error(
                "while scanning a %YAML directive",
                start_mark,
                "did not find a version number of 1 to 9 digits",
                self.get_mark(),
            )
        value = int(self.prefix(length))
        self.forward(length)
        return value

    # -- tags ------------------------------------------------------------------------------

    def scan_tag(self) -> TagToken:
        start_mark = self.get_mark()
        handle: str | None
        if self.peek(1) == "<":
            handle = None
            self.forward(2)
            suffix = self._scan_tag_uri(start_mark, verbatim=True, head="")
            if self.peek() != ">":
                raise _scanner_error(
                    "while scanning a tag",
                    start_mark,
                    "did not find the expected '>'",
                    self.get_mark(),
                )
            self.forward()
        else:
            handle = self._scan_tag_handle(start_mark, directive=False)
            if len(handle) > 1 and handle.endswith("!"):
                suffix = self._scan_tag_uri(start_mark, verbatim=False, head="")
            else:  # not a handle after all: '!local' (or the non-specific tag '!')
                suffix = self._scan_tag_uri(start_mark, verbatim=False, head=handle)
                handle = "!"
                if not suffix:
                    handle, suffix = None, "!"
        if self.peek() not in _BLANKZ and not (self.flow_level and self.peek() == ","):
            raise _scanner_error(
                "while scanning a tag",
                start_mark,
                "did not find expected whitespace or line break",
                self.get_mark(),
            )
        return TagToken((handle, suffix), start_mark, self.get_mark())

    def _scan_tag_handle(self, start_mark: Any, *, directive: bool) -> str:
        if self.peek() != "!":
            raise _scanner_error(
                "while scanning a tag directive" if directive else "while scanning a tag",
                start_mark,
                "did not find expected '!'",
                self.get_mark(),
            )
        length = 1
        while self.peek(length) in _ALPHA:
            length += 1
        if self.peek(length) == "!":
            length += 1
        elif directive and length > 1:
            raise _scanner_error(
                "while parsing a tag directive",
                start_mark,
                "did not find expected '!'",
                self.get_mark(),
            )
        value: str = self.prefix(length)
        self.forward(length)
        return value

    def _scan_tag_uri(self, start_mark: Any, *, verbatim: bool, head: str) -> str:
        allowed = _URI_VERBATIM if verbatim else _URI
        chunks = [head[1:]]
        count = len(head)
        while True:
            length = 0
            while (ch := self.peek(length)) in allowed and ch != "%":
                length += 1
            if length:
                chunks.append(self.prefix(length))
                self.forward(length)
                count += length
            if self.peek() != "%":
                break
            chunks.append(self._scan_uri_escape(start_mark))
            count += 1
        if not count:
            raise _scanner_error(
                "while parsing a tag",
                start_mark,
                "did not find expected tag URI",
                self.get_mark(),
            )
        # libyaml keeps tags as C strings: an escaped NUL (%00) ends them.
        return "".join(chunks).partition("\0")[0]

    def _scan_uri_escape(self, start_mark: Any) -> str:
        """One character written as %-escaped UTF-8 octets."""
        octets = bytearray()
        width = 1
        while len(octets) < width:
            if not (self.peek() == "%" and self.peek(1) in _HEX and self.peek(2) in _HEX):
                raise _scanner_error(
                    "while parsing a tag",
                    start_mark,
                    "did not find URI escaped octet",
                    self.get_mark(),
                )
            octet = int(self.prefix(3)[1:], 16)
            if not octets:
                width = next((w for w, (mask, lead) in _UTF8_LEADS if octet & mask == lead), 0)
                if not width:
                    raise _scanner_error(
                        "while parsing a tag",
                        start_mark,
                        "found an incorrect leading UTF-8 octet",
                        self.get_mark(),
                    )
            elif octet & 0xC0 != 0x80:
                raise _scanner_error(
                    "while parsing a tag",
                    start_mark,
                    "found an incorrect trailing UTF-8 octet",
                    self.get_mark(),
                )
            octets.append(octet)
            self.forward(3)
        try:
            return octets.decode("utf-8")
        except UnicodeDecodeError:  # overlong or a surrogate: libyaml cannot decode it either
            raise _scanner_error(
                "while parsing a tag",
                start_mark,
                "found an invalid UTF-8 sequence",
                self.get_mark(),
            ) from None

    # -- block scalars: blanks and a comment may follow the indicators --------------------

    def scan_block_scalar_indicators(self, start_mark: Any) -> tuple[bool | None, int | None]:
        chomping: bool | None = None
        increment: int | None = None
        ch = self.peek()
        if ch in "+-":
            chomping = ch == "+"
            self.forward()
            if self.peek() in "0123456789":
                increment = self._indentation_indicator(start_mark)
        elif ch in "0123456789":
            increment = self._indentation_indicator(start_mark)
            ch = self.peek()
            if ch in "+-":
                chomping = ch == "+"
                self.forward()
        return chomping, increment

    def _indentation_indicator(self, start_mark: Any) -> int:
        ch = self.peek()
        if ch == "0":
            raise _scanner_error(
                "while scanning a block scalar",
                start_mark,
                "found an indentation indicator equal to 0",
                self.get_mark(),
            )
        self.forward()
        return int(ch)

    def scan_block_scalar_ignored_line(self, start_mark: Any) -> None:
        self._skip_comment_and_break("while scanning a block scalar", start_mark)

    # -- quoted scalars: escapes checked as libyaml checks them ---------------------------

    def scan_flow_scalar_non_spaces(self, double: Any, start_mark: Any) -> list[Any]:
        chunks: list[Any] = []
        while True:
            length = 0
            while self.peek(length) not in "'\"\\\0 \t\r\n\x85\u2028\u2029":
                length += 1
            if length:
                chunks.append(self.prefix(length))
                self.forward(length)
            ch = self.peek()
            if not double and ch == "'" and self.peek(1) == "'":
                chunks.append("'")
                self.forward(2)
            elif (double and ch == "'") or (not double and ch in '"\\'):
                chunks.append(ch)
                self.forward()
            elif double and ch == "\\":
                self.forward()
                chunks.append(self._escape(start_mark))
            else:
                return chunks

    def _escape(self, start_mark: Any) -> str:
        ch = self.peek()
        if ch in self.ESCAPE_REPLACEMENTS:
            self.forward()
            return self.ESCAPE_REPLACEMENTS[ch]
        if ch in self.ESCAPE_CODES:
            length = self.ESCAPE_CODES[ch]
            self.forward()
            digits = self.prefix(length)
            if len(digits) < length or not set(digits) <= _HEX:
                raise _scanner_error(
                    "while parsing a quoted scalar",
                    start_mark,
                    f"did not find expected {length} hexadecimal digits",
                    self.get_mark(),
                )
            code = int(digits, 16)
            if 0xD800 <= code <= 0xDFFF or code > 0x10FFFF:
                raise _scanner_error(
                    "while parsing a quoted scalar",
                    start_mark,
                    "found invalid Unicode character escape code",
                    self.get_mark(),
                )
            self.forward(length)
            return chr(code)
        if ch in _BREAKS:
            self._line_break()
            return "".join(self.scan_flow_scalar_breaks(double=True, start_mark=start_mark))
        raise _scanner_error(
            "while parsing a quoted scalar",
            start_mark,
            "found unknown escape character",
            self.get_mark(),
        )

    # -- plain scalars, as libyaml scans them ---------------------------------------------

    def scan_plain(self) -> ScalarToken:
        chunks: list[str] = []
        start_mark = end_mark = self.get_mark()
        indent = self.indent + 1
        flow = bool(self.flow_level)
        stops = _BLANKZ + (":,[]{}" if flow else ":")
        leading_blanks = False  # a line break was read since the last text
        leading_break = ""
        trailing_breaks: list[str] = []
        whitespaces: list[str] = []
        while True:
            if self.peek() == "#" or (
                self.column == 0 and self.prefix(3) in ("---", "...") and self.peek(3) in _BLANKZ
            ):
                break
            length = 0
            while True:
                ch = self.peek(length)
                if ch in stops:
                    if ch != ":":
                        break
                    after = self.peek(length + 1)
                    if flow and after in ",?[]{}":
                        raise _scanner_error(
                            "while scanning a plain scalar",
                            start_mark,
                            "found unexpected ':'",
                            self.get_mark(),
                        )
                    if after in _BLANKZ:
                        break
                length += 1
            if length:
                if leading_blanks:
                    if leading_break == "\n":
                        chunks.extend(trailing_breaks or " ")
                    else:
                        chunks.append(leading_break)
                        chunks.extend(trailing_breaks)
                    leading_break, trailing_breaks, leading_blanks = "", [], False
                else:
                    chunks.extend(whitespaces)
                whitespaces = []
                chunks.append(self.prefix(length))
                self.forward(length)
                end_mark = self.get_mark()
            ch = self.peek()
            if ch not in _BLANKS_AND_BREAKS:
                break
            while ch in _BLANKS_AND_BREAKS:
                if ch in " \t":
                    if leading_blanks and ch == "\t" and self.column < indent:
                        raise _scanner_error(
                            "while scanning a plain scalar",
                            start_mark,
                            "found a tab character that violates indentation",
                            self.get_mark(),
                        )
                    if not leading_blanks:
                        whitespaces.append(ch)
                    self.forward()
                elif leading_blanks:
                    trailing_breaks.append(self._line_break())
                else:
                    whitespaces = []
                    leading_break = self._line_break()
                    leading_blanks = True
                ch = self.peek()
            if not flow and self.column < indent:
                break
        if leading_blanks:
            self.allow_simple_key = True
        return ScalarToken("".join(chunks), plain=True, start_mark=start_mark, end_mark=end_mark)


class _LibyamlParser(yaml.parser.Parser, yaml.scanner.Scanner):
    """PyYAML's parser, placing empty values and reading flow collections as libyaml does."""

    def _flow_node(self) -> Any:
        return self.parse_flow_node()  # type: ignore[no-untyped-call]

    def _peek(self) -> Any:
        return self.peek_token()  # type: ignore[no-untyped-call]

    def _take(self) -> Any:
        return self.get_token()  # type: ignore[no-untyped-call]

    def parse_node(self, block: bool = False, indentless_sequence: bool = False) -> Any:
        event = super().parse_node(block, indentless_sequence)
        if type(event) is ScalarEvent and event.tag == "!" and not event.style and not event.value:
            event.implicit = (False, False)  # an empty node tagged '!' is text to libyaml
        return event

    def parse_flow_sequence_entry(self, first: bool = False) -> Any:
        if not self.check_token(FlowSequenceEndToken):
            if not first:
                if not self.check_token(FlowEntryToken):
                    token = self._peek()
                    raise ParserError(
                        "while parsing a flow sequence",
                        self.marks[-1],
                        f"expected ',' or ']', but got {token.id!r}",
                        token.start_mark,
                    )
                self._take()
            if self.check_token(KeyToken):
                token = self._take()  # libyaml takes the '?' here ...
                self.state = self.parse_flow_sequence_entry_mapping_key
                return MappingStartEvent(
                    None,
                    None,
                    implicit=True,
                    start_mark=token.start_mark,
                    end_mark=token.end_mark,
                    flow_style=True,
                )
            if not self.check_token(FlowSequenceEndToken):
                self.states.append(self.parse_flow_sequence_entry)
                return self._flow_node()
        token = self._take()
        self.state = self.states.pop()
        self.marks.pop()
        return SequenceEndEvent(token.start_mark, token.end_mark)

    def parse_flow_sequence_entry_mapping_key(self) -> Any:
        if not self.check_token(ValueToken, FlowEntryToken, FlowSequenceEndToken):
            self.states.append(self.parse_flow_sequence_entry_mapping_value)
            return self._flow_node()
        self.state = self.parse_flow_sequence_entry_mapping_value
        token = self._peek()
        if self.check_token(FlowSequenceEndToken):
            return self.process_empty_scalar(token.start_mark)
        self._take()  # ... and so the ':' or ',' after an empty key, as it does
        return self.process_empty_scalar(token.end_mark)

    def parse_flow_sequence_entry_mapping_value(self) -> Any:
        if self.check_token(ValueToken):
            self._take()
            if not self.check_token(FlowEntryToken, FlowSequenceEndToken):
                self.states.append(self.parse_flow_sequence_entry_mapping_end)
                return self._flow_node()
        self.state = self.parse_flow_sequence_entry_mapping_end
        return self.process_empty_scalar(self._peek().start_mark)

    def parse_flow_mapping_key(self, first: bool = False) -> Any:
        if not self.check_token(FlowMappingEndToken):
            if not first:
                if not self.check_token(FlowEntryToken):
                    token = self._peek()
                    raise ParserError(
                        "while parsing a flow mapping",
                        self.marks[-1],
                        f"expected ',' or '}}', but got {token.id!r}",
                        token.start_mark,
                    )
                self._take()
            if self.check_token(KeyToken):
                self._take()
                if not self.check_token(ValueToken, FlowEntryToken, FlowMappingEndToken):
                    self.states.append(self.parse_flow_mapping_value)
                    return self._flow_node()
                self.state = self.parse_flow_mapping_value
                return self.process_empty_scalar(self._peek().start_mark)
            if not self.check_token(FlowMappingEndToken):
                self.states.append(self.parse_flow_mapping_empty_value)
                return self._flow_node()
        token = self._take()
        self.state = self.states.pop()
        self.marks.pop()
        return MappingEndEvent(token.start_mark, token.end_mark)

    def parse_flow_mapping_value(self) -> Any:
        if self.check_token(ValueToken):
            self._take()
            if not self.check_token(FlowEntryToken, FlowMappingEndToken):
                self.states.append(self.parse_flow_mapping_key)
                return self._flow_node()
        self.state = self.parse_flow_mapping_key
        return self.process_empty_scalar(self._peek().start_mark)


class _DepthLimitedComposer(Composer):
    """PyYAML's pure-Python composer, stopping at a nesting depth instead of recursing on.

    Depth counts mappings and sequences, as `_measure` does on libyaml's tree: the
    first collection nested deeper than the limit is reported by both parsers.
    """

    max_depth: int = 64
    _depth: int = 0

    def compose_node(self, parent: Node | None, index: Any) -> Node:
        event = self.peek_event()  # type: ignore[attr-defined]
        if type(event) not in (SequenceStartEvent, MappingStartEvent):
            return cast("Node", super().compose_node(parent, index))
        self._depth += 1
        try:
            if self._depth > self.max_depth:
                raise DepthExceededError(event.start_mark.line + 1, event.start_mark.column + 1)
            return cast("Node", super().compose_node(parent, index))
        finally:
            self._depth -= 1


class DepthExceededError(Exception):
    """The pure-Python composer met a collection nested deeper than its limit."""

    def __init__(self, line: int, column: int) -> None:
        self.line = line
        self.column = column


class PureSafeLoader(
    _LibyamlScanner, _LibyamlParser, _DepthLimitedComposer, yaml.resolver.Resolver
):
    """The pure-Python loader: libyaml's reading of YAML, with a bounded composer."""

    def __init__(self, stream: str) -> None:
        yaml.reader.Reader.__init__(self, stream)
        yaml.scanner.Scanner.__init__(self)
        yaml.parser.Parser.__init__(self)
        Composer.__init__(self)
        yaml.resolver.Resolver.__init__(self)


__all__ = ["DepthExceededError", "PureSafeLoader"]
