"""The rule set's numbers for representatives (居民代表), handed down to the registry, which cannot import
elections (docs/domain.md, Representatives)."""

from fractions import Fraction

from org.models import Community
from residents.services.representatives import RepresentativeRules, representative_check

from ..models import Election, ElectionKind, Mode, RuleSet

# A share stored as 0.3333 is meant as 1/3: shares are whole fractions with small denominators.
SHARE_DENOMINATOR = 100


def rules_of(rule_set: RuleSet) -> RepresentativeRules:
    return RepresentativeRules(
        rule_set.representatives_per_group_min, rule_set.representatives_per_group_max,
        Fraction(rule_set.women_share_of_representatives).limit_denominator(SHARE_DENOMINATOR))


def community_rules(*, community: Community) -> RepresentativeRules | None:
    """The numbers of the community's latest main election's rule set (None before its first election): the
    registry's representatives are chosen for that election and checked against it."""
    latest = (Election.objects.filter(community=community, kind=ElectionKind.MAIN).select_related("rules")
              .order_by("-election_day", "-pk").first())
    return rules_of(latest.rules) if latest else None


def representative_warnings(election: Election) -> list[str]:
    """For an election by the representatives: the registry's representatives on election day against the
    election's own rule set (warnings, not refusals)."""
    if election.mode != Mode.REPRESENTATIVE:
        return []
    return representative_check(community=election.community, on=election.election_day,
                                **rules_of(election.rules)._asdict())
