"""Build the parallel built-in corpora `python-docs-en` and `python-docs-zh` from the translation's `.po` files.

Usage: python scripts/build_parallel_corpus.py [--po DIR] [--out DIR] [--check]
  --po   the folder holding tutorial/*.po and reference/*.po (default: ../shared/corpora/python-docs-zh-cn-3.11)
  --out  where the two texts are written (default: core/text/corpora)
  --check  write nothing: exit 1 if the shipped texts differ from a fresh build

What it is: every entry of the `.po` files (sorted by path, then in file order) that is translated (a non-empty
`msgstr`), not fuzzy and not obsolete becomes one sentence pair: its English `msgid` and its Chinese `msgstr`,
both cleaned by `clean` (the same reST rules on both sides). A pair is kept only if both sides are non-empty
after cleaning. Each output file holds one side, one pair per line (every line ends with a newline), so line i
of the English file and line i of the Chinese file say the same thing. Run twice, it writes the same bytes.

What it is not: part of the app. The app reads the two texts it ships (`core.text.corpus.builtin_text`) and never
the `.po` files; this script and its reader `polib` (pyproject.toml's dev extra) are needed only to rebuild them.

The cleaning turns reST inline markup into the text a reader of the rendered page sees:
- ``literal`` -> its text as it is (no escapes inside a literal);
- :role:`text` -> text; :role:`title <target>` -> title; :role:`~a.b.c` -> c (the last part, also after a colon);
  :role:`!name` -> name; :func: and :meth: (and :c:func:) add "()" as Sphinx does; :pep:`8` -> PEP 8,
  :rfc:`2822` -> RFC 2822; :samp:`a{b}` -> ab (its braces mark a variable part);
- `text <https://...>`_ and `text <https://...>`__ -> text; `name`_ -> name; `text` (interpreted) -> text;
- **strong** -> strong; *emphasis* -> emphasis;
- footnote references [#]_, [#name]_, [1]_ -> removed, with the space before them;
- backslash escapes: "\\ " (an escaped space, reST's way of joining markup to a word) -> nothing; "\\x" -> x;
- a paragraph ending "text::" (a literal block follows) -> "text:"; ending " ::" -> "text";
- every run of whitespace -> one space, none at either end.
"""

from __future__ import annotations

import argparse
import pathlib
import re
import sys

ROOT = pathlib.Path(__file__).resolve().parents[1]
PO_DIR = ROOT.parent / "shared" / "corpora" / "python-docs-zh-cn-3.11"
OUT_DIR = ROOT / "core" / "text" / "corpora"
NAMES = ("python-docs-en.txt", "python-docs-zh.txt")
PARTS = ("tutorial", "reference")

_INLINE = re.compile(
    r"""
      \\(?P<esc>.)                                                    # a backslash escape
    | ``(?P<literal>.+?)``                                            # ``inline literal``
    | :(?P<role>[A-Za-z][\w.+-]*(?::[\w.+-]+)*):`(?P<role_text>(?:\\.|[^\\`])*)`   # :role:`text`
    | `(?P<ref>(?:\\.|[^\\`])+)`(?P<link>__?)?                        # `interpreted`, `name`_, `title <url>`_
    | \*\*(?P<strong>[^\s*](?:(?:\\.|[^\\*]|\*(?!\*))*?[^\s\\])?)\*\*  # **strong**
    | \*(?P<emphasis>(?:\\.|[^\s*\\])(?:(?:\\.|[^\\*])*?[^\s\\*])?)\*  # *emphasis*
    | \s*\[(?:\#[\w-]*|\d+|\*)\]_                                     # a footnote reference
    """,
    re.VERBOSE | re.DOTALL,
)
_TITLE = re.compile(r"(?s)(?P<title>.*?\S)\s*<(?P<target>[^<>]+)>")
_PARENS = {"func", "meth", "c:func"}


def _unescape(text: str) -> str:
    return re.sub(r"\\(.)", lambda m: "" if m.group(1).isspace() else m.group(1), text, flags=re.DOTALL)


