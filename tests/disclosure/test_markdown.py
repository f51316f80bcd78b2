"""The editor takes Markdown (paragraphs, pipe tables), sanitised as before; items written in HTML keep rendering."""

import datetime

import pytest
from django.urls import reverse

from disclosure import services
from disclosure.models import Category

from .factories import ItemFactory

pytestmark = pytest.mark.django_db

ACCOUNTS = """2024年3月社区经费收支情况如下：
单位：元

| 摘要 | 收入（元） | 支出（元） |
| --- | ---: | ---: |
| 上级拨付办公经费 | 10000 |  |
| **合计** | 10000 | 0 |

<script>alert(1)</script>"""


def create(community, body):
    return services.create_item(community=community, category=Category.FINANCES, title="2024年3月社区经费收支公开",
                                period_start=datetime.date(2024, 3, 1), period_end=datetime.date(2024, 3, 31),
                                body=body)


def test_it_renders_paragraphs_and_tables_from_markdown(community):
    item = create(community, ACCOUNTS)
    assert item.body.startswith("<p>2024年3月社区经费收支情况如下：<br>\n单位：元</p>")
    assert "<th>摘要</th>" in item.body and "<td>上级拨付办公经费</td>" in item.body
    assert "<strong>合计</strong>" in item.body
    assert "script" not in item.body and "style" not in item.body
    assert item.body_source == ACCOUNTS


def test_it_keeps_an_html_item_rendering_and_edits_it_as_it_was(login, community, committee_user):
    html = "<table><tr><th>项目</th><th>金额（元）</th></tr><tr><td>办公经费</td><td>1200.00</td></tr></table>"
    item = ItemFactory(community=community, body=html)  # written before Markdown: no source
    client = login(committee_user)
    assert html in client.get(reverse("disclosure:item", args=[item.pk])).content.decode()
    form = client.get(reverse("disclosure:item_edit", args=[item.pk])).content.decode()
    assert "&lt;table&gt;&lt;tr&gt;&lt;th&gt;项目" in form
    services.update_item(item=item, title=item.title, period_start=item.period_start, period_end=item.period_end,
                         body=html)
    item.refresh_from_db()
    assert item.body == services.sanitize_html(html)  # what saving it did before Markdown, too


def test_it_saves_a_markdown_table_through_the_page(login, community, committee_user):
    response = login(committee_user).post(reverse("disclosure:item_create", args=[community.code]), {
        "category": Category.FINANCES, "title": "2024年3月社区经费收支公开", "period_start": "2024-03-01",
        "period_end": "2024-03-31", "body": ACCOUNTS}, follow=True)
    assert "<td>上级拨付办公经费</td>" in response.content.decode()
