"""Each ban rests on its own Chair's consultation (issue 19, point 2).

Every ban row already names the consultation it was started on. Before this
rule a withdrawn, lifted or ended ban's sign-off could start another ban on the
same case; such later bans keep their record as made (it may be evidence) and
are flagged `shared_signoff`, which the unique constraint leaves out and
conduct_audit reports.
"""

from django.conf import settings
from django.db import migrations, models


def flag_bans_on_a_used_signoff(apps, schema_editor):
    SiteBan = apps.get_model("sanctions", "SiteBan")
    seen = set()
    later = []
    for pk, consultation_id in SiteBan.objects.order_by("created_at", "pk").values_list("pk", "consultation_id"):
        if consultation_id in seen:
            later.append(pk)
        seen.add(consultation_id)
    SiteBan.objects.filter(pk__in=later).update(shared_signoff=True)


class Migration(migrations.Migration):

    dependencies = [
        ('sanctions', '0003_list_indexes'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='historicalsiteban',
            name='shared_signoff',
            field=models.BooleanField(default=False, editable=False),
        ),
        migrations.AddField(
            model_name='siteban',
            name='shared_signoff',
            field=models.BooleanField(default=False, editable=False),
        ),
        migrations.AddConstraint(
            model_name='siteban',
            constraint=models.CheckConstraint(
                condition=models.Q(('route', 'provisional'), ('starts_on__gt', models.F('representations_by')),
                                   _connector='OR'),
                name='ban_notice_starts_after_deadline'),
        ),
        migrations.RunPython(flag_bans_on_a_used_signoff, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name='siteban',
            constraint=models.UniqueConstraint(condition=models.Q(('shared_signoff', False)), fields=('consultation',),
                                               name='ban_own_consultation'),
        ),
    ]
