"""The safe YAML layer: every rejection points at the exact line and column."""

from __future__ import annotations

import random
from typing import Any

import pytest

from simulator.problems import Problem
from simulator.scenario.safe_yaml import MAX_PROBLEMS, LoadedYaml, Mark, load_yaml


def load(text: str | bytes, **limits: int) -> LoadedYaml:
    data = text.encode("utf-8") if isinstance(text, str) else text
    return load_yaml(data, "s.yaml", **limits)


def only_problem(text: str | bytes, **limits: int) -> Problem:
    result = load(text, **limits)
    assert result.value is None
    assert len(result.problems) == 1, result.problems
    return result.problems[0]


def where(problem: Problem) -> tuple[int, int]:
    return problem.line, problem.column


# ------------------------------------------------------------------ size


def test_oversized_file_is_rejected_at_1_1_naming_size_and_cap() -> None:
    problem = only_problem("a: 1\n" * 30, max_bytes=100)
    assert where(problem) == (1, 1)
    assert "150 bytes" in problem.message and "100 bytes" in problem.message


def test_size_is_checked_before_anything_else() -> None:
    problem = only_problem(b"\xff\xfe" + b"a: *x\n" * 50, max_bytes=100)
    assert "limit" in problem.message


def test_file_exactly_at_the_cap_is_fine() -> None:
    assert load("a: 1\n", max_bytes=5).value == {"a": 1}


# ------------------------------------------------------------------ encoding


def test_invalid_utf8_points_at_first_bad_byte() -> None:
    problem = only_problem(b"a: 1\nb: caf\xff\nc: \xfe\n")
    assert where(problem) == (2, 7)
    assert problem.message.startswith("file is not valid UTF-8: byte 0xff")


def test_bad_byte_column_counts_characters_not_bytes() -> None:
    problem = only_problem("a: 1\nb: ää".encode() + b"\xc3(")
    assert where(problem) == (2, 6)
    assert "byte 0xc3" in problem.message


def test_bad_byte_on_first_line_after_bom() -> None:
    assert where(only_problem(b"\xef\xbb\xbfab\x80")) == (1, 3)


def test_utf16_file_is_reported_as_not_utf8() -> None:
    problem = only_problem("a: 1\n".encode("utf-16"))
    assert where(problem) == (1, 1)
    assert "byte 0xff" in problem.message


def test_bom_is_accepted_and_does_not_shift_columns() -> None:
    result = load(b"\xef\xbb\xbfa: 1\n")
    assert result.problems == []
    assert result.value == {"a": 1}
    assert result.key_mark(("a",)) == Mark(1, 1)
    assert result.mark(("a",)) == Mark(1, 4)


def test_control_character_is_an_error_at_its_position() -> None:
    problem = only_problem("a: 1\nb: ää \x07\n")
    assert where(problem) == (2, 7)
    assert "U+0007" in problem.message


# ------------------------------------------------------------------ tabs


def test_tab_in_indentation_is_reported_at_the_tab() -> None:
    problem = only_problem("a:\n  b: 1\n\tc: 2\n")
    assert where(problem) == (3, 1)
    assert problem.message == "tabs are not allowed for indentation; use spaces"


def test_tab_after_spaces_is_reported_at_its_column() -> None:
    problem = only_problem("a:\n  b: |\n    x\n  \t  y\n")
    assert where(problem) == (4, 3)


def test_every_line_with_tab_indentation_is_reported() -> None:
    result = load("a:\n\tb: 1\n\tc: 2\nd: 3\n \te: 4\n")
    tabs = [where(p) for p in result.problems if "tabs" in p.message]
    assert tabs == [(2, 1), (3, 1), (5, 2)]
    assert all("tabs" in p.message for p in result.problems)  # no echo from the parser


def test_whitespace_only_line_with_tab_is_reported() -> None:
    assert where(only_problem("key: 1\n\t\nb: 2\n")) == (2, 1)


def test_tab_inside_a_value_is_fine() -> None:
    assert load('a: "x\ty"\nb: c\td\n').value == {"a": "x\ty", "b": "c\td"}


def test_tab_where_yaml_forbids_it_gets_a_readable_message() -> None:
    problem = only_problem("- a\n-\tb\n")
    assert where(problem) == (2, 2)
    assert "tab" in problem.message and "use spaces" in problem.message


