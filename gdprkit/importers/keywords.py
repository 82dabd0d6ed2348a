"""Keyword lists of the classifier, loaded from ``data/*.json`` (one file per language).

The lists are data, not code: a translator adds a language by adding a file.
Phrases are matched case- and accent-insensitively on word boundaries.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from ._text import fold

CATEGORIES = (
    "unsubscribe", "list_footer", "forward_markers", "reply_markers", "subject_forward",
    "subject_reply", "commercial", "mlm", "endorsement",
)


@dataclass(frozen=True)
class PhraseSet:
    """Folded phrases of one category with the language each comes from."""

    phrases: dict[str, str]  # folded phrase -> language code
    regex: re.Pattern | None

    def find(self, folded_text: str) -> list[tuple[str, str, int]]:
        """(phrase, language, position) of each distinct phrase found in folded text."""
        if self.regex is None:
            return []
        seen: dict[str, tuple[str, str, int]] = {}
        for m in self.regex.finditer(folded_text):
            phrase = m.group(0)
            if phrase not in seen:
                seen[phrase] = (phrase, self.phrases.get(phrase, "?"), m.start())
        return list(seen.values())

    def finditer(self, folded_text: str):
        return self.regex.finditer(folded_text) if self.regex is not None else iter(())


@dataclass(frozen=True)
class Keywords:
    sets: dict[str, PhraseSet]
    header_labels: dict[str, frozenset[str]]  # role -> folded labels
    languages: tuple[str, ...]

    def __getitem__(self, category: str) -> PhraseSet:
        return self.sets[category]


def _normalise_marker(text: str) -> str:
    # "---------- Forwarded message ---------" and "Begin forwarded message:"
    # compare on their words only.
    return " ".join(re.sub(r"[-_=*:>\s]+", " ", fold(text)).split())


def normalise_marker(line: str) -> str:
    """The comparable form of a separator line (see ``forward_markers``)."""
    return _normalise_marker(line)


def _compile(phrases: dict[str, str]) -> re.Pattern | None:
    if not phrases:
        return None
    alternatives = sorted(phrases, key=len, reverse=True)
    body = "|".join(re.escape(p) for p in alternatives)
    return re.compile(rf"(?<!\w)(?:{body})(?!\w)")


@lru_cache(maxsize=1)
def load_keywords() -> Keywords:
    """Load and compile every ``data/*.json`` file shipped with the package."""
    raw: dict[str, dict] = {}
    folder = resources.files("gdprkit.importers") / "data"
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".json"):
            raw[entry.name[:-5]] = json.loads(entry.read_text(encoding="utf-8"))
    sets: dict[str, PhraseSet] = {}
    for category in CATEGORIES:
        phrases: dict[str, str] = {}
        for lang, doc in raw.items():
            for phrase in doc.get(category, []):
                if category in ("forward_markers", "reply_markers"):
                    key = _normalise_marker(phrase)
                elif category.startswith("subject_"):
                    key = fold(phrase).strip()
                else:
                    key = " ".join(fold(phrase).split())
                if key:
                    phrases.setdefault(key, lang)
        regex = None if category.startswith(("subject_", "forward_", "reply_")) else _compile(phrases)
        sets[category] = PhraseSet(phrases, regex)
    labels: dict[str, set[str]] = {}
    for doc in raw.values():
        for role, names in doc.get("header_labels", {}).items():
            labels.setdefault(role, set()).update(fold(n).strip() for n in names)
    return Keywords(
        sets=sets,
        header_labels={k: frozenset(v) for k, v in labels.items()},
        languages=tuple(raw),
    )
