"""What disclosure asks of the user on the dashboard: items due this month, signatures, unanswered feedback."""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from org.access import COMMITTEE, SUPERVISION, community_ids
from org.dashboard import Todo

from . import services
from .models import Feedback, Item, Status


def todos(*, user, communities) -> list[Todo]:
    communities = list(communities)
    if not communities:
        return []
    today = timezone.localdate()
    index = reverse("disclosure:index")
    result = []
    signers = community_ids(user, SUPERVISION)
    committee = community_ids(user, COMMITTEE)
    calendar = services.due_calendar(communities=communities, month=today, today=today)
    for community in communities:
        open_entries = [e for e in calendar[community.pk] if e.state != services.DueState.PUBLISHED
                        and e.state != services.DueState.READY]
        if open_entries:
            late = any(e.late for e in open_entries)
            result.append(Todo(text=_("本月应公开事项 %(count)s 项尚未就绪") % {"count": len(open_entries)}, url=index,
                               due=open_entries[0].due_on, late=late, community=community.name))
    waiting = Item.objects.filter(community__in=[c for c in communities if c.pk in signers | committee],
                                  status=Status.SUBMITTED).select_related("community")
    for item in waiting:
        text = _("待监督小组组长签字") if item.community_id in signers else _("等待监督小组签字")
        result.append(Todo(text=_("%(task)s：%(title)s") % {"task": text, "title": item.title},
                           url=reverse("disclosure:item", args=[item.pk]),
                           community=item.community.name))
    unanswered = Feedback.objects.filter(item__community__in=communities, answered_at__isnull=True).count()
    if unanswered:
        result.append(Todo(text=_("居民意见 %(count)s 条待答复") % {"count": unanswered},
                           url=reverse("disclosure:feedback")))
    return result