# ------------------------------------------------------------------ anchors, depth, documents


def test_anchor_and_alias_are_errors_at_their_positions() -> None:
    result = load("a: &x 1\nb:\n  - *x\n")
    assert result.value is None
    assert [where(p) for p in result.problems] == [(1, 4), (3, 5)]
    assert all(p.message == "YAML anchors and aliases are not allowed" for p in result.problems)


def test_anchor_on_a_collection_is_an_error() -> None:
    assert where(only_problem("a: &base {x: 1}\n")) == (1, 4)


def test_alias_as_key_is_an_error() -> None:
    result = load("a: &k x\n*k : 1\n")
    assert [where(p) for p in result.problems] == [(1, 4), (2, 1)]


BILLION_LAUGHS = """\
a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]
"""


def test_billion_laughs_is_rejected_without_expanding_it() -> None:
    # Expanding it would need ~10^9 nodes: a regression hangs or runs out of memory.
    result = load(BILLION_LAUGHS)
    assert result.value is None
    assert where(result.problems[0]) == (1, 4)
    assert "aliases" in result.problems[0].message
    assert len(result.problems) <= MAX_PROBLEMS + 1


def test_many_problems_are_capped() -> None:
    text = "".join(f"k{i}: &a{i} x\n" for i in range(MAX_PROBLEMS * 3))
    problems = load(text).problems
    assert len(problems) == MAX_PROBLEMS + 1
    assert problems[-1].message == "too many problems; stopping"


def test_depth_bomb_is_rejected_without_crashing() -> None:
    data = b"[" * 30_000 + b"]" * 30_000
    assert len(data) == 60_000
    problem = only_problem(data)
    assert where(problem) == (1, 51)
    assert "deeper than 50" in problem.message


def test_depth_bomb_of_mappings_with_a_small_limit() -> None:
    text = "a:\n  b:\n    c:\n      d: 1\n"
    assert load(text, max_depth=4).value == {"a": {"b": {"c": {"d": 1}}}}
    problem = only_problem(text, max_depth=3)
    assert where(problem) == (4, 7)
    assert "deeper than 3 levels" in problem.message


def test_unclosed_depth_bomb_stops_at_the_limit() -> None:
    assert where(only_problem("{a: " * 100_000)) == (1, 201)


def test_second_document_is_an_error_at_its_start() -> None:
    problem = only_problem("a: 1\nb: 2\n---\nc: 3\n")
    assert where(problem) == (3, 1)
    assert "one YAML document" in problem.message


def test_explicit_single_document_is_fine() -> None:
    assert load("---\na: 1\n...\n").value == {"a": 1}


# ------------------------------------------------------------------ syntax errors


@pytest.mark.parametrize(
    ("text", "position", "fragment"),
    [
        ("a: b: c\n", (1, 5), "mapping values are not allowed"),
        ("a: 1\nb\nc: 2\n", (3, 1), "could not find expected ':'"),
        ('a: 1\nb: "unterminated\n', (3, 1), "found unexpected end of stream"),
        ("a: [1, 2\n", (2, 1), "did not find expected ',' or ']'"),
        ("a:\n  - b\n c: d\n", (3, 2), "did not find expected key"),
    ],
)
def test_syntax_error_is_one_readable_line_at_the_problem_mark(
    text: str, position: tuple[int, int], fragment: str
) -> None:
    problem = only_problem(text)
    assert where(problem) == position
    assert problem.message.startswith("YAML syntax error: ")
    assert fragment in problem.message
    assert "\n" not in problem.message


def test_syntax_error_names_where_the_construct_started() -> None:
    problem = only_problem("a: 1\nb\nc: 2\n")
    assert "(while scanning a simple key at line 2, column 1)" in problem.message


def test_problems_before_a_syntax_error_are_kept() -> None:
    result = load("a: &x 1\nb: c: d\n")
    assert [where(p) for p in result.problems] == [(1, 4), (2, 5)]


# ------------------------------------------------------------------ keys


def test_duplicate_key_is_reported_at_the_second_key() -> None:
    text = "nodes:\n  a:\n    say: x\n  b: 1\n  a: 2\n"
    problem = only_problem(text)
    assert where(problem) == (5, 3)
    assert problem.message == "duplicate key 'a' (first defined at line 2)"


