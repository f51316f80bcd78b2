"""Surname-stroke order (姓氏笔画) by GF 3002-1999, checked against a table the code does not use.

ORACLE is transcribed from the Rime stroke dictionary (rime-stroke `stroke.dict.yaml`, as shipped by
Debian's rime-data-stroke 2023-02: the mainland supplement "附碼表源自北大中文論壇" compiled by 孙海峰,
徐孟罗, 唐捺之, 谢振斌), its letters h s p n z rewritten 1 2 3 4 5 (横 竖 撇 点 折). The code reads the
cnchar-order table instead; the expected order below is computed from ORACLE alone.
"""

import pytest
from django.core.exceptions import ImproperlyConfigured

from elections import strokes
from elections.strokes import ballot_key
from elections.strokes_build import parse_tables

# 161 of the most common surnames. (申 is left out: its sequence 25112 equals 叶's, and the standard then
# orders by character structure, which neither table records.)
ORACLE = dict(item.split(":") for item in """
王:1121 李:1234521 张:5153154 刘:413422 陈:5215234 杨:1234533 黄:12212512134 赵:121213434 吴:2511134
周:35121251 徐:3323411234 孙:521234 马:551 朱:311234 胡:122513511 郭:4125152152 何:3212512 高:4125125251
林:12341234 罗:25221354 郑:43113452 梁:44153441234 谢:453251113124 宋:4451234 唐:4135112251 许:453112
韩:122511121152 冯:41551 邓:5452 曹:12512212511 彭:121251431333 曾:432524312511 肖:2432511 田:25121
董:122312511211 袁:1212513534 潘:441343123425121 于:112 蒋:122412354124 蔡:12235445411234 余:3411234
杜:1234121 叶:25112 程:312342511121 苏:1225344 魏:31234531325113554 吕:251251 丁:12 任:323121 沈:4414535
姚:531341534 卢:21513 姜:431121531 崔:25232411121 钟:311152512 谭:45125221251112 陆:5211252 汪:4411121
范:12244155 金:34112431 石:13251 廖:41354154134333 贾:1252212534 夏:1325111354 韦:1152 付:32124 方:4153
白:32511 邹:3551152 孟:52125221 熊:54251135354444 秦:1113431234 邱:3212152 江:441121 尹:5113
薛:1223251514143112 闫:425111 段:321113554 雷:1452444425121 侯:325131134 龙:13534 史:25134 陶:5235311252
黎:312343533424134 贺:532512534 顾:1355132534 毛:3115 郝:121323452 龚:13534122134 邵:5325152 万:153
钱:3111511534 严:1224313 覃:125221251112 武:11212154 戴:12125121122134534 莫:1222511134 孔:5215 向:325251
汤:441533 常:24345251252 温:441251125221 康:41351124134 施:415331525 文:4134 牛:3112 樊:123434341234134
葛:122251135345 邢:113252 安:445531 齐:413432 易:25113533 乔:313432 伍:321251 庞:41313534
颜:414313333132534 倪:3232151135 庄:413121 聂:1221115454 章:41431251112 鲁:352512112511 岳:32121252
翟:54154132411121 殷:3351153554 詹:3513344111251 欧:13453534 耿:1221114334 关:431134 兰:43111
焦:324111214444 俞:341251122 左:13121 柳:123435352 甘:12211 祝:452425135 包:35515 宁:44512 尚:24325251
符:31431432124 舒:341122515452 阮:521135 柯:123412512 纪:551515 梅:12343155414 童:414312511211
凌:4112134354 毕:153512 单:43251112 季:31234521 裴:21112111413534 霍:1452444432411121 涂:4413411234
成:135534 苗:12225121 谷:3434251 盛:13553425221 曲:251221 翁:3454541541 冉:25211 骆:551354251
蓝:1222231425221
""".split())


def test_it_has_an_oracle_of_distinct_sequences():
    assert len(ORACLE) == 161
    assert len(set(ORACLE.values())) == len(ORACLE)


def test_it_orders_161_surnames_as_the_independent_table():
    expected = sorted(ORACLE, key=lambda c: (len(ORACLE[c]), ORACLE[c]))
    shuffled = sorted(ORACLE, key=ord)
    assert sorted(shuffled, key=ballot_key) == expected


def test_it_orders_four_strokes_by_first_stroke_not_code_point():
    # 王 横, 毛 撇, 方 点, 孔 折: code-point order would be 孔 方 毛 王.
    assert sorted("孔方毛王", key=ballot_key) == list("王毛方孔")


@pytest.mark.parametrize(("earlier", "later"), [
    ("肖桂焕", "张吉生"),   # 7 strokes each: 肖 starts 竖, 张 starts 折
    ("葛鸿平", "蒋惠琴"),   # 12 each, 艹 alike: 葛's fourth stroke 竖 before 蒋's 点
    ("林", "欧"),           # 8 each, both 横: second stroke 竖 before 撇
    ("王一", "王一平"),     # the start of a longer name comes first
    ("王一平", "王二"),     # same surname: the second character decides (一 1 stroke, 二 2)
    ("王小宁", "王山"),     # 小 竖钩(竖) 撇 点 before 山 竖 折 竖
    ("丁小宁", "王小宁"),
    ("欧阳少东", "洪少东"),  # a compound surname is compared by its first character (欧 8, 洪 9)
])
def test_it_orders_pairs_by_the_rule(earlier, later):
    assert ballot_key(earlier) < ballot_key(later)


def test_it_puts_a_character_without_sequence_after_those_of_its_count(monkeypatch):
    monkeypatch.setattr(strokes, "sequence_table", lambda: {"王": "1121", "毛": "3115"})
    monkeypatch.setattr(strokes, "stroke_table", lambda: {"孔": 4, "丁": 2})
    assert sorted("孔毛丁王", key=ballot_key) == list("丁王毛孔")
    assert strokes.strokes("孔") == 4 and strokes.strokes("A") == 999


def test_it_refuses_to_run_without_the_table(monkeypatch, tmp_path):
    monkeypatch.setattr(strokes, "TABLE", tmp_path / "missing.tsv")
    strokes.sequence_table.cache_clear()
    try:
        with pytest.raises(ImproperlyConfigured, match="strokes_build"):
            strokes.sequence_table()
    finally:
        strokes.sequence_table.cache_clear()


def test_it_reduces_the_package_shapes_to_the_five_classes():
    script = ("x=JSON.parse('{\"孔\":\"egiu\",\"方\":\"kjrs\",\"火\":\"dssl\"}');"
              "y=JSON.parse('{\"e\":{\"name\":\"横撇|横钩\"},\"g\":{\"name\":\"竖钩\"},\"i\":{\"name\":\"提\"},"
              "\"u\":{\"name\":\"竖弯钩\"},\"k\":{\"name\":\"点\"},\"j\":{\"name\":\"横\"},\"r\":{\"name\":\"横折钩\"},"
              "\"s\":{\"name\":\"撇\"},\"d\":{\"name\":\"点2\"},\"l\":{\"name\":\"捺\"}}')")
    assert parse_tables(script) == {"孔": "5215", "方": "4153", "火": "4334"}
