"""The street's election report over a small street of three communities, every figure computed by hand.

甲社区 (direct): 10 adults living there on the day (plus two children and one adult away), 8 registered, 7
ballots issued, 6 returned; 主任 1 + 委员 2, all elected: 张一 (女, 34, 中共党员, 大学本科, 汉族), 李二 (男, 60, 群众,
中专/高中, 回族), 王三 (女, 45, 中共预备党员, 大专, 民族 not recorded). Handed over to a term where 张一 is
director and party secretary, 李二 a party committee member: 交叉任职 2 of 3, 一肩挑 1.
乙社区 (household): 5 adults, 4 registered, 4 issued, 3 returned; 主任 赵四 (男) and 委员 钱五 (女) elected, one
member seat unfilled and filled by 孙六 (女) in a certified further round; none of the three linked to a resident.
丙社区: an election still being prepared, no certified result.
"""

import datetime
import io
import subprocess

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from openpyxl import load_workbook

from committee.models import PartyPost
from elections.models import Certification, ElectionKind, ElectionStatus, Mode
from elections.statistics import election_report, report_workbook
from residents.models import Education, Ethnicity, Living, Political
from tests.committee.factories import MemberFactory, TermFactory
from tests.elections.factories import CandidateFactory, ElectionFactory, PositionFactory
from tests.factories import CommunityFactory, committee_of, staff_of
from tests.residents.factories import ResidentFactory

pytestmark = pytest.mark.django_db

DAY = datetime.date(2024, 3, 16)


def born(age: int, *, days_after_birthday: int = 10) -> datetime.date:
    """A birth date that makes the person `age` on DAY."""
    return DAY.replace(year=DAY.year - age) - datetime.timedelta(days=days_after_birthday)


def certified(community, *, mode, registered, issued, returned, positions, candidates, kind=ElectionKind.MAIN,
              parent=None, day=DAY):
    """An election certified with the result `positions` [(code, title, seats, [elected names])]; `candidates`
    maps each elected name to (gender, resident or None)."""
    election = ElectionFactory(community=community, mode=mode, election_day=day, kind=kind, parent=parent,
                               round=2 if kind == ElectionKind.FURTHER else 1, status=ElectionStatus.COUNTING,
                               term_number=parent.term_number if parent else 5)
    result_positions = []
    for order, (code, title, seats, elected) in enumerate(positions):
        position = PositionFactory(election=election, code=code, title=title, seats=seats, order=order)
        for name in elected:
            gender, resident = candidates[name]
            CandidateFactory(election=election, position=position, name=name, gender=gender, resident=resident)
        result_positions.append({"code": code, "title": title, "seats": seats, "elected": elected,
                                 "unfilled": seats - len(elected), "tied": [], "candidates": []})
    result = {"election": election.pk, "registered_voters": registered, "ballots_issued": issued,
              "ballots_returned": returned, "ballots_valid": returned, "ballots_invalid": 0,
              "turnout": round(returned / registered, 4), "valid": True, "problems": [],
              "positions": result_positions, "warnings": []}
    certification = Certification.objects.create(election=election, closed_at=timezone.now(),
                                                 certified_at=timezone.now(), result=result)
    election.status = ElectionStatus.CERTIFIED
    election.save()
    return certification


@pytest.fixture
def street_of_three():
    jia = CommunityFactory(name="甲社区", code="JIA")
    yi = CommunityFactory(name="乙社区", code="YI", street=jia.street)
    bing = CommunityFactory(name="丙社区", code="BING", street=jia.street)
    zhang = ResidentFactory(community=jia, name="张一", sex="F", birth_date=born(34), political=Political.CPC,
                            education=Education.BACHELOR, ethnicity=Ethnicity.HAN)
    li = ResidentFactory(community=jia, name="李二", sex="M", birth_date=born(60), political=Political.MASSES,
                         education=Education.SECONDARY, ethnicity=Ethnicity.HUI)
    wang = ResidentFactory(community=jia, name="王三", sex="F", birth_date=born(45),
                           political=Political.CPC_PROBATIONARY, education=Education.COLLEGE)
    for _ in range(7):
        ResidentFactory(community=jia, birth_date=born(40))
    ResidentFactory(community=jia, birth_date=born(17))  # 17 on the day
    ResidentFactory(community=jia, birth_date=born(18, days_after_birthday=-1))  # 18 the day after
    ResidentFactory(community=jia, birth_date=born(50), living=Living.AWAY)
    for _ in range(5):
        ResidentFactory(community=yi, birth_date=born(30))
    main_jia = certified(jia, mode=Mode.DIRECT, registered=8, issued=7, returned=6,
                         positions=[("director", "主任", 1, ["张一"]), ("member", "委员", 2, ["李二", "王三"])],
                         candidates={"张一": ("F", zhang), "李二": ("M", li), "王三": ("F", wang)})
    term = TermFactory(community=jia, number=5)
    MemberFactory(term=term, name="张一", position="director", party_post=PartyPost.SECRETARY)
    MemberFactory(term=term, name="李二", position="member", party_post=PartyPost.MEMBER)
    MemberFactory(term=term, name="王三", position="member")
    main_jia.term = term
    main_jia.save()
    main_yi = certified(yi, mode=Mode.HOUSEHOLD, registered=4, issued=4, returned=3,
                        positions=[("director", "主任", 1, ["赵四"]), ("member", "委员", 2, ["钱五"])],
                        candidates={"赵四": ("M", None), "钱五": ("F", None)})
    certified(yi, mode=Mode.HOUSEHOLD, registered=4, issued=3, returned=3, kind=ElectionKind.FURTHER,
              parent=main_yi.election, day=DAY + datetime.timedelta(days=20),
              positions=[("member", "委员", 1, ["孙六"])], candidates={"孙六": ("F", None)})
    ElectionFactory(community=bing)  # being prepared: not in the report
    return jia.street


