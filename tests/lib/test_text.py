from django.utils import translation

from lib.text import listed


def test_it_joins_with_the_chinese_comma_in_chinese():
    with translation.override("zh-hans"):
        assert listed([1, 2, 3], sentence="第 %(numbers)s 号") == "1、2、3"


def test_it_keeps_the_chinese_comma_inside_a_sentence_not_yet_translated():
    with translation.override("en"):
        assert listed([1, 2], sentence="这句话没有英文翻译 %(numbers)s") == "1、2"


def test_it_uses_the_translated_separator_once_the_sentence_is_translated():
    # "选举日" is in the English catalogue, as is the separator.
    with translation.override("en"):
        assert translation.gettext("选举日") != "选举日"
        assert listed([1, 2], sentence="选举日") == translation.gettext("、").join(["1", "2"])
