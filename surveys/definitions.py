"""Survey definitions: the YAML schema, and validation errors that name the file and line."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from surveys.models import QuestionType
from surveys.secrecy import promises_secrecy
from surveys.text import is_gsm7

SMS_LIMIT = 160
Slug = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9_-]{0,63}$")]
Key = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9_]{0,63}$")]


class DefinitionError(ValueError):
    """A survey definition that cannot be loaded; `problems` are 'file:line: message' strings."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("\n".join(problems))


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Option(_Strict):
    value: Annotated[str, Field(min_length=1, max_length=40)]
    label: Annotated[str, Field(min_length=1, max_length=40)]
    aliases: list[str] = []


class Scale(_Strict):
    min: Annotated[int, Field(ge=0, le=1)] = 1
    max: Annotated[int, Field(ge=2, le=10)] = 5
    low: str = ""
    high: str = ""


class SkipIf(_Strict):
    question: Key
    any_of: Annotated[list[str], Field(min_length=1)]


def _no_secrecy(v: str) -> str:
    if promised := promises_secrecy(v):
        raise ValueError(
            f"must not promise secrecy or confidentiality (a child at risk is passed on): "
            f"{promised[0]!r}"
        )
    return v


class ChannelText(_Strict):
    web: Annotated[str, Field(min_length=1, max_length=1200)]
    sms: Annotated[str, Field(min_length=1, max_length=SMS_LIMIT)]

    _honest = field_validator("web", "sms")(_no_secrecy)

    @field_validator("sms")
    @classmethod
    def _gsm7(cls, v: str) -> str:
        if not is_gsm7(v):
            raise ValueError("SMS text must use GSM-7 characters only (no emoji or curly quotes)")
        return v


class QuestionDef(_Strict):
    key: Key
    type: QuestionType
    text: Annotated[str, Field(min_length=1, max_length=500)]
    sms: Annotated[str, Field(max_length=SMS_LIMIT)] = ""
    help: str = ""
    optional: bool = False
    options: Annotated[list[Option], Field(max_length=12)] = []
    exclusive: list[str] = []
    scale: Scale | None = None
    faces: bool = False
    extra_options: list[Option] = []
    done_words: list[str] = []
    skip_if: SkipIf | None = None
    # The answer is the young person's own name ("what do you like to be called?"): it is
    # redacted from their other answers and never analysed or quoted itself.
    own_name: bool = False
    # Theme summaries break answers down by this question's answer (age band or group).
    breakdown: Literal["age_band", "group"] | None = None

    _honest = field_validator("text", "sms", "help")(_no_secrecy)

    @field_validator("sms")
    @classmethod
    def _gsm7(cls, v: str) -> str:
        if v and not is_gsm7(v):
            raise ValueError("SMS text must use GSM-7 characters only (no emoji or curly quotes)")
        return v

    @model_validator(mode="after")
    def _fits_type(self) -> QuestionDef:
        t = self.type
        if t in (QuestionType.SINGLE, QuestionType.MULTI) and len(self.options) < 2:
            raise ValueError(f"a {t} question needs at least 2 options")
        if t not in (QuestionType.SINGLE, QuestionType.MULTI) and self.options:
            raise ValueError(f"a {t} question takes no options")
        if t == QuestionType.SCALE and self.scale is None:
            raise ValueError("a scale question needs 'scale: {min, max, low, high}'")
        if t != QuestionType.SCALE and (self.scale or self.extra_options or self.faces):
            raise ValueError("scale, extra_options and faces belong to scale questions")
        if self.exclusive and t != QuestionType.MULTI:
            raise ValueError("exclusive belongs to multi questions")
        if self.done_words and t != QuestionType.TEXT:
            raise ValueError("done_words belongs to text questions")
        if self.own_name and t != QuestionType.TEXT:
            raise ValueError("own_name belongs to text questions")
        if self.breakdown and t not in (QuestionType.SINGLE, QuestionType.MULTI):
            raise ValueError("breakdown belongs to single and multi questions")
        values = [o.value for o in [*self.options, *self.extra_options]]
        if len(set(values)) != len(values):
            raise ValueError("option values must be unique")
        unknown = set(self.exclusive) - set(values)
        if unknown:
            raise ValueError(f"exclusive names unknown option values: {sorted(unknown)}")
        return self


