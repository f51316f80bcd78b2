"""The public notice board (居务公开栏): no login, nothing personal, fast on a phone."""

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lib.pdf import paper, render_pdf
from lib.web import pdf_response
from org import throttle
from org.models import Community

from . import services
from .forms import FeedbackForm, feedback_token, spend_feedback_token
from .models import Attachment, Category, Item, Status
from .views import attachment_response

# At most this many feedback posts per client address per hour (counted in the database, for every worker).
FEEDBACK_PER_HOUR = 5
_FEEDBACK_SCOPE = "feedback-address"


def _community(code: str) -> Community:
    return get_object_or_404(Community.objects.select_related("street"), code=code)


def _published(community: Community):
    return Item.objects.filter(community=community, status=Status.PUBLISHED)


def board_index(request):
    communities = Community.objects.select_related("street").order_by("street__name", "code")
    return render(request, "disclosure/board_index.html", {"communities": communities})


def board(request, code: str):
    community = _community(code)
    items = list(services.current_board(community=community))
    order = {value: index for index, value in enumerate(Category.values)}
    sections = {}
    for item in sorted(items, key=lambda i: order[i.category]):
        sections.setdefault(item.category, []).append(item)
    years = sorted(_published(community).exclude(archive_year=None).values_list("archive_year", flat=True)
                   .distinct().order_by(), reverse=True)
    latest = items and max(items, key=lambda i: i.published_at).published_at
    return render(request, "disclosure/board.html", {
        "community": community, "sections": [(Category(c).label, rows) for c, rows in sections.items()],
        "years": years, "latest": latest and timezone.localtime(latest),
    })


def item_page(request, code: str, pk: int):
    community = _community(code)
    item = get_object_or_404(_published(community).select_related("corrects"), pk=pk)
    answered = [{"text": services.redact(f.text), "answer": services.redact(f.answer), "received_at": f.received_at,
                 "answered_at": f.answered_at}
                for f in item.feedback.filter(answered_at__isnull=False).order_by("received_at")]
    return render(request, "disclosure/board_item.html", {
        "community": community, "item": item, "attachments": item.attachments.all(), "answered": answered,
        "corrections": _published(community).filter(corrects=item).order_by("published_at"),
        "form": FeedbackForm(initial={"token": feedback_token()}), "sent": request.GET.get("sent") == "1",
    })


@require_POST
def feedback(request, code: str, pk: int):
    community = _community(code)
    item = get_object_or_404(_published(community), pk=pk)
    address = throttle.client_address(request) or ""
    form = FeedbackForm(request.POST)
    # A look without counting first, so that a flood costs no validation; what holds is the hit() below.
    if throttle.peek(scope=_FEEDBACK_SCOPE, key=address) >= FEEDBACK_PER_HOUR:
        form.is_valid()
        return _too_many(request, community, item, form)
    if form.is_valid():
        if not spend_feedback_token(form.cleaned_data["token"]):
            form.add_error(None, _("这份表单已经提交过，不能再次提交。如需再提意见，请重新填写。"))
        elif throttle.hit(scope=_FEEDBACK_SCOPE, key=address, window=timedelta(hours=1)) > FEEDBACK_PER_HOUR:
            return _too_many(request, community, item, form)
        else:
            try:
                services.leave_feedback(item=item, text=form.cleaned_data["text"], name=form.cleaned_data["name"],
                                        contact=form.cleaned_data["contact"])
            except ValidationError as error:
                throttle.forgive(scope=_FEEDBACK_SCOPE, key=address)
                form.add_error(None, error)
            else:
                return redirect(f"{item_url(item)}?sent=1#feedback")
    return _item_with_form(request, community, item, form, status=400)


def _too_many(request, community, item, form):
    form.add_error(None, _("提交过于频繁，请一小时后再试。"))
    return _item_with_form(request, community, item, form, status=429)


def _item_with_form(request, community, item, form, *, status):
    form.data = form.data.copy()
    form.data["token"] = feedback_token()
    response = render(request, "disclosure/board_item.html", {
        "community": community, "item": item, "attachments": item.attachments.all(), "answered": [],
        "corrections": [], "form": form,
    }, status=status)
    return response


def item_url(item: Item) -> str:
    return reverse("board:item", args=[item.community.code, item.pk])


def attachment(request, code: str, pk: int, attachment_pk: int):
    community = _community(code)
    item = get_object_or_404(_published(community), pk=pk)
    return attachment_response(get_object_or_404(Attachment, item=item, pk=attachment_pk))


def archive(request, code: str, year: int):
    community = _community(code)
    items = _published(community).filter(archive_year=year).order_by("published_at", "id")
    page = Paginator(items, 50).get_page(request.GET.get("page"))
    years = sorted(_published(community).exclude(archive_year=None).values_list("archive_year", flat=True)
                   .distinct().order_by(), reverse=True)
    return render(request, "disclosure/board_archive.html", {
        "community": community, "year": year, "page": page, "years": years,
    })


@paper
def poster(request, code: str, year: int, month: int):
    if not 1 <= month <= 12 or not 2000 <= year <= 2100:
        raise Http404
    community = _community(code)
    items = list(services.published_in_month(community=community, year=year, month=month))
    if not items:
        raise Http404(_("该月没有公开事项"))
    pdf = render_pdf("disclosure/poster.html", {
        "issuer": _("%(community)s居民委员会") % {"community": community.name},
        "title": _("居务公开栏（%(year)s年%(month)s月）") % {"year": year, "month": month},
        "doc_number": "", "date": timezone.localtime(items[0].published_at).date(), "items": items,
        "community": community,
    })
    return pdf_response(pdf, f"{community.code}-{year}-{month:02d}.pdf")
