from decimal import Decimal

from django.db import migrations, models


def refresh_rule_sets(apps, schema_editor):
    # The shipped templates take their corrected values and clauses, and the Jiangxi and Lanzhou sets are added
    # (elections/rulesets.py); the copies held by elections are never touched.
    from elections.rulesets import RULE_SETS

    RuleSet = apps.get_model("elections", "RuleSet")
    known = {f.name for f in RuleSet._meta.get_fields()}
    for data in RULE_SETS:
        values = {k: v for k, v in data.items() if k != "name" and k in known}
        RuleSet.objects.update_or_create(name=data["name"], is_template=True, defaults=values)


class Migration(migrations.Migration):

    dependencies = [
        ('elections', '0009_by_election'),
    ]

    operations = [
        migrations.AddField(
            model_name='historicalnomination',
            name='group_name',
            field=models.CharField(blank=True, max_length=50, verbose_name='提名的居民小组'),
        ),
        migrations.AddField(
            model_name='historicalruleset',
            name='clauses',
            field=models.JSONField(blank=True, default=dict, verbose_name='各项依据'),
        ),
        migrations.AddField(
            model_name='historicalruleset',
            name='extension_months_max',
            field=models.PositiveSmallIntegerField(default=6, verbose_name='延期换届最长月数'),
        ),
        migrations.AddField(
            model_name='historicalruleset',
            name='group_nomination',
            field=models.BooleanField(default=False, verbose_name='居民小组可以提名（每组不超过应选人数）'),
        ),
        migrations.AddField(
            model_name='historicalruleset',
            name='household_nomination_min',
            field=models.PositiveSmallIntegerField(default=0, verbose_name='户代表联名提名最少人数（0为不允许）'),
        ),
        migrations.AddField(
            model_name='historicalruleset',
            name='organisation_nomination',
            field=models.BooleanField(default=True, verbose_name='可以组织提名'),
        ),
        migrations.AddField(
            model_name='historicalruleset',
            name='representatives_per_group_max',
            field=models.PositiveSmallIntegerField(default=3, verbose_name='每个居民小组推选居民代表最多人数'),
        ),
        migrations.AddField(
            model_name='historicalruleset',
            name='representatives_per_group_min',
            field=models.PositiveSmallIntegerField(default=2, verbose_name='每个居民小组推选居民代表最少人数'),
        ),
        migrations.AddField(
            model_name='historicalruleset',
            name='seats_max',
            field=models.PositiveSmallIntegerField(default=9, verbose_name='居委会成员最多人数'),
        ),
        migrations.AddField(
            model_name='historicalruleset',
            name='seats_min',
            field=models.PositiveSmallIntegerField(default=5, verbose_name='居委会成员最少人数'),
        ),
        migrations.AddField(
            model_name='historicalruleset',
            name='seats_odd',
            field=models.BooleanField(default=True, verbose_name='居委会成员人数须为单数'),
        ),
        migrations.AddField(
            model_name='historicalruleset',
            name='self_nomination',
            field=models.BooleanField(default=False, verbose_name='可以本人自荐'),
        ),
        migrations.AddField(
            model_name='historicalruleset',
            name='women_share_of_representatives',
            field=models.DecimalField(decimal_places=4, default=Decimal('0'), max_digits=5, verbose_name='妇女代表占居民代表的最低比例（0为未规定）'),
        ),
        migrations.AddField(
            model_name='nomination',
            name='group_name',
            field=models.CharField(blank=True, max_length=50, verbose_name='提名的居民小组'),
        ),
        migrations.AddField(
            model_name='ruleset',
            name='clauses',
            field=models.JSONField(blank=True, default=dict, verbose_name='各项依据'),
        ),
        migrations.AddField(
            model_name='ruleset',
            name='extension_months_max',
            field=models.PositiveSmallIntegerField(default=6, verbose_name='延期换届最长月数'),
        ),
        migrations.AddField(
            model_name='ruleset',
            name='group_nomination',
            field=models.BooleanField(default=False, verbose_name='居民小组可以提名（每组不超过应选人数）'),
        ),
        migrations.AddField(
            model_name='ruleset',
            name='household_nomination_min',
            field=models.PositiveSmallIntegerField(default=0, verbose_name='户代表联名提名最少人数（0为不允许）'),
        ),
        migrations.AddField(
            model_name='ruleset',
            name='organisation_nomination',
            field=models.BooleanField(default=True, verbose_name='可以组织提名'),
        ),
        migrations.AddField(
            model_name='ruleset',
            name='representatives_per_group_max',
            field=models.PositiveSmallIntegerField(default=3, verbose_name='每个居民小组推选居民代表最多人数'),
        ),
        migrations.AddField(
            model_name='ruleset',
            name='representatives_per_group_min',
            field=models.PositiveSmallIntegerField(default=2, verbose_name='每个居民小组推选居民代表最少人数'),
        ),
        migrations.AddField(
            model_name='ruleset',
            name='seats_max',
            field=models.PositiveSmallIntegerField(default=9, verbose_name='居委会成员最多人数'),
        ),
        migrations.AddField(
            model_name='ruleset',
            name='seats_min',
            field=models.PositiveSmallIntegerField(default=5, verbose_name='居委会成员最少人数'),
        ),
        migrations.AddField(
            model_name='ruleset',
            name='seats_odd',
            field=models.BooleanField(default=True, verbose_name='居委会成员人数须为单数'),
        ),
        migrations.AddField(
            model_name='ruleset',
            name='self_nomination',
            field=models.BooleanField(default=False, verbose_name='可以本人自荐'),
        ),
        migrations.AddField(
            model_name='ruleset',
            name='women_share_of_representatives',
            field=models.DecimalField(decimal_places=4, default=Decimal('0'), max_digits=5, verbose_name='妇女代表占居民代表的最低比例（0为未规定）'),
        ),
        migrations.AlterField(
            model_name='historicalnomination',
            name='source',
            field=models.CharField(choices=[('forms', '选民直接提名'), ('joint', '选民联名提名'), ('households', '户代表联名提名'), ('group', '居民小组提名'), ('organisation', '组织提名'), ('self', '本人自荐')], max_length=15, verbose_name='提名方式'),
        ),
        migrations.AlterField(
            model_name='historicalruleset',
            name='joint_nomination_min',
            field=models.PositiveSmallIntegerField(default=10, verbose_name='联名提名最少人数（0为不允许联名提名）'),
        ),
        migrations.AlterField(
            model_name='nomination',
            name='source',
            field=models.CharField(choices=[('forms', '选民直接提名'), ('joint', '选民联名提名'), ('households', '户代表联名提名'), ('group', '居民小组提名'), ('organisation', '组织提名'), ('self', '本人自荐')], max_length=15, verbose_name='提名方式'),
        ),
        migrations.AlterField(
            model_name='ruleset',
            name='joint_nomination_min',
            field=models.PositiveSmallIntegerField(default=10, verbose_name='联名提名最少人数（0为不允许联名提名）'),
        ),
        migrations.AddConstraint(
            model_name='nomination',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('source', 'group'), models.Q(('group_name', ''), _negated=True)), models.Q(models.Q(('source', 'group'), _negated=True), ('group_name', '')), _connector='OR'), name='nomination_group_named', violation_error_message='居民小组提名须写明居民小组，其他提名方式不写'),
        ),
        migrations.AddConstraint(
            model_name='ruleset',
            constraint=models.CheckConstraint(condition=models.Q(('seats_max__gte', models.F('seats_min')), ('seats_min__gte', 1)), name='ruleset_seats_in_order', violation_error_message='居委会成员最多人数不能少于最少人数，且至少1人'),
        ),
        migrations.AddConstraint(
            model_name='ruleset',
            constraint=models.CheckConstraint(condition=models.Q(('representatives_per_group_max__gte', models.F('representatives_per_group_min')), ('representatives_per_group_min__gte', 1)), name='ruleset_representatives_per_group_in_order', violation_error_message='每组居民代表最多人数不能少于最少人数，且至少1人'),
        ),
        migrations.AddConstraint(
            model_name='ruleset',
            constraint=models.CheckConstraint(condition=models.Q(('women_share_of_representatives__gte', 0), ('women_share_of_representatives__lt', 1)), name='ruleset_women_share_in_range', violation_error_message='妇女代表比例须不小于0且小于1'),
        ),
        migrations.RunPython(refresh_rule_sets, migrations.RunPython.noop),
    ]