def test_duplicate_key_message_matches_the_contract() -> None:
    text = "start: a\nnodes:\n  a:\n    say: Hi.\n    say: Hello again.\n"
    problem = only_problem(text)
    assert where(problem) == (5, 5)
    assert problem.message == "duplicate key 'say' (first defined at line 4)"


def test_every_duplicate_refers_to_the_first_definition() -> None:
    result = load("a: 1\na: 2\na: 3\n")
    assert [(where(p), p.message) for p in result.problems] == [
        ((2, 1), "duplicate key 'a' (first defined at line 1)"),
        ((3, 1), "duplicate key 'a' (first defined at line 1)"),
    ]


def test_quoted_and_plain_spellings_of_a_key_are_duplicates() -> None:
    assert where(only_problem('1: a\n"1": b\n')) == (2, 1)


def test_duplicates_in_flow_mappings_and_lists_of_mappings() -> None:
    assert where(only_problem("a: {x: 1, y: 2, x: 3}\n")) == (1, 17)
    assert where(only_problem("- id: a\n  id: b\n")) == (2, 3)


def test_same_key_in_different_mappings_is_fine() -> None:
    assert load("a: {x: 1}\nb: {x: 2}\n").value == {"a": {"x": 1}, "b": {"x": 2}}


def test_merge_key_is_an_error() -> None:
    problem = only_problem("base: {a: 1}\nchild:\n  <<: {b: 2}\n")
    assert where(problem) == (3, 3)
    assert "merge keys" in problem.message


def test_quoted_double_angle_is_an_ordinary_key() -> None:
    assert load('"<<": 1\n').value == {"<<": 1}


@pytest.mark.parametrize(
    ("text", "position"),
    [("? [a, b]\n: 1\n", (1, 3)), ("{[a]: 1}\n", (1, 2)), ("? {a: 1}\n: 2\n", (1, 3))],
)
def test_non_scalar_key_is_an_error(text: str, position: tuple[int, int]) -> None:
    problem = only_problem(text)
    assert where(problem) == position
    assert "key must be a plain name" in problem.message


def test_keys_are_always_the_text_written() -> None:
    result = load("1: a\ntrue: b\nnull: c\n~: d\n0.5: e\nNo: f\n")
    assert result.value == {"1": "a", "true": "b", "null": "c", "~": "d", "0.5": "e", "No": "f"}


# ------------------------------------------------------------------ tags


@pytest.mark.parametrize(
    ("text", "position", "shown"),
    [
        ("a: !!python/object:os.system x\n", (1, 4), "!!python/object:os.system"),
        ("a: !foo x\n", (1, 4), "!foo"),
        ("a: !!str 5\n", (1, 4), "!!str"),
        ("a:\n  - !!map {}\n", (2, 5), "!!map"),
        ("a: ! x\n", (1, 4), "'!'"),
    ],
)
def test_tags_are_errors_at_the_tag(text: str, position: tuple[int, int], shown: str) -> None:
    problem = only_problem(text)
    assert where(problem) == position
    assert problem.message.startswith("tags are not allowed")
    assert shown in problem.message


# ------------------------------------------------------------------ types


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("No", "No"),
        ("no", "no"),
        ("Yes", "Yes"),
        ("off", "off"),
        ("on", "on"),
        ("y", "y"),
        ("n", "n"),
        ("1:30", "1:30"),
        ("2024-01-02", "2024-01-02"),
        ("2024-01-02 10:00:00", "2024-01-02 10:00:00"),
        ("0x1F", "0x1F"),
        ("0o17", "0o17"),
        ("012", "012"),
        ("1_000", "1_000"),
        ("1e3", "1e3"),
        (".inf", ".inf"),
        ("-.inf", "-.inf"),
        (".nan", ".nan"),
        ("1e999999.0", "1e999999.0"),
        ("nullish", "nullish"),
        ("true", True),
        ("True", True),
        ("TRUE", True),
        ("false", False),
        ("FaLsE", False),
        ("null", None),
        ("Null", None),
        ("~", None),
        ("70", 70),
        ("0", 0),
        ("-5", -5),
        ("+5", 5),
        ("0.3", 0.3),
        ("-0.25", -0.25),
        ("1.", 1.0),
        (".5", 0.5),
        ("1.5e3", 1500.0),
        ('"70"', "70"),
        ("'true'", "true"),
        ('"null"', "null"),
        ("'0.3'", "0.3"),
        ("|\n  70\n", "70\n"),
        ("Hello, world", "Hello, world"),
    ],
)
def test_scalar_types_avoid_yaml_11_surprises(written: str, expected: Any) -> None:
    result = load(f"v: {written}\n")
    assert result.problems == []
    value = result.value["v"]
    assert value == expected
    assert type(value) is type(expected)


