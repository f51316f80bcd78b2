"""Demo organisation: one street, its communities and the demo logins (docs/commands.md, loaddemo)."""

from django.contrib.auth import get_user_model

from .models import Community, Membership, Role, StreetOffice

DEMO_PASSWORD = "juwei-demo"
SMALL_COMMUNITIES = [("HBA", "后北岸社区"), ("YH", "月湖社区"), ("CH", "潮海社区")]
STREET_COMMUNITIES = SMALL_COMMUNITIES + [
    ("XF", "幸福社区"), ("MZ", "曼珠社区"), ("DG", "德感社区"), ("QS", "青山社区"), ("HX", "和新社区"),
    ("LY", "柳园社区"), ("NH", "南湖社区"),
]


def load(*, size: str) -> StreetOffice:
    street, _ = StreetOffice.objects.update_or_create(
        code="tianning", defaults={"name": "天宁区德感街道办事处", "address": "德感街道人民路1号",
                                   "supervision_hotline": "0519-86681234"})
    for code, name in SMALL_COMMUNITIES if size == "small" else STREET_COMMUNITIES:
        Community.objects.update_or_create(code=code, defaults={"street": street, "name": name})
    first = Community.objects.get(code="HBA")
    _user("jiedao", "街道 王主任", role=Role.STREET_STAFF, street=street)
    # A second clerk: double entry and the two-account certification need two people.
    _user("jiedao2", "街道 李干事", role=Role.STREET_STAFF, street=street)
    _user("juwei", "居委 吴逸芸", role=Role.COMMITTEE, community=first)
    _user("jiandu", "监督 张吉生", role=Role.SUPERVISION, community=first, is_leader=True)
    return street


def _user(username, full_name, *, role, street=None, community=None, is_leader=False):
    last, first = full_name.split(" ")
    user, created = get_user_model().objects.get_or_create(
        username=username, defaults={"first_name": first, "last_name": last})
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save()
    Membership.objects.get_or_create(user=user, role=role, street=street, community=community,
                                     defaults={"is_leader": is_leader})
    return user
