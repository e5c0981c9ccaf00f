"""Seed the breach categories from the parent code of conduct, in its own words.

Section 2 lists the behaviours the school will not tolerate; section 3 adds
the social media breaches. Administrators can add or retire categories later.
"""

from django.db import migrations

CATEGORIES = [
    ("disruptive-behaviour", "Disruptive behaviour", "2",
     "Disruptive behaviour which interferes or threatens to interfere with any of the school's "
     "operation or activities anywhere on the school premises."),
    ("inappropriate-behaviour", "Inappropriate behaviour", "2",
     "Any inappropriate behaviour on the school premises."),
    ("offensive-language", "Loud or offensive language or temper", "2",
     "Using loud or offensive language or displaying temper."),
    ("threatening", "Threatening anyone", "2",
     "Threatening, in any way, a member of school staff, visitor, fellow parent/carer or pupil."),
    ("property-damage", "Damaging school property", "2",
     "Damaging or destroying school property."),
    ("abusive-messages", "Abusive or threatening messages", "2",
     "Sending abusive or threatening e-mails or text/voicemail/phone messages or other written "
     "communications to anyone within the school community."),
    ("derogatory-social-media", "Defamatory or derogatory social media comments", "2",
     "Defamatory, offensive or derogatory comments regarding the school or any of the "
     "pupils/parent/staff, at the school on Facebook or other social sites."),
    ("aggression", "Physical or verbal aggression", "2",
     "The use of physical or verbal aggression towards another adult or child. This includes "
     "physical punishment against your own child on school premises."),
    ("approaching-child", "Approaching another child to chastise them", "2",
     "Approaching someone else's child in order to discuss or chastise them because of the actions "
     "of this child towards their own child. (Such an approach to a child may be seen to be an "
     "assault on that child and may have legal consequences)."),
    ("smoking-drugs-alcohol", "Smoking, drugs or alcohol", "2",
     "Smoking, taking illegal drugs or the consumption of alcohol on school premises. (Alcohol may "
     "only be consumed during authorised events)."),
    ("dogs", "Dogs on the premises", "2",
     "Dogs being brought on to school premises (other than guide dogs)."),
    ("libellous-posts", "Libellous or defamatory posts", "3",
     "If any pupil or parent/carer of a child/children at a school of All Saints MAT is found to be "
     "posting libellous or defamatory comments on Facebook or other social network sites, they will "
     "be reported to the appropriate 'report abuse' section of the network site."),
    ("cyber-bullying", "Cyber bullying", "3",
     "We take very seriously the use of cyber bullying by one child or a parent to publicly "
     "humiliate another by inappropriate social network entry. We will take and deal with this as "
     "a serious incident of school bullying."),
]


def seed(apps, schema_editor):
    BreachCategory = apps.get_model("incidents", "BreachCategory")
    for order, (code, name, section, wording) in enumerate(CATEGORIES, start=1):
        BreachCategory.objects.update_or_create(
            code=code,
            defaults={"name": name, "policy_section": section, "policy_wording": wording, "order": order},
        )


def unseed(apps, schema_editor):
    BreachCategory = apps.get_model("incidents", "BreachCategory")
    BreachCategory.objects.filter(code__in=[c[0] for c in CATEGORIES], incidents__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("incidents", "0001_initial")]
    operations = [migrations.RunPython(seed, unseed)]
