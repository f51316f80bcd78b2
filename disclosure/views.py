"""Staff pages of disclosure: drafting, review and signature, scheduling, feedback, requests, the calendar."""

import datetime

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from committee.forms import MemberAccountForm
from committee.models import Term
from lib.web import act, messages_for
from org.access import (
    ANY_ROLE,
    COMMITTEE,
    STAFF,
    STREET,
    SUPERVISION,
    community_ids,
    current_community,
    get_community,
    get_scoped,
    get_street,
    staff_required,
    street_ids,
)
from org.models import Community
from residents.models import Resident

from . import services
from .forms import AnswerForm, AttachmentForm, ItemForm, RequestForm, ReturnForm, SupervisionForm, WithdrawForm
from .models import Attachment, Feedback, Item, Status, SupervisionGroup, SupervisionMember

ITEMS = Item.objects.select_related("community", "community__street")


# The calendar pages link a month back and forth; outside these years there is nothing to show, and
# year 1 or 9999 would step off the calendar (datetime has no year 0 or 10000).
MONTH_YEARS = range(1990, 2101)


def _month(request) -> datetime.date:
    """The month asked for with ?month=2024-03, else this month."""
    try:
        month = datetime.datetime.strptime(request.GET.get("month", ""), "%Y-%m").date()
    except ValueError:
        month = None
    if month is None or month.year not in MONTH_YEARS:
        return timezone.localdate().replace(day=1)
    return month


@staff_required
def index(request):
    community = current_community(request)
    if community is None:
        raise PermissionDenied
    today = timezone.localdate()
    month = _month(request)
    open_items = list(Item.objects.filter(community=community).exclude(status=Status.PUBLISHED)
                      .order_by("status", "-created_at"))
    by_status = [(label, [i for i in open_items if i.status == value])
                 for value, label in Status.choices if value != Status.PUBLISHED]
    published = Item.objects.filter(community=community, status=Status.PUBLISHED).order_by("-published_at")[:20]
    calendar = services.due_calendar(communities=[community], month=month, today=today)[community.pk]
    return render(request, "disclosure/index.html", {
        "community": community, "by_status": by_status, "published": published, "calendar": calendar,
        "month": month, "previous_month": services.add_months(month, -1), "next_month": services.add_months(month, 1),
        "unanswered": services.unanswered_feedback(communities=[community]).count(),
        "can_draft": community.pk in community_ids(request.user, COMMITTEE),
    })


@staff_required(roles=STREET)
def street_calendar(request, street_pk: int):
    street = get_street(request.user, street_pk)
    month = _month(request)
    communities = list(Community.objects.filter(street=street).select_related("street").order_by("code"))
    calendar = services.due_calendar(communities=communities, month=month, today=timezone.localdate())
    rows = [(c, calendar[c.pk]) for c in communities]
    return render(request, "disclosure/street_calendar.html", {
        "street": street, "rows": rows, "month": month,
        "previous_month": services.add_months(month, -1), "next_month": services.add_months(month, 1),
    })


@staff_required(roles=STREET)
def my_street_calendar(request):
    ids = sorted(street_ids(request.user))
    if not ids:
        raise PermissionDenied
    return redirect("disclosure:street_calendar", street_pk=ids[0])


@staff_required
def item_detail(request, pk: int):
    item = get_scoped(ITEMS.select_related("corrects", "signed_by"), request.user, pk=pk)
    return _detail(request, item)


def _detail(request, item: Item, *, withdraw_form: WithdrawForm | None = None, status: int = 200):
    roles = {
        "committee": item.community_id in community_ids(request.user, COMMITTEE),
        "supervision": item.community_id in community_ids(request.user, SUPERVISION),
        "staff": item.community_id in community_ids(request.user, STAFF),
    }
    # What the reviewer must see before signing: each piece of personal data marked in its context.
    findings = services.personal_data_in(item) if item.status != Status.PUBLISHED else {}
    return render(request, "disclosure/item_detail.html", {
        "item": item, "roles": roles, "attachments": item.attachments.all(),
        "feedback": item.feedback.select_related("answered_by"), "return_form": ReturnForm(),
        "attachment_form": AttachmentForm(), "corrections": item.corrections.all(),
        "withdraw_form": withdraw_form or WithdrawForm(),
        "findings": [f for rows in findings.values() for f in rows],
        "leader_name": services.supervision_leader_name(user=request.user, community=item.community),
    }, status=status)


@staff_required(roles=COMMITTEE)
def item_create(request, code: str):
    community = get_community(request.user, code, roles=COMMITTEE)
    form = ItemForm(request.POST or None, initial=_initial(request))
    if request.method == "POST" and form.is_valid():
        try:
            item = services.create_item(community=community, user=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("草稿已保存。"))
            return redirect("disclosure:item", pk=item.pk)
    return render(request, "disclosure/item_form.html", {"form": form, "community": community})