def test_it_computes_each_communitys_figures_from_the_certified_results(street_of_three):
    report = election_report(street=street_of_three, year=2024)
    jia, yi = report.rows
    assert [c.name for c in report.missing] == ["丙社区"]
    assert (jia.adults, jia.registered, jia.returned) == (10, 8, 6)
    assert jia.registration_rate == 0.8 and jia.turnout == 0.75
    assert (jia.seats, jia.elected_count, jia.women, jia.party, jia.college, jia.minority) == (3, 3, 2, 2, 2, 1)
    assert (jia.young, jia.old, round(jia.average_age, 1)) == (1, 1, 46.3)
    assert (jia.cross, jia.one_shoulder, jia.term_members) == (2, 1, 3)
    assert (yi.adults, yi.registered, yi.returned, yi.turnout) == (5, 4, 3, 0.75)
    assert yi.mode == "户代表选举" and yi.direct_share == 0
    assert [p.name for p in yi.elected] == ["赵四", "钱五", "孙六"]
    assert (yi.further_rounds, yi.unfilled, yi.women, yi.unrecorded) == (1, 0, 2, 3)
    assert yi.cross is None  # not handed over yet: no roster to say it


def test_it_adds_up_the_street(street_of_three):
    total = election_report(street=street_of_three, year=2024).total
    assert (total.certified, total.direct, total.direct_share) == (2, 1, 0.5)
    assert (total.adults, total.registered, total.returned) == (15, 12, 9)
    assert total.registration_rate == 0.8 and total.turnout == 0.75
    assert (total.seats, total.elected_count, total.women, total.party, total.college) == (6, 6, 4, 2, 2)
    assert (total.cross, total.one_shoulder, total.further_rounds, total.unfilled) == (2, 1, 1, 0)


def test_it_counts_no_result_of_another_year(street_of_three):
    report = election_report(street=street_of_three, year=2021)
    assert report.rows == [] and len(report.missing) == 3
    assert report.years == [2024]


def test_it_runs_the_same_queries_for_more_communities(street_of_three):
    with CaptureQueriesContext(connection) as three:
        election_report(street=street_of_three, year=2024)
    more = CommunityFactory(name="丁社区", street=street_of_three)
    ResidentFactory(community=more, birth_date=born(30))
    certified(more, mode=Mode.DIRECT, registered=1, issued=1, returned=1,
              positions=[("director", "主任", 1, ["周七"])], candidates={"周七": ("M", None)})
    with CaptureQueriesContext(connection) as four:
        report = election_report(street=street_of_three, year=2024)
    assert len(report.rows) == 3
    assert len(four) == len(three)


def test_it_writes_the_report_table_to_xlsx(street_of_three):
    data = report_workbook(election_report(street=street_of_three, year=2024))
    sheet = load_workbook(io.BytesIO(data)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert "2024年社区居民委员会换届选举情况统计表" in rows[0][0]
    assert rows[1][:3] == ("社区", "选举方式", "选民登记")
    assert rows[2][2:9] == ("18岁以上居民", "登记选民", "登记率", "发出选票", "参加投票", "投票率", "直选比例")
    assert rows[3][:8] == ("甲社区", "直接选举", 10, 8, "80.0%", 7, 6, "75.0%")
    total = rows[5]
    assert total[:9] == ("合计", None, 15, 12, "80.0%", 11, 9, "75.0%", "50%")
    assert total[headers(rows).index("女性")] == "4（67%）"
    assert total[headers(rows).index("交叉任职")] == "2（67%）"
    assert "丙社区" in rows[-1][0]


def headers(rows) -> list:
    return [None, None, *rows[2][2:]]


def test_the_pages_are_for_street_staff_only(street_of_three, client, login):
    url = "/elections/street/?year=2024"
    assert client.get(url)["Location"].startswith("/accounts/login/")
    assert login(committee_of(street_of_three.communities.first())).get(url).status_code == 403
    staff = login(staff_of(street_of_three))
    page = staff.get(url)
    assert page.status_code == 200
    text = page.content.decode()
    assert "甲社区" in text and "80.0%" in text and "<svg" in text and "尚无已确认结果的社区" in text
    xlsx = staff.get("/elections/street/report.xlsx?year=2024")
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")


def test_another_streets_staff_see_only_their_own_street(street_of_three, login):
    other = CommunityFactory(name="外街社区")
    page = login(staff_of(other.street)).get("/elections/street/?year=2024")
    assert "甲社区" not in page.content.decode()
    assert login(staff_of(other.street)).get(f"/elections/street/?street={street_of_three.pk}").status_code == 404


def test_the_pdf_holds_the_figures(street_of_three, login, tmp_path):
    response = login(staff_of(street_of_three)).get("/elections/street/report.pdf?year=2024")
    assert response["Content-Type"] == "application/pdf"
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(response.content)
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout
    assert "甲社区" in text and "乙社区" in text
    assert "80.0%" in text and "75.0%" in text
    assert "各社区投票率" in text  # the chart's caption; its bars are drawn, not text
