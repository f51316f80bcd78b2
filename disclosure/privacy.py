"""Personal data in text bound for the public board: ID numbers, mobiles, landlines, birth dates, home addresses.

The scan reads what a reader of the board would read, not what was typed: tags removed (a number split by
`<b>` is still one number), entities decoded, full-width characters folded (NFKC), and the separators people
put inside numbers (spaces, dashes, dots) allowed where they group digits. Each finding keeps its place in the
original string, so that it can be shown marked to the reviewer or masked on a public page.
docs/domain.md, Disclosure: personal data.
"""

import datetime
import html
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

ID_NUMBER, MOBILE, LANDLINE, BIRTH_DATE, ADDRESS = "id_number", "mobile", "landline", "birth_date", "address"
KIND_LABELS = {ID_NUMBER: _("身份证号"), MOBILE: _("手机号"), LANDLINE: _("固定电话"), BIRTH_DATE: _("出生日期"),
               ADDRESS: _("住址（门牌号）")}

# Tags that end a line or a cell: the text on either side is not one number. Inline tags (b, span…) join.
_BLOCK_TAGS = {"p", "br", "div", "tr", "td", "th", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6",
               "table", "thead", "tbody", "tfoot", "caption", "blockquote", "hr", "col", "colgroup", "pre"}
_TAG = re.compile(r"</?\s*([a-zA-Z][a-zA-Z0-9]*)[^>]*>")
_ENTITY = re.compile(r"&(?:#[0-9]+|#[xX][0-9a-fA-F]+|[a-zA-Z][a-zA-Z0-9]*);")

_SEP = r"[ \t\u00a0\-–—.·]"  # after NFKC: the ideographic space is a space, the full-width dash a dash
_ID18 = re.compile(rf"(?<![0-9])[1-8](?:{_SEP}?[0-9]){{16}}{_SEP}?[0-9Xx](?![0-9Xx])")
_ID15 = re.compile(rf"(?<![0-9])[1-8](?:{_SEP}?[0-9]){{14}}(?![0-9])")
_MOBILE = re.compile(rf"(?<![0-9])(?:(?:\+|00)\s?86{_SEP}?|\(\+?86\)\s?)?1[3-9][0-9](?P<s>{_SEP}?)[0-9]{{4}}(?P=s)"
                     r"[0-9]{4}(?![0-9])(?!\s?元)")
_AREA = r"0(?:[12][0-9]|[3-9][0-9]{2})"
_LANDLINE = re.compile(rf"(?<![0-9])(?:\(\s?{_AREA}\s?\)\s?|{_AREA}{_SEP}?)[2-9][0-9]{{2,3}}{_SEP}?[0-9]{{4}}"
                       r"(?![0-9])")
# A local number without its area code only counts where a label says it is a telephone number.
_LABELLED_LOCAL = re.compile(rf"(?:电话|座机|固话|tel|TEL|Tel)[:：\s]*(?P<n>[2-9][0-9]{{2,3}}{_SEP}?[0-9]{{4}})"
                             r"(?![0-9])")
_DATE = (r"(?:19|20)[0-9]{2}\s?(?:年\s?[0-9]{1,2}\s?月(?:\s?[0-9]{1,2}\s?日)?"
         r"|[./\-][0-9]{1,2}(?:[./\-][0-9]{1,2})?)")
# 出生于…, 生于… (not 发生于, 产生于), 生日…; or …出生, …生 (not 生效, 生产: 生 followed by another character).
_BIRTH_BEFORE = re.compile(rf"(?:出生(?:于|日期|年月)?|(?<![发产诞衍])生于|生日)[:：\s为是在]*(?P<n>{_DATE})")
_BIRTH_AFTER = re.compile(rf"(?<![0-9])(?P<n>{_DATE})\s?(?:出生|生人|生(?![\u4e00-\u9fff]))")
_ROOM = re.compile(r"[0-9]{1,4}\s?(?:幢|栋|号楼)\s?(?:[0-9]{1,2}\s?单元\s?)?[0-9]{3,4}\s?室?"
                   r"|(?<![0-9\-])[0-9]{1,3}-[0-9]{1,2}-[0-9]{3,4}\s?室")
# A person named just before a room number: a common surname and one or two more characters, then a bracket,
# a comma or a colon. Names from the registry are matched anywhere near it (`names`).
_SURNAMES = ("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚"
             "卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤")
_NAMED_BEFORE = re.compile(rf"[{_SURNAMES}][\u4e00-\u9fff]{{1,2}}\s?(?:[（(，,：:、]\s?)?(?:住址[:：]?|家住|住)?\s?$")
_NEAR = 15  # characters either side of a room number searched for a name
_CONTEXT = 12  # characters either side of a finding shown to the reviewer


@dataclass(frozen=True)
class Finding:
    kind: str
    before: str  # the text around the finding, as the reader sees it
    match: str
    after: str
    spans: tuple[tuple[int, int], ...]  # where each digit of the finding is in the original string

    @property
    def label(self) -> str:
        return str(KIND_LABELS[self.kind])

    @property
    def marked(self) -> str:
        """The finding in its context with the match in 【】, for a message in plain text."""
        return f"…{self.before}【{self.match}】{self.after}…"


@dataclass
class _Text:
    """Plain text with, for every character, the span of the original string it comes from."""

    text: str
    spans: list[tuple[int, int]]


