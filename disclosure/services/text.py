"""Text bound for the board: HTML sanitising, the Markdown of item bodies, personal data found and masked."""


import nh3
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from markdown_it import MarkdownIt

from org.models import Community
from residents.models import Resident

from .. import privacy
from ..models import Item

# Rich text of an item: paragraphs, lists, emphasis and tables (monthly accounts), nothing executable.
ALLOWED_TAGS = {
    "p", "br", "strong", "b", "em", "i", "u", "s", "ul", "ol", "li", "h2", "h3", "h4", "blockquote",
    "table", "caption", "thead", "tbody", "tfoot", "tr", "th", "td", "colgroup", "col", "hr", "span",
}
ALLOWED_ATTRIBUTES = {"th": {"colspan", "rowspan", "scope"}, "td": {"colspan", "rowspan"}, "col": {"span"}}


def sanitize_html(html: str) -> str:
    """The body with every tag and attribute outside the allowed set removed (scripts, styles, handlers)."""
    return nh3.clean(html or "", tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES, link_rel=None).strip()


# Markdown as the clerk types it: paragraphs, line breaks, lists, emphasis and pipe tables. HTML in the source
# (the bodies of items written before Markdown) passes through to the sanitiser like the rest.
_MARKDOWN = MarkdownIt("commonmark", {"html": True, "breaks": True}).enable("table")


def render_body(source: str) -> str:
    """The body the board shows: `source` (Markdown or HTML) rendered, then sanitised."""
    return sanitize_html(_MARKDOWN.render(source or ""))


def redact(text: str, *, is_html: bool = False) -> str:
    """`text` with any personal data masked, for words that reach a public page unchecked (feedback, notices)."""
    return privacy.mask(text, privacy.scan(text, is_html=is_html))


def _public_numbers(community: Community) -> list[str]:
    # The office's own phone and the street's supervision hotline are published on purpose.
    return [community.phone, community.street.supervision_hotline]


def personal_data(*, community: Community, title: str, body: str) -> dict[str, list[privacy.Finding]]:
    """Personal data in a title (plain text) and a body (HTML), by field (docs/domain.md, Disclosure:
    personal data); residents of the community are recognised by name next to a room number."""
    names = list(Resident.objects.filter(community=community).values_list("name", flat=True))
    allowed = _public_numbers(community)
    found = {"title": privacy.scan(title, is_html=False, allowed_numbers=allowed, names=names),
             "body": privacy.scan(body, is_html=True, allowed_numbers=allowed, names=names)}
    return {field: findings for field, findings in found.items() if findings}


def personal_data_in(item: Item) -> dict[str, list[privacy.Finding]]:
    return personal_data(community=item.community, title=item.title, body=item.body)


def _messages(found: dict[str, list[privacy.Finding]]) -> dict[str, list[str]]:
    where = {"title": _("标题"), "body": _("正文")}
    return {field: [_("%(where)s含有%(kind)s：%(snippet)s。公开内容不得含有个人信息，请删除") % {
        "where": where[field], "kind": f.label, "snippet": f.marked} for f in findings]
        for field, findings in found.items()}


def _check_no_personal_data(*, community: Community, title: str, body: str, keyed: bool = True) -> None:
    # A minimum-income list names people, never their ID numbers, phones, birth dates or homes (docs/domain.md,
    # Residents registry: masking and reveal; Disclosure: personal data).
    found = personal_data(community=community, title=title, body=body)
    if found:
        messages = _messages(found)
        raise ValidationError(messages if keyed else [m for rows in messages.values() for m in rows])