def _initial(request) -> dict:
    """Prefill from the due calendar's link (?category=finances&start=2024-03-01&end=2024-03-31)."""
    initial = {}
    for key, field in (("category", "category"), ("start", "period_start"), ("end", "period_end")):
        if request.GET.get(key):
            initial[field] = request.GET[key]
    return initial


@staff_required(roles=COMMITTEE)
def item_edit(request, pk: int):
    item = get_scoped(ITEMS, request.user, roles=COMMITTEE, pk=pk)
    if item.status != Status.DRAFT:
        messages.error(request, _("只有草稿可以修改；已公开的事项请发布更正。"))
        return redirect("disclosure:item", pk=item.pk)
    form = ItemForm(request.POST or None, instance=item)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_item(item=item, user=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("草稿已保存。"))
            return redirect("disclosure:item", pk=item.pk)
    return render(request, "disclosure/item_form.html", {"form": form, "community": item.community, "item": item})


def _item_act(request, pk: int, roles, action, done: str, **kwargs):
    """Load the item through the access layer, run one service on it, back to the item's page."""
    item = get_scoped(ITEMS, request.user, roles=roles, pk=pk)
    return act(request, reverse("disclosure:item", args=[item.pk]),
               lambda: action(item=item, user=request.user, **kwargs), done)


@require_POST
@staff_required(roles=COMMITTEE)
def item_submit(request, pk: int):
    return _item_act(request, pk, COMMITTEE, services.submit_item, _("已提交居务监督小组审核。"))


@require_POST
@staff_required(roles=SUPERVISION)
def item_sign(request, pk: int):
    return _item_act(request, pk, SUPERVISION, services.sign_item, _("已签字。"))


@require_POST
@staff_required(roles=SUPERVISION)
def item_return(request, pk: int):
    form = ReturnForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请写明退回意见。"))
        return redirect("disclosure:item", pk=pk)
    return _item_act(request, pk, SUPERVISION, services.return_item, _("已退回居委会。"),
                     comments=form.cleaned_data["comments"])


@require_POST
@staff_required(roles=COMMITTEE)
def item_schedule(request, pk: int):
    return _item_act(request, pk, COMMITTEE, services.schedule_item, _("已排入下一期公开栏（每月10日）。"))


@require_POST
@staff_required(roles=STAFF)
def item_withdraw(request, pk: int):
    item = get_scoped(ITEMS, request.user, roles=STAFF, pk=pk)
    form = WithdrawForm(request.POST)
    if form.is_valid():
        try:
            services.withdraw_item(item=item, user=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("已撤回，事项退回草稿，修改后须重新提交监督小组审核。"))
            return redirect("disclosure:item", pk=pk)
    return _detail(request, item, withdraw_form=form, status=400)


@require_POST
@staff_required(roles=COMMITTEE)
def item_delete(request, pk: int):
    item = get_scoped(ITEMS, request.user, roles=COMMITTEE, pk=pk)
    try:
        services.delete_draft(item=item, user=request.user)
    except ValidationError as error:
        messages_for(request, error)
        return redirect("disclosure:item", pk=pk)
    messages.success(request, _("草稿已删除。"))
    return redirect("disclosure:index")


@require_POST
@staff_required(roles=COMMITTEE)
def item_correct(request, pk: int):
    item = get_scoped(ITEMS, request.user, roles=COMMITTEE, pk=pk)
    try:
        correction = services.correct_item(item=item, user=request.user)
    except ValidationError as error:
        messages_for(request, error)
        return redirect("disclosure:item", pk=pk)
    messages.success(request, _("已生成更正草稿。"))
    return redirect("disclosure:item_edit", pk=correction.pk)


@require_POST
@staff_required(roles=COMMITTEE)
def attachment_add(request, pk: int):
    item = get_scoped(ITEMS, request.user, roles=COMMITTEE, pk=pk)
    form = AttachmentForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("请选择文件。"))
        return redirect("disclosure:item", pk=pk)
    try:
        services.add_attachment(item=item, upload=form.cleaned_data["file"], user=request.user)
    except ValidationError as error:
        messages_for(request, error)
    else:
        messages.success(request, _("附件已上传。"))
    return redirect("disclosure:item", pk=pk)


@staff_required
def attachment_download(request, pk: int):
    attachment = get_scoped(Attachment.objects.select_related("item"), request.user, path="item__community", pk=pk)
    return attachment_response(attachment)


def attachment_response(attachment: Attachment) -> FileResponse:
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError as missing:
        raise Http404 from missing
    response = FileResponse(handle, content_type=attachment.content_type, filename=attachment.name)
    response["Content-Disposition"] = response["Content-Disposition"].replace("attachment", "inline")
    return response