def _plain(source: str, *, is_html: bool) -> _Text:
    chars: list[str] = []
    spans: list[tuple[int, int]] = []

    def emit(value: str, start: int, end: int) -> None:
        for char in unicodedata.normalize("NFKC", value):
            chars.append(char)
            spans.append((start, end))

    at = 0
    while at < len(source):
        char = source[at]
        if char == "<" and (tag := _TAG.match(source, at)):
            # In plain text (a resident's feedback) a tag is shown as typed, but still read past: a number
            # written around "<b>" is the same number to whoever reads it.
            if is_html and tag.group(1).lower() in _BLOCK_TAGS:
                emit("\n", at, tag.end())
            at = tag.end()
        elif is_html and char == "&" and (entity := _ENTITY.match(source, at)):
            emit(html.unescape(entity.group()), at, entity.end())
            at = entity.end()
        else:
            emit(char, at, at + 1)
            at += 1
    return _Text("".join(chars), spans)


def _digits(value: str) -> str:
    return re.sub(r"[^0-9Xx]", "", value).upper()


def _is_date(year: int, month: int, day: int) -> bool:
    try:
        born = datetime.date(year, month, day)
    except ValueError:
        return False
    return datetime.date(1900, 1, 1) <= born <= datetime.date.today()


def _plausible_id(digits: str) -> bool:
    # The birth date inside the number is what tells an ID from a long amount or an account number.
    if len(digits) == 18:
        return _is_date(int(digits[6:10]), int(digits[10:12]), int(digits[12:14]))
    return _is_date(1900 + int(digits[6:8]), int(digits[8:10]), int(digits[10:12]))


def _allowed(digits: str, allowed: set[str]) -> bool:
    """A published number of the office itself (its phone, the street's hotline), with or without area code."""
    digits = re.sub(r"^(?:0086|86)(?=1[3-9][0-9]{9}$)", "", digits)
    return any(len(number) >= 7 and (number.endswith(digits) or digits.endswith(number)) for number in allowed)


def _named_near(text: str, start: int, end: int, names: frozenset[str]) -> bool:
    if _NAMED_BEFORE.search(text[max(0, start - 8):start]):
        return True
    window = text[max(0, start - _NEAR):end + _NEAR]
    return any(window[i:i + n] in names for n in (2, 3, 4) for i in range(len(window) - n + 1))


def scan(source: str, *, is_html: bool = True, allowed_numbers: Iterable[str] = (),
         names: Iterable[str] = ()) -> list[Finding]:
    """Every piece of personal data in `source`, in reading order; overlapping findings count once."""
    plain = _plain(source or "", is_html=is_html)
    text = plain.text
    allowed = {d for d in (_digits(n) for n in allowed_numbers) if d}
    names = frozenset(n for n in names if len(n) >= 2)
    found: list[tuple[int, int, str]] = []
    for match in _ID18.finditer(text):
        if _plausible_id(_digits(match.group())):
            found.append((match.start(), match.end(), ID_NUMBER))
    for match in _ID15.finditer(text):
        if _plausible_id(_digits(match.group())):
            found.append((match.start(), match.end(), ID_NUMBER))
    for match in _MOBILE.finditer(text):
        if not _allowed(_digits(match.group()), allowed):
            found.append((match.start(), match.end(), MOBILE))
    for match in _LANDLINE.finditer(text):
        if not _allowed(_digits(match.group()), allowed):
            found.append((match.start(), match.end(), LANDLINE))
    for match in _LABELLED_LOCAL.finditer(text):
        if not _allowed(_digits(match.group("n")), allowed):
            found.append((match.start("n"), match.end("n"), LANDLINE))
    for pattern in (_BIRTH_BEFORE, _BIRTH_AFTER):
        for match in pattern.finditer(text):
            found.append((match.start("n"), match.end("n"), BIRTH_DATE))
    for match in _ROOM.finditer(text):
        if _named_near(text, match.start(), match.end(), names):
            found.append((match.start(), match.end(), ADDRESS))
    findings, taken_until = [], -1
    for start, end, kind in sorted(found, key=lambda f: (f[0], -f[1])):
        if start < taken_until:
            continue
        taken_until = end
        findings.append(Finding(
            kind=kind, before=_line(text[max(0, start - _CONTEXT):start]), match=text[start:end],
            after=_line(text[end:end + _CONTEXT]),
            spans=tuple(plain.spans[i] for i in range(start, end) if text[i].isdigit())))
    return findings


def _line(value: str) -> str:
    return " ".join(value.split())


def mask(source: str, findings: Iterable[Finding]) -> str:
    """`source` with the digits of every finding replaced by *, keeping a few at the ends of a phone or ID number
    (the way lib/masking.py shows them), and the tags around them untouched."""
    keep = {ID_NUMBER: (4, 4), MOBILE: (3, 4), LANDLINE: (0, 4), BIRTH_DATE: (0, 0), ADDRESS: (0, 0)}
    spans = []
    for finding in findings:
        head, tail = keep[finding.kind]
        digits = finding.spans
        if finding.kind == MOBILE:
            digits = digits[-11:]  # the country code is not part of the number kept at the front
        spans += digits[head:len(digits) - tail]
    out = source
    for start, end in sorted(set(spans), reverse=True):
        out = out[:start] + "*" + out[end:]
    return out
