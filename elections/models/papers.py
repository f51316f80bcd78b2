"""Papers issued from a certified result: the 当选证书 of each elected member (docs/domain.md, Elections: papers)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from org.audit import AuditTrail

from .setup import Election

__all__ = ["Certificate"]


class Certificate(models.Model):
    """The 当选证书 of one elected member, numbered once in the street office's series: a reprint keeps the number.

    Created after certification, so it is not a sealed row: the election it belongs to is already frozen."""

    election = models.ForeignKey(Election, on_delete=models.PROTECT, related_name="certificates")
    position_code = models.SlugField(_("职务代码"), max_length=20)
    title = models.CharField(_("职务"), max_length=20)
    name = models.CharField(_("姓名"), max_length=50)
    doc_number = models.CharField(_("证书编号"), max_length=30)
    issued_on = models.DateField(_("颁发日期"))
    history = AuditTrail()

    audit_street_path = "election__community__street"

    class Meta:
        verbose_name = _("当选证书")
        verbose_name_plural = _("当选证书")
        ordering = ["election", "id"]
        constraints = [
            models.UniqueConstraint(fields=["election", "position_code", "name"], name="certificate_once_per_winner",
                                    violation_error_message=_("该当选人已颁发当选证书")),
        ]

    def __str__(self):
        return f"{self.name} {self.doc_number}"