def _role(role: str, text: str) -> str:
    """What :role:`text` reads on the rendered page."""
    if role == "samp":  # {var} marks a variable part; \{ is a brace
        return re.sub(r"\\(.)|[{}]", lambda m: m.group(1) or "", text)
    text = _unescape(text)
    if m := _TITLE.fullmatch(text):
        return m.group("title")
    if text.startswith("!"):
        text = text[1:]
    elif text.startswith("~"):
        text = re.split(r"[.:]", text[1:])[-1]
    if role == "pep":
        return f"PEP {text}"
    if role == "rfc":
        return f"RFC {text}"
    if role in _PARENS and not text.endswith(")"):
        return text + "()"
    return text


def _inline(m: re.Match) -> str:
    if (esc := m.group("esc")) is not None:
        return "" if esc.isspace() else esc
    if (literal := m.group("literal")) is not None:
        return literal
    if (role := m.group("role")) is not None:
        return _role(role, m.group("role_text"))
    if (ref := m.group("ref")) is not None:
        ref = _unescape(ref)
        if title := _TITLE.fullmatch(ref):
            return title.group("title")
        return ref[1:-1] if ref.startswith("<") and ref.endswith(">") else ref
    for group in ("strong", "emphasis"):
        if (text := m.group(group)) is not None:
            return _unescape(text)
    return ""  # a footnote reference


def clean(text: str) -> str:
    """One paragraph of reST -> the text a reader sees (rules in the module docstring)."""
    text = text.strip()
    if text.endswith("::"):
        body = text[:-2]
        text = body.rstrip() if not body or body[-1].isspace() else body + ":"
    return re.sub(r"\s+", " ", _INLINE.sub(_inline, text)).strip()


def po_files(po_dir: pathlib.Path) -> list[pathlib.Path]:
    """The .po files of the tutorial and the language reference, sorted by their path under po_dir."""
    files = [p for part in PARTS for p in (po_dir / part).glob("*.po")]
    return sorted(files, key=lambda p: p.relative_to(po_dir).as_posix())


def pairs(po_dir: pathlib.Path) -> list[tuple[str, str]]:
    """(English, Chinese) of every translated, non-fuzzy entry, both cleaned and non-empty, in file and entry order."""
    import polib

    out = []
    for path in po_files(po_dir):
        for entry in polib.pofile(str(path)):
            if entry.obsolete or "fuzzy" in entry.flags or not entry.msgstr:
                continue
            en, zh = clean(entry.msgid), clean(entry.msgstr)
            if en and zh:
                out.append((en, zh))
    return out


def render(pairs_: list[tuple[str, str]]) -> tuple[str, str]:
    """The two texts: one side of a pair per line, each line ending in a newline."""
    return tuple("".join(side + "\n" for side in sides) for sides in zip(*pairs_, strict=True))


def build(po_dir: pathlib.Path = PO_DIR) -> dict[str, bytes]:
    """File name -> the UTF-8 bytes of that side."""
    texts = render(pairs(po_dir))
    return {name: text.encode("utf-8") for name, text in zip(NAMES, texts, strict=True)}


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--po", type=pathlib.Path, default=PO_DIR)
    p.add_argument("--out", type=pathlib.Path, default=OUT_DIR)
    p.add_argument("--check", action="store_true", help="exit 1 if the shipped texts differ from a fresh build")
    args = p.parse_args(argv)
    if not po_files(args.po):
        print(f"error: no .po files under {args.po}/{{{','.join(PARTS)}}}", file=sys.stderr)
        return 2
    files = build(args.po)
    if args.check:
        stale = [n for n, data in files.items() if not (args.out / n).is_file() or (args.out / n).read_bytes() != data]
        print("stale: " + ", ".join(stale) if stale else "up to date")
        return 1 if stale else 0
    args.out.mkdir(parents=True, exist_ok=True)
    for name, data in files.items():
        (args.out / name).write_bytes(data)
        lines, chars = data.count(b"\n"), len(data.decode("utf-8"))
        print(f"{args.out / name}: {lines:,} pairs, {chars:,} characters, {len(data):,} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
