# Issue 25: evidence files kept across a form error on the incident form.

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

import incidents.models


class Migration(migrations.Migration):

    dependencies = [
        ("conduct", "0006_authorised_people"),
        ("incidents", "0013_people_aliases_merges_matches"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="StagedUpload",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("file", models.FileField(max_length=300, upload_to=incidents.models.staged_upload_path)),
                ("original_name", models.CharField(max_length=255)),
                ("content_type", models.CharField(max_length=100)),
                ("size", models.PositiveBigIntegerField()),
                ("created_at", models.DateTimeField(db_index=True, default=django.utils.timezone.now)),
                ("owner", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="+",
                                            to=settings.AUTH_USER_MODEL)),
                ("school", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="+",
                                             to="conduct.school")),
            ],
            options={
                "ordering": ["created_at", "pk"],
                "indexes": [models.Index(fields=["owner", "created_at"], name="staged_owner_created")],
            },
        ),
    ]
