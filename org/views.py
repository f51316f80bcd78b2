import base64

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import SetPasswordForm
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import connection
from django.db.models import Q
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp.util import random_hex
from simple_history.models import registered_models

from lib.pdf import paper, render_pdf
from lib.web import messages_for, on_form, pdf_response

from . import dashboard, services, street
from .access import (
    SESSION_KEY,
    STREET,
    get_community,
    roles_of,
    second_factor_required,
    staff_required,
    street_ids,
    visible_communities,
)
from .forms import AccountForm, EndMembershipForm, MembershipForm, SwitchCommunityForm, TotpConfirmForm
from .models import AccountEvent, Job, Membership, SensitiveAccess, StreetOffice


@never_cache
def healthz(request):
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return HttpResponse("ok", content_type="text/plain")


def _street_scope(request):
    """Street staff's start page: every community of their streets, or the one chosen with the switcher."""
    communities = list(visible_communities(request.user, STREET).order_by("street_id", "code"))
    chosen = [c for c in communities if c.pk == request.session.get(SESSION_KEY)]
    return (chosen or communities), bool(chosen)


def _year(request) -> int:
    chosen = request.GET.get("year", "")
    return int(chosen) if chosen.isdigit() and 2000 <= int(chosen) <= 2100 else timezone.localdate().year


def _street_context(request) -> dict:
    """The street's figures (org/street.py: the apps' sections and compliance columns) for the scope."""
    communities, narrowed = _street_scope(request)
    year, today = _year(request), timezone.localdate()
    compliance = street.compliance_for(communities=communities, year=year, today=today)
    return {"scope": communities, "narrowed": narrowed, "year": year, "today": today,
            "sections": [{"title": section.title, "html": render_to_string(section.template, section.context)}
                         for section in street.sections_for(communities=communities, year=year, today=today)],
            "compliance": compliance, "compliance_rows": compliance.rows(communities),
            "streets": sorted({c.street.name for c in communities})}


@staff_required
def home(request):
    """The start page: what needs doing; for street staff also the figures of the whole street (or of the
    community chosen with the switcher)."""
    if STREET & roles_of(request.user):
        context = _street_context(request)
        todos = dashboard.todos_for(user=request.user, communities=context["scope"])
        return render(request, "org/dashboard.html", {**context, "todos": todos, "communities": context["scope"],
                                                      "switcher_street": not context["narrowed"]})
    communities = visible_communities(request.user)
    todos = dashboard.todos_for(user=request.user, communities=communities)
    return render(request, "org/dashboard.html", {"todos": todos, "communities": communities})


@staff_required(roles=STREET)
@paper
def street_pdf(request):
    """The street's figures (registry, compliance, election summary) as an A4 PDF."""
    context = _street_context(request)
    title = _("%(street)s %(year)s年社区工作统计") % {"street": "、".join(context["streets"]), "year": context["year"]}
    pdf = render_pdf("org/pdf/street.html", {**context, "title": title, "issuer": "、".join(context["streets"]),
                                             "date": context["today"]})
    return pdf_response(pdf, f'street-{context["year"]}.pdf')


WHOLE_STREET = "*"  # the switcher's choice of every community (street staff's start page)


@require_POST
@staff_required
def switch_community(request):
    form = SwitchCommunityForm(request.POST)
    if not form.is_valid():
        raise Http404  # names no community
    code = form.cleaned_data["community"]
    if code == WHOLE_STREET and STREET & roles_of(request.user):
        request.session.pop(SESSION_KEY, None)
        # The other pages show one community each: the whole street is seen on the start page.
        return redirect("dashboard")
    community = get_community(request.user, code)
    request.session[SESSION_KEY] = community.pk
    target = form.cleaned_data["next"]
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = "dashboard"
    return redirect(target)


def _audited_models():
    """History models that know their way to a street (`audit_street_path` on the audited model)."""
    found = {}
    for model in registered_models.values():
        path = getattr(model, "audit_street_path", None)
        if path:
            found[model._meta.label_lower] = (model, model.history.model, path)
    return dict(sorted(found.items(), key=lambda item: str(item[1][0]._meta.verbose_name)))


@staff_required(roles=STREET)
def audit_log(request):
    audited = _audited_models()
    chosen = request.GET.get("model") or next(iter(audited), "")
    if chosen not in audited:
        raise Http404
    model, history_model, path = audited[chosen]
    records = (
        history_model.objects.filter(**{f"{path}__in": street_ids(request.user)})
        .select_related("history_user")
        .order_by("-history_date", "-history_id")
    )
    page = Paginator(records, 50).get_page(request.GET.get("page"))
    rows = []
    for record in page:
        previous = record.prev_record
        changes = record.diff_against(previous).changes if previous else []
        rows.append({"record": record, "changes": changes})
    return render(request, "org/audit.html", {
        "models": [(label, m._meta.verbose_name) for label, (m, _h, _p) in audited.items()],
        "chosen": chosen, "page": page, "rows": rows,
    })


@staff_required(roles=STREET)
def sensitive_log(request):
    entries = SensitiveAccess.objects.filter(community__street__in=street_ids(request.user)).select_related(
        "user", "community")
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    return render(request, "org/sensitive_log.html", {"page": page})


def _own_job(request, pk) -> Job:
    # Jobs carry personal data (imports, voter lists): only the user who started one sees it.
    return get_object_or_404(Job, pk=pk, user=request.user)


@staff_required
def job_detail(request, pk):
    job = _own_job(request, pk)
    template = "org/_job_status.html" if request.htmx else "org/job.html"
    return render(request, template, {"job": job})


@never_cache  # a job's result is an export or a voter list: personal data
@staff_required
def job_download(request, pk):
    job = _own_job(request, pk)
    if job.status != Job.Status.DONE or not job.result:
        raise PermissionDenied(_("任务尚未完成"))
    return FileResponse(job.result.open("rb"), as_attachment=True, filename=job.result_name)