def test_empty_values_are_none() -> None:
    assert load("a:\nb: ''\nc:\n  -\n").value == {"a": None, "b": "", "c": [None]}


def test_huge_integer_stays_text_instead_of_failing() -> None:
    digits = "9" * 5000
    assert load(f"v: {digits}\n").value == {"v": digits}


def test_say_no_is_the_word_no() -> None:
    assert load("say: No\n").value == {"say": "No"}


def test_empty_and_comment_only_documents_are_none() -> None:
    for text in ("", "# just a comment\n", "---\n"):
        result = load(text)
        assert result.value is None and result.problems == []


def test_root_scalar_and_root_list() -> None:
    assert load("hello\n").value == "hello"
    assert load("- 1\n- two\n").value == [1, "two"]


def test_mapping_order_is_kept() -> None:
    keys = [f"k{i}" for i in range(50, 0, -1)]
    result = load("".join(f"{k}: 1\n" for k in keys))
    assert list(result.value) == keys


# ------------------------------------------------------------------ marks


NESTED = """\
id: demo
nodes:
  opening:
    say: |
      Hello.
    choices:
      - id: first
        goto: [{if: anger > 5, to: x}, {to: y}]
      - id: second
        effects: {trust: +5}
"""


def test_value_and_key_marks_for_nested_paths() -> None:
    result = load(NESTED)
    assert result.problems == []
    choices = ("nodes", "opening", "choices")
    assert result.mark(()) == Mark(1, 1)
    assert result.mark(("id",)) == Mark(1, 5)
    assert result.key_mark(("id",)) == Mark(1, 1)
    assert result.mark(("nodes",)) == Mark(3, 3)
    assert result.key_mark(("nodes", "opening")) == Mark(3, 3)
    assert result.mark(("nodes", "opening")) == Mark(4, 5)
    assert result.mark(("nodes", "opening", "say")) == Mark(4, 10)
    assert result.mark(choices) == Mark(7, 7)
    assert result.mark((*choices, 0)) == Mark(7, 9)
    assert result.mark((*choices, 0, "id")) == Mark(7, 13)
    assert result.key_mark((*choices, 0, "goto")) == Mark(8, 9)
    assert result.mark((*choices, 0, "goto")) == Mark(8, 15)
    assert result.mark((*choices, 0, "goto", 0)) == Mark(8, 16)
    assert result.key_mark((*choices, 0, "goto", 0, "if")) == Mark(8, 17)
    assert result.mark((*choices, 0, "goto", 0, "if")) == Mark(8, 21)
    assert result.key_mark((*choices, 0, "goto", 1, "to")) == Mark(8, 41)
    assert result.mark((*choices, 0, "goto", 1, "to")) == Mark(8, 45)
    assert result.key_mark((*choices, 1, "effects", "trust")) == Mark(10, 19)
    assert result.mark((*choices, 1, "effects", "trust")) == Mark(10, 26)
    assert result.value["nodes"]["opening"]["choices"][1]["effects"] == {"trust": 5}


def test_marks_count_characters_not_bytes() -> None:
    result = load("title: Café ☕\nx: {ä: 1, ö: 2}\n")
    assert result.mark(("x", "ö")) == Mark(2, 14)
    assert result.key_mark(("x", "ö")) == Mark(2, 11)


def test_mark_of_missing_path_falls_back_to_nearest_ancestor() -> None:
    result = load(NESTED)
    assert result.mark(("nodes", "opening", "choices", 0, "nope", 3)) == Mark(7, 9)
    assert result.mark(("nodes", "missing")) == Mark(3, 3)
    assert result.key_mark(("nodes", "opening", "choices", 5)) == Mark(7, 7)
    assert LoadedYaml(None).mark(("x",)) == Mark(1, 1)


