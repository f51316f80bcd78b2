"""The street's election report for street staff: the page, its XLSX and its A4 PDF (docs/commands.md)."""

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from lib.pdf import paper, render_pdf
from lib.web import pdf_response
from org.access import STREET, get_street, staff_required, street_ids

from .. import statistics


def _report(request) -> statistics.Report:
    """The report of the street named by ?street= (one the user serves; the first by default) and ?year=
    (the latest year with a certified result by default; ?year=all for each community's latest)."""
    served = sorted(street_ids(request.user))
    try:
        street = get_street(request.user, int(request.GET.get("street") or served[0]))
    except (ValueError, IndexError):
        raise Http404 from None
    chosen = request.GET.get("year", "")
    if chosen == "all":
        year = None
    elif chosen.isdigit():
        year = int(chosen)
    else:
        years = statistics.report_years(street=street)
        year = years[0] if years else None
    return statistics.election_report(street=street, year=year)


def _context(report: statistics.Report) -> dict:
    return {"report": report, "table": statistics.report_table(report), "title": statistics.report_title(report),
            "target": statistics.percent(statistics.DIRECT_TARGET), "date": timezone.localdate(),
            "issuer": report.street.name}


@staff_required(roles=STREET)
def report(request):
    return render(request, "elections/street_report.html", _context(_report(request)))


@staff_required(roles=STREET)
def report_xlsx(request):
    found = _report(request)
    response = HttpResponse(statistics.report_workbook(found),
                            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="street-elections-{found.year or "latest"}.xlsx"'
    return response


@staff_required(roles=STREET)
@paper
def report_pdf(request):
    found = _report(request)
    return pdf_response(render_pdf("elections/pdf/street_report.html", _context(found)),
                        f'street-elections-{found.year or "latest"}.pdf')
