"""street_report: the street staff's start page (registry, compliance, election summary with charts) and the
street's election report page, XLSX and PDF over the street-scale demo (10 communities, 100,000 residents),
in-process through Django's test client; median of 5 requests each. Then the query count of the figures for 3, 6
and 10 communities, which must be the same."""

from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from committee.statistics import street_compliance as committee_compliance
from disclosure.statistics import street_compliance as disclosure_compliance
from elections.models import Certification
from elections.statistics import election_report
from org.models import Community
from residents.statistics import registry

from .timing import median_of

TARGET_S = 1.0


def _queries(func) -> int:
    with CaptureQueriesContext(connection) as captured:
        func()
    return len(captured)


def _figures(communities) -> None:
    today = timezone.localdate()
    election_report(street=communities[0].street, communities=communities)
    registry(communities=communities, year=today.year, today=today)
    committee_compliance(communities=communities, year=today.year, today=today)
    disclosure_compliance(communities=communities, year=today.year, today=today)


def run(*, quick: bool) -> dict:
    client = Client()
    client.force_login(get_user_model().objects.get(username="jiedao"))
    repeat = 3 if quick else 5
    timings = {}
    for name, url in (("start_page", "/"), ("report_page", "/elections/street/?year=all"),
                      ("report_xlsx", "/elections/street/report.xlsx?year=all"),
                      ("report_pdf", "/elections/street/report.pdf?year=all")):
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        timings[name] = round(median_of(lambda url=url: client.get(url), repeat=repeat, warmup=1), 3)
    with CaptureQueriesContext(connection) as captured:
        client.get("/")
    # The community with the certified election first, so that every slice has one: the count must not grow with
    # the communities, while an empty slice would skip the queries of what it does not have.
    certified = set(Certification.objects.filter(certified_at__isnull=False).values_list(
        "election__community_id", flat=True))
    communities = sorted(Community.objects.select_related("street"), key=lambda c: (c.pk not in certified, c.code))
    queries = {n: _queries(lambda n=n: _figures(communities[:n])) for n in (3, 6, len(communities))}
    report = election_report(street=communities[0].street, communities=communities)
    return {"value": timings["start_page"], "unit": "s", "target": TARGET_S,
            **{f"{k}_s": v for k, v in timings.items()},
            "start_page_queries": len(captured), "figure_queries_by_communities": queries,
            "communities": len(communities), "certified": len(report.rows),
            "ok": max(timings["start_page"], timings["report_page"]) <= TARGET_S and len(set(queries.values())) == 1}
