"""The theme taxonomy (domain-digest §3.2 and §3.3), loaded and checked from data.

analysis/data/themes/taxonomy.yaml holds the 19 top-level themes, their sub-themes, lexicon
seeds, and their mapping to the council's priorities and the four BMBF principles.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from analysis.textnorm import DATA

TAXONOMY_PATH = DATA / "themes" / "taxonomy.yaml"
CODES = (
    "EDU", "PEER", "MH", "SAFE", "FAM", "ADULT", "VOICE", "PLACES", "TRANS", "JOBS",
    "MONEY", "HEALTH", "CARE", "CONTACT", "LEAVE", "SEND", "CARER", "ID", "HELP",
)  # fmt: skip
PRINCIPLES = ("Resilience", "Relationships", "Respect", "Response")
WEIGHTS = ("primary", "secondary")


class TaxonomyError(ValueError):
    """The taxonomy file breaks a rule (the message names the theme at fault)."""


@dataclass(frozen=True)
class Subtheme:
    code: str  # "EDU.exams_pressure"
    name: str
    seeds: tuple[str, ...]
    proposal: bool = False  # ours, where the digest lists no sub-themes


@dataclass(frozen=True)
class Theme:
    code: str
    name: str
    definition: str
    seeds: tuple[str, ...]
    subthemes: tuple[Subtheme, ...]
    priorities: tuple[tuple[str, str], ...]  # (reference, weight)
    principles: tuple[tuple[str, str], ...]  # (principle, weight)


@dataclass(frozen=True)
class Taxonomy:
    version: str
    themes: tuple[Theme, ...]

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(t.code for t in self.themes)

    @property
    def subtheme_codes(self) -> tuple[str, ...]:
        return tuple(s.code for t in self.themes for s in t.subthemes)

    def theme(self, code: str) -> Theme:
        for t in self.themes:
            if t.code == code:
                return t
        raise KeyError(code)

    def name_of(self, code: str) -> str:
        """The display name of a theme or sub-theme code."""
        theme = self.theme(code.split(".")[0])
        if "." not in code:
            return theme.name
        return next(s.name for s in theme.subthemes if s.code == code)

    def as_json(self) -> dict:
        return {
            "version": self.version,
            "themes": [
                {
                    "code": t.code,
                    "name": t.name,
                    "definition": t.definition,
                    "subthemes": [
                        {"code": s.code, "name": s.name, "proposal": s.proposal}
                        for s in t.subthemes
                    ],
                    "priorities": [{"ref": r, "weight": w} for r, w in t.priorities],
                    "principles": [{"principle": p, "weight": w} for p, w in t.principles],
                }
                for t in self.themes
            ],
        }


def _strings(value: object, where: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise TaxonomyError(f"{where}: expected a list of phrases")
    return tuple(v.strip().lower() for v in value)


def _theme(code: str, raw: object) -> Theme:
    if not isinstance(raw, dict):
        raise TaxonomyError(f"{code}: expected a mapping")
    for key in ("name", "definition", "seeds", "subthemes"):
        if key not in raw:
            raise TaxonomyError(f"{code}: missing {key!r}")
    subs = []
    for key, sub in (raw["subthemes"] or {}).items():
        if not isinstance(sub, dict) or "name" not in sub:
            raise TaxonomyError(f"{code}.{key}: expected a name and seeds")
        seeds = _strings(sub.get("seeds", []), f"{code}.{key}")
        subs.append(Subtheme(f"{code}.{key}", str(sub["name"]), seeds, bool(sub.get("proposal"))))
    priorities = []
    for p in raw.get("priorities") or []:
        if p.get("weight") not in WEIGHTS:
            raise TaxonomyError(f"{code}: priority weight must be one of {WEIGHTS}")
        priorities.append((str(p["ref"]), p["weight"]))
    principles = []
    for p in raw.get("principles") or []:
        if p.get("principle") not in PRINCIPLES or p.get("weight") not in WEIGHTS:
            raise TaxonomyError(f"{code}: principle must be one of {PRINCIPLES}, with a weight")
        principles.append((p["principle"], p["weight"]))
    return Theme(
        code,
        str(raw["name"]),
        str(raw["definition"]),
        _strings(raw["seeds"], code),
        tuple(subs),
        tuple(priorities),
        tuple(principles),
    )


def parse(data: object) -> Taxonomy:
    """A checked Taxonomy: exactly the 19 agreed codes, in the agreed order."""
    if not isinstance(data, dict) or not isinstance(data.get("themes"), dict):
        raise TaxonomyError("expected a mapping with 'version' and 'themes'")
    codes = tuple(data["themes"])
    if set(codes) != set(CODES):
        missing, extra = set(CODES) - set(codes), set(codes) - set(CODES)
        raise TaxonomyError(
            f"top-level codes must be exactly the 19 agreed ones: missing {sorted(missing)}, "
            f"unexpected {sorted(extra)}"
        )
    themes = tuple(_theme(code, data["themes"][code]) for code in CODES)
    return Taxonomy(str(data.get("version", "")), themes)


def load(path: Path = TAXONOMY_PATH) -> Taxonomy:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise TaxonomyError(f"{path.name}: not valid YAML ({exc})") from exc
    return parse(data)


@lru_cache(maxsize=1)
def default_taxonomy() -> Taxonomy:
    return load()
