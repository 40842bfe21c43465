"""The name a unit is matched by across documents and years (``match_name``).

Two documents are of the same unit when they are of the same division and their unit names
are equal after this normalisation (``dim_unit`` adds printed unit codes, see
``docs/DATA_CONTRACT.md``). The landed ``unit_name`` stays as printed; ``match_name`` is only
compared, never shown as the unit's name.
"""

from __future__ import annotations

import re
import unicodedata

from ingest.normalise import to_simplified

_SPACES = re.compile(r"\s+")

# brackets NFKC leaves alone (【】〔〕〖〗［］ are not compatibility forms of ( ))
_OPEN = "【〔〖［[｛{「『〈《"
_CLOSE = "】〕〗］]｝}」』〉》"
_BRACKETS = str.maketrans(_OPEN + _CLOSE, "(" * len(_OPEN) + ")" * len(_CLOSE))
_OWN_LEVEL = re.compile(r"(?:\(本级\)|本级)$")


def match_name(unit_name: str) -> str:
    """``unit_name`` compared: full-width forms as half-width (NFKC), no whitespace, every
    bracket as ``(`` / ``)``, simplified characters (OpenCC t2s, the converter identification
    uses), and no trailing ``(本级)`` / ``本级`` (a department's own level is the department).

    >>> match_name("重慶市 某區財政局（本級）")
    '重庆市某区财政局'
    """
    text = unicodedata.normalize("NFKC", unit_name)
    text = _SPACES.sub("", text).translate(_BRACKETS)
    text = to_simplified(text)
    while True:
        stripped = _OWN_LEVEL.sub("", text)
        if stripped == text or not stripped:
            return text
        text = stripped
