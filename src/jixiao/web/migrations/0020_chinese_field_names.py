"""The Chinese names of fields the admin site shows (上级单位, 用户, 错误, 删除时间…): names
only, no change to any table."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("jixiao", "0019_project_status_index"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterField(
            model_name="comment",
            name="author",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="审核人",
            ),
        ),
        migrations.AlterField(
            model_name="comment",
            name="created_at",
            field=models.DateTimeField(auto_now_add=True, verbose_name="时间"),
        ),
        migrations.AlterField(
            model_name="comment",
            name="project",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="comments",
                to="jixiao.project",
                verbose_name="项目",
            ),
        ),
        migrations.AlterField(
            model_name="comment",
            name="revision",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="comments",
                to="jixiao.revision",
                verbose_name="修订",
            ),
        ),
        migrations.AlterField(
            model_name="event",
            name="action",
            field=models.CharField(max_length=20, verbose_name="操作"),
        ),
        migrations.AlterField(
            model_name="event",
            name="actor",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="操作人",
            ),
        ),
        migrations.AlterField(
            model_name="event",
            name="comment",
            field=models.TextField(blank=True, verbose_name="意见"),
        ),
        migrations.AlterField(
            model_name="event",
            name="created_at",
            field=models.DateTimeField(auto_now_add=True, verbose_name="时间"),
        ),
        migrations.AlterField(
            model_name="event",
            name="from_status",
            field=models.CharField(blank=True, max_length=20, verbose_name="原状态"),
        ),
        migrations.AlterField(
            model_name="event",
            name="project",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="events",
                to="jixiao.project",
                verbose_name="项目",
            ),
        ),
        migrations.AlterField(
            model_name="event",
            name="to_status",
            field=models.CharField(blank=True, max_length=20, verbose_name="新状态"),
        ),
        migrations.AlterField(
            model_name="membership",
            name="unit",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="memberships",
                to="jixiao.unit",
                verbose_name="单位",
            ),
        ),
        migrations.AlterField(
            model_name="membership",
            name="user",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="memberships",
                to=settings.AUTH_USER_MODEL,
                verbose_name="用户",
            ),
        ),
        migrations.AlterField(
            model_name="project",
            name="deleted_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="删除时间"),
        ),
        migrations.AlterField(
            model_name="project",
            name="errors",
            field=models.PositiveIntegerField(default=0, verbose_name="错误"),
        ),
        migrations.AlterField(
            model_name="project",
            name="infos",
            field=models.PositiveIntegerField(default=0, verbose_name="提示"),
        ),
        migrations.AlterField(
            model_name="project",
            name="unit",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="projects",
                to="jixiao.unit",
                verbose_name="单位",
            ),
        ),
        migrations.AlterField(
            model_name="project",
            name="warnings",
            field=models.PositiveIntegerField(default=0, verbose_name="警告"),
        ),
        migrations.AlterField(
            model_name="reviewassignment",
            name="reviewer",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="assignments",
                to=settings.AUTH_USER_MODEL,
                verbose_name="审核人",
            ),
        ),
        migrations.AlterField(
            model_name="reviewassignment",
            name="unit",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="assignments",
                to="jixiao.unit",
                verbose_name="单位",
            ),
        ),
        migrations.AlterField(
            model_name="revision",
            name="author",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="作者",
            ),
        ),
        migrations.AlterField(
            model_name="revision",
            name="created_at",
            field=models.DateTimeField(auto_now_add=True, verbose_name="时间"),
        ),
        migrations.AlterField(
            model_name="revision",
            name="number",
            field=models.PositiveIntegerField(verbose_name="修订号"),
        ),
        migrations.AlterField(
            model_name="revision",
            name="project",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="revisions",
                to="jixiao.project",
                verbose_name="项目",
            ),
        ),
        migrations.AlterField(
            model_name="unit",
            name="parent",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="children",
                to="jixiao.unit",
                verbose_name="上级单位",
            ),
        ),
    ]
