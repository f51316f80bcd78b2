"""Lists inside a sentence, joined as the language the sentence is shown in joins them."""

from collections.abc import Iterable

from django.utils.translation import gettext


def listed(items: Iterable, *, sentence: str) -> str:
    """`items` joined for the message `sentence` (its msgid, marked with gettext_noop): with the Chinese 、 while
    the sentence is shown in Chinese, including when it has no translation yet and falls back to its msgid, and
    with the translation of 、 only once the sentence itself is translated. Translating the separator alone would
    print 第 1, 2 号 inside an untranslated Chinese refusal."""
    separator = gettext("、") if gettext(sentence) != sentence else "、"
    return separator.join(str(item) for item in items)