def test_line_breaks_are_counted_like_the_parser() -> None:
    result = load("a: 1\r\nb: 2\rc: 3\n")
    assert result.key_mark(("c",)) == Mark(3, 1)
    assert result.lines[:3] == ["a: 1", "b: 2", "c: 3"]


def test_problem_renders_as_file_line_column() -> None:
    assert str(only_problem("a: 1\na: 2\n")) == (
        "s.yaml:2:1: error: duplicate key 'a' (first defined at line 1)"
    )


# ------------------------------------------------------------------ never raises


VALID = NESTED.encode()
YAMLISH = [*b"ab:-?[]{},&*!|>'\"#%@`\t\r\n 0123456789.~\\", 0xC3, 0xA4, 0xFF, 0x00]


def _garbage(rng: random.Random) -> bytes:
    mode = rng.randrange(4)
    if mode == 0:
        return rng.randbytes(rng.randrange(200))
    if mode == 1:
        return bytes(rng.choice(YAMLISH) for _ in range(rng.randrange(200)))
    data = bytearray(VALID)
    for _ in range(rng.randrange(1, 8)):
        at = rng.randrange(len(data) + 1)
        if mode == 2:
            data[at:at] = bytes([rng.choice(YAMLISH)])
        elif data:
            del data[at : at + rng.randrange(1, 20)]
    return bytes(data)


@pytest.mark.parametrize("seed", range(8))
def test_garbage_never_raises(seed: int) -> None:
    rng = random.Random(seed)
    for _ in range(500):
        data = _garbage(rng)
        result = load_yaml(data, "g.yaml", max_depth=rng.choice([3, 50]))
        assert isinstance(result, LoadedYaml)
        for problem in result.problems:
            assert problem.line >= 1 and problem.column >= 1
            assert "\n" not in problem.message
        if result.problems:
            assert result.value is None


# ------------------------------------------------------------------ pure-Python parser


@pytest.fixture
def pure_parser(monkeypatch: pytest.MonkeyPatch) -> None:
    """Run on PyYAML's own parser, the path taken where libyaml is missing."""
    import yaml

    from simulator.scenario import safe_yaml

    monkeypatch.setattr(safe_yaml, "_PARSER", yaml.SafeLoader)


@pytest.mark.usefixtures("pure_parser")
def test_pure_parser_gives_the_same_value_and_marks() -> None:
    result = load(NESTED)
    assert result.mark(("nodes", "opening", "choices", 0, "goto", 1, "to")) == Mark(8, 45)
    assert result.value["nodes"]["opening"]["choices"][0]["goto"][0] == {
        "if": "anger > 5",
        "to": "x",
    }


@pytest.mark.usefixtures("pure_parser")
def test_pure_parser_rejects_bombs_and_reports_positions() -> None:
    assert where(only_problem(b"[" * 30_000)) == (1, 51)
    assert where(load(BILLION_LAUGHS).problems[0]) == (1, 4)
    assert where(only_problem("a: 1\nb: ää \x07\n")) == (2, 7)
    assert where(only_problem("a: b: c\n")) == (1, 5)


@pytest.mark.parametrize("parser", ["libyaml", "pure"])
@pytest.mark.parametrize(
    ("bomb", "column"),
    [
        (b"[" * 30_000, 51),
        (b"{a: " * 30_000, 201),
        (b"title: " + b"[" * 2_000 + b"]" * 2_000, 57),  # the mapping is level 1
    ],
    ids=["flow-sequences", "flow-mappings", "closed-after-a-key"],
)
def test_depth_limit_reads_the_same_on_every_parser(
    parser: str, bomb: bytes, column: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """libyaml 0.2.6 trips its own 1,000-level limit first; the report must not change."""
    import yaml

    from simulator.scenario import safe_yaml

    if parser == "pure":
        monkeypatch.setattr(safe_yaml, "_PARSER", yaml.SafeLoader)
    else:
        assert yaml.__with_libyaml__, "the lock installs PyYAML with libyaml"
    problem = only_problem(bomb)
    assert (problem.line, problem.column) == (1, column)
    assert problem.message == "nesting is deeper than 50 levels"