class SurveyDef(_Strict):
    slug: Slug
    title: Annotated[str, Field(min_length=1, max_length=200)]
    description: str = ""
    audience: str = ""
    channels: Annotated[list[Literal["web", "sms"]], Field(min_length=1)] = ["web", "sms"]
    intro: ChannelText
    outro: ChannelText
    questions: Annotated[list[QuestionDef], Field(min_length=1, max_length=100)]


def cross_checks(d: dict[str, Any], lines: dict[tuple, int], source: str) -> list[str]:
    """Checks across questions (duplicate keys, skip_if targets), with their own lines."""
    problems, seen = [], set()
    questions = d.get("questions") if isinstance(d.get("questions"), list) else []
    for i, q in enumerate(questions):
        if not isinstance(q, dict):
            continue
        key = q.get("key")
        if key in seen:
            line = lines.get(("questions", i, "key"), 1)
            problems.append(f"{source}:{line}: questions.{i}.key: {key!r} is used twice")
        skip = q.get("skip_if")
        if isinstance(skip, dict) and skip.get("question") not in seen:
            line = lines.get(("questions", i, "skip_if", "question"), 1)
            problems.append(
                f"{source}:{line}: questions.{i}.skip_if: question {key!r}: skip_if must name "
                f"an earlier question, not {skip.get('question')!r}"
            )
        seen.add(key)
    return problems


def _line_index(node: yaml.Node, path: tuple = ()) -> dict[tuple, int]:
    """Map each path in a composed YAML document to its 1-based line."""
    lines = {path: node.start_mark.line + 1}
    if isinstance(node, yaml.MappingNode):
        for k, v in node.value:
            lines.update(_line_index(v, (*path, k.value)))
            lines[(*path, k.value)] = k.start_mark.line + 1
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            lines.update(_line_index(item, (*path, i)))
    return lines


def _line_for(loc: tuple, lines: dict[tuple, int]) -> int:
    """The line of the deepest known prefix of a pydantic error location."""
    for n in range(len(loc), -1, -1):
        if loc[:n] in lines:
            return lines[loc[:n]]
    return 1


def parse_definition(text: str, source: str = "<string>") -> SurveyDef:
    """Validate YAML text as a survey definition or raise DefinitionError with lines."""
    if "\x00" in text:
        raise DefinitionError([f"{source}:1: the file is binary, not YAML"])
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark else 1
        problem = getattr(exc, "problem", None) or str(exc)
        raise DefinitionError([f"{source}:{line}: invalid YAML: {problem}"]) from None
    if not isinstance(data, dict) or node is None:
        raise DefinitionError([f"{source}:1: a survey definition must be a YAML mapping"])
    lines = _line_index(node)
    problems = cross_checks(data, lines, source)
    try:
        survey = SurveyDef.model_validate(data)
    except ValidationError as exc:
        for err in exc.errors():
            loc = tuple(p for p in err["loc"] if not (isinstance(p, str) and p.startswith("[")))
            where = ".".join(str(p) for p in loc) or "(top)"
            msg = re.sub(r"^Value error, ", "", err["msg"])
            problems.append(f"{source}:{_line_for(loc, lines)}: {where}: {msg}")
    if problems:
        raise DefinitionError(problems)
    return survey


def load_definition(path: Path) -> SurveyDef:
    """Read and validate a definition file."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise DefinitionError([f"{path}: cannot read: {exc.strerror}"]) from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise DefinitionError([f"{path}:1: the file is not UTF-8 text"]) from None
    return parse_definition(text, str(path))


def as_spec(q: QuestionDef) -> dict[str, Any]:
    """The parts of a question kept in Question.spec."""
    return q.model_dump(
        include={
            "options",
            "exclusive",
            "scale",
            "faces",
            "extra_options",
            "done_words",
            "skip_if",
            "own_name",
            "breakdown",
        },
        exclude_defaults=True,
    )


DEFINITIONS_DIR = Path(__file__).resolve().parent / "definitions"