OTP_KEY_SESSION = "juwei_otp_key"


@staff_required(roles=STREET, enrolling=True)
def otp_setup(request):
    """Street staff bind an authenticator app (TOTP); from then on login asks for its code."""
    confirmed = TOTPDevice.objects.filter(user=request.user, confirmed=True).first()
    # The new key waits in the session until a code confirms it: showing this page writes nothing.
    key = request.session.setdefault(OTP_KEY_SESSION, random_hex(20))
    device = TOTPDevice(user=request.user, name="authenticator", key=key, confirmed=False)
    form = TotpConfirmForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        # Saved before the check: a wrong code counts against the device's throttle.
        device, _created = TOTPDevice.objects.update_or_create(user=request.user, confirmed=False,
                                                               defaults={"name": "authenticator", "key": key})
        if device.verify_token(form.cleaned_data["token"]):
            TOTPDevice.objects.filter(user=request.user, confirmed=True).delete()
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            # The code just given verifies this session: it goes on without logging in again.
            otp_login(request, device)
            request.session.pop(OTP_KEY_SESSION, None)
            messages.success(request, _("动态口令已启用，下次登录时需要输入。"))
            return redirect("dashboard")
        form.add_error("token", _("动态口令不正确，请核对手机时间后重试。"))
    secret = base64.b32encode(device.bin_key).decode()
    return render(request, "org/otp_setup.html", {"form": form, "secret": secret, "config_url": device.config_url,
                                                  "confirmed": confirmed})


@method_decorator(second_factor_required(enrolling=True), name="dispatch")
class PasswordChangeView(auth_views.PasswordChangeView):
    """Every logged-in user changes their own password, giving the old one (and the one-time code at login,
    where they have an authenticator: the old password alone is no proof)."""

    template_name = "registration/password_change.html"
    success_url = reverse_lazy("password_change")

    def form_valid(self, form):
        response = super().form_valid(form)
        services.password_changed(user=self.request.user)
        messages.success(self.request, _("密码已修改。"))
        return response


@staff_required(roles=STREET)
def accounts(request):
    """The accounts of the street's clerks, committee and supervision members."""
    found = services.accounts_of_street(street_ids=street_ids(request.user))
    return render(request, "org/accounts.html", {"accounts": found})


@never_cache
@staff_required(roles=STREET)
def account_password(request, pk):
    # One's own password is changed on the password page, which asks for the old one.
    others = services.accounts_of_street(street_ids=street_ids(request.user)).exclude(pk=request.user.pk)
    user = get_object_or_404(others, pk=pk)
    form = SetPasswordForm(user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.reset_password(by=request.user, user=user, street_ids=street_ids(request.user),
                                password=form.cleaned_data["new_password1"])
        messages.success(request, _("已为 %(user)s 设置新密码，请当面或电话告知本人，并请其登录后修改。") % {
            "user": user.get_username()})
        return redirect("accounts")
    return render(request, "org/account_password.html", {"form": form, "account": user})


def _streets(request):
    return StreetOffice.objects.filter(pk__in=street_ids(request.user))


def _place(cleaned: dict) -> dict:
    return {key: cleaned[key] for key in ("role", "street", "community", "starts", "is_leader")}


@never_cache
@staff_required(roles=STREET)
def account_new(request):
    """Street staff open an account for a clerk, a committee member or a supervision member of their street."""
    form = AccountForm(request.POST or None, streets=_streets(request))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user = services.create_account(by=request.user, street_ids=street_ids(request.user),
                                           username=data["username"], full_name=data["full_name"],
                                           password=data["password1"], **_place(data))
        except ValidationError as error:
            on_form(form, error)
        else:
            messages.success(request, _("已开设账户 %(user)s，请把初始密码当面告知本人，首次登录时须修改。") % {
                "user": user.get_username()})
            return redirect("account_detail", user.pk)
    return render(request, "org/account_new.html", {"form": form})


def _memberships_in_street(request):
    ids = street_ids(request.user)
    return Membership.objects.filter(Q(street_id__in=ids) | Q(community__street_id__in=ids))


@staff_required(roles=STREET)
def account_detail(request, pk):
    """An account of the street: its memberships (given and ended here) and what street staff did to it."""
    user = get_object_or_404(services.accounts_of_street(street_ids=street_ids(request.user)), pk=pk)
    form = MembershipForm(request.POST or None, streets=_streets(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.give_membership(by=request.user, street_ids=street_ids(request.user), user=user,
                                     ends=form.cleaned_data["ends"], **_place(form.cleaned_data))
        except ValidationError as error:
            on_form(form, error)
        else:
            messages.success(request, _("已授予任职"))
            return redirect("account_detail", user.pk)
    memberships = (_memberships_in_street(request).filter(user=user).select_related("street", "community")
                   .order_by("-starts"))
    events = AccountEvent.objects.filter(account=user, street_id__in=street_ids(request.user)).select_related("by")
    return render(request, "org/account.html", {"account": user, "form": form, "memberships": memberships,
                                                "events": events, "end_form": EndMembershipForm(),
                                                "today": timezone.localdate()})


@require_POST
@staff_required(roles=STREET)
def membership_end(request, pk):
    membership = get_object_or_404(_memberships_in_street(request), pk=pk)
    form = EndMembershipForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(form.errors["ends"])
        services.end_membership(by=request.user, street_ids=street_ids(request.user), membership=membership,
                                ends=form.cleaned_data["ends"])
    except ValidationError as error:
        messages_for(request, error)
    else:
        messages.success(request, _("任职已结束"))
    return redirect("account_detail", membership.user_id)