@staff_required
def feedback_list(request):
    community = current_community(request)
    if community is None:
        raise PermissionDenied
    show = request.GET.get("show", "open")
    feedback = Feedback.objects.filter(item__community=community).select_related("item", "answered_by")
    if show == "open":
        feedback = feedback.filter(answered_at__isnull=True)
    return render(request, "disclosure/feedback_list.html", {
        "community": community, "feedback": feedback.order_by("-received_at")[:200], "show": show,
        "answer_form": AnswerForm(), "can_answer": community.pk in community_ids(request.user, COMMITTEE),
        "can_mark": community.pk in community_ids(request.user, SUPERVISION),
    })


@require_POST
@staff_required(roles=COMMITTEE)
def feedback_answer(request, pk: int):
    feedback = get_scoped(Feedback.objects.select_related("item"), request.user, roles=COMMITTEE,
                          path="item__community", pk=pk)
    form = AnswerForm(request.POST)
    if form.is_valid():
        try:
            services.answer_feedback(feedback=feedback, user=request.user, answer=form.cleaned_data["answer"])
        except ValidationError as error:
            messages_for(request, error)
        else:
            messages.success(request, _("已答复，答复将显示在公开栏该事项下。"))
    else:
        messages.error(request, _("请填写答复。"))
    return redirect("disclosure:feedback")


@require_POST
@staff_required(roles=SUPERVISION)
def feedback_seen(request, pk: int):
    feedback = get_scoped(Feedback.objects.select_related("item"), request.user, roles=SUPERVISION,
                          path="item__community", pk=pk)
    services.mark_feedback_seen(feedback=feedback, user=request.user)
    return redirect("disclosure:feedback")


@staff_required(roles=COMMITTEE)
def request_create(request, code: str):
    community = get_community(request.user, code, roles=COMMITTEE)
    form = RequestForm(request.POST or None, initial={"filed_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            services.record_request(community=community, user=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("已登记，该事项列入应公开清单。"))
            return redirect("disclosure:index")
    requests = community.disclosure_requests.all()[:50]
    return render(request, "disclosure/request_form.html", {"form": form, "community": community,
                                                            "requests": requests})


@staff_required
def supervision(request, code: str):
    community = get_community(request.user, code, roles=ANY_ROLE)
    groups = (SupervisionGroup.objects.filter(community=community).select_related("term")
              .prefetch_related("members__user"))
    return render(request, "disclosure/supervision.html", {
        "community": community, "groups": groups,
        "can_elect": community.pk in community_ids(request.user, COMMITTEE),
        "street_staff": community.pk in community_ids(request.user, STREET),
        "account_form": MemberAccountForm(),
    })


@require_POST
@staff_required(roles=STREET)
def supervision_account(request, pk: int):
    """Street staff open a supervision member's login from the seat (the seat's resident record is the person)."""
    seat = get_scoped(SupervisionMember.objects.select_related("group__community"), request.user, roles=STREET,
                      path="group__community", pk=pk)
    form = MemberAccountForm(request.POST)
    if not form.is_valid():
        messages_for(request, ValidationError(form.errors))
    else:
        try:
            services.open_supervision_account(by=request.user, street_ids=street_ids(request.user), seat=seat,
                                              username=form.cleaned_data["username"],
                                              password=form.cleaned_data["password1"])
        except ValidationError as error:
            messages_for(request, error)
        else:
            messages.success(request, _("已开设登录账户，请把初始密码当面告知本人"))
    return redirect("disclosure:supervision", code=seat.group.community.code)


@staff_required(roles=COMMITTEE)
def supervision_elect(request, code: str):
    community = get_community(request.user, code, roles=COMMITTEE)
    term = Term.objects.filter(community=community).order_by("-number").first()
    form = SupervisionForm(request.POST or None)
    if term is None:
        messages.error(request, _("尚无本届居委会，请先登记届次。"))
        return redirect("disclosure:supervision", code=code)
    if request.method == "POST" and form.is_valid():
        numbers = form.id_numbers()
        found = {r.id_number: r for r in Resident.objects.filter(community=community, id_number__in=numbers)}
        missing = [_("第 %(number)s 人 身份证号: 本社区无此居民") % {"number": i}
                   for i, n in enumerate(numbers, 1) if n not in found]
        try:
            if missing:
                raise ValidationError(missing)
            nominees = [services.Nominee(resident=found[n], is_leader=(i == 0)) for i, n in enumerate(numbers)]
            services.elect_supervision_group(term=term, elected_on=form.cleaned_data["elected_on"],
                                             nominees=nominees, user=request.user)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("居务监督小组已登记。"))
            return redirect("disclosure:supervision", code=code)
    return render(request, "disclosure/supervision_form.html", {"form": form, "community": community, "term": term})

