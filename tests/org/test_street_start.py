import pytest

from tests.factories import CommunityFactory, committee_of, staff_of
from tests.residents.factories import ResidentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_communities(street):
    first = CommunityFactory(street=street, name="东社区", code="DONG")
    second = CommunityFactory(street=street, name="西社区", code="XI")
    ResidentFactory(community=first)
    ResidentFactory(community=second)
    ResidentFactory(community=second)
    return first, second


def test_street_staff_start_at_the_whole_street(two_communities, login):
    street = two_communities[0].street
    page = login(staff_of(street)).get("/").content.decode()
    assert "东社区" in page and "西社区" in page and "规范运行" in page and "居民情况" in page
    assert '<option value="*" selected' in page
    assert "换届选举" in page


def test_the_switcher_narrows_the_start_page_and_widens_it_again(two_communities, login):
    first, second = two_communities
    client = login(staff_of(first.street))
    client.post("/switch/", {"community": second.code, "next": "/"})
    narrowed = client.get("/").content.decode()
    assert "西社区" in narrowed and "全街道 2 个社区" not in narrowed
    assert '<option value="*" selected' not in narrowed
    client.post("/switch/", {"community": "*"})
    assert "全街道 2 个社区" in client.get("/").content.decode()


def test_committee_members_keep_their_own_start_page(two_communities, login):
    page = login(committee_of(two_communities[0])).get("/").content.decode()
    assert "规范运行" not in page and "我的社区" in page


def test_the_street_pdf_is_for_street_staff(two_communities, login, client):
    first = two_communities[0]
    assert client.get("/street.pdf")["Location"].startswith("/accounts/login/")
    assert login(committee_of(first)).get("/street.pdf").status_code == 403
    response = login(staff_of(first.street)).get("/street.pdf")
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
