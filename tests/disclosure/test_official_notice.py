import pytest

from disclosure import services
from disclosure.models import Category, PublishedItemImmutable, Status
from tests.residents.factories import ResidentFactory

pytestmark = pytest.mark.django_db


def test_it_publishes_an_official_notice_at_once(community, committee_user):
    source = ResidentFactory(community=community)
    item = services.post_official_notice(community=community, title="选举结果公告",
                                         body="<p>当选：张伟</p><script>x</script>", source=source,
                                         user=committee_user)
    item.refresh_from_db()
    assert item.status == Status.PUBLISHED and item.category == Category.ELECTION
    assert item.published_at is not None and item.official_notice
    assert item.source == source
    assert "<script>" not in item.body and "当选：张伟" in item.body


def test_it_refuses_to_change_an_official_notice(community):
    item = services.post_official_notice(community=community, title="选举结果公告", body="<p>x</p>")
    item.title = "改过"
    with pytest.raises(PublishedItemImmutable):
        item.save()
