
import core.fields
import django.db.models.deletion
import simple_history.models
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    # The site settings row moved here from the site layer (portal) so that every app may read
    # it. The tables stay where they are: this migration only tells Django's state, and
    # 0002 renames the tables.
    dependencies = [
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ("portal", "0002_create_site_settings_row"),
    ]

    state_operations = [
        migrations.CreateModel(
            name='SiteSettings',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('site_name', models.CharField(default='清风网', max_length=60, verbose_name='site name')),
                ('commission_name', models.CharField(default='云岭市纪委监委', max_length=60, verbose_name='commission name')),
                ('city_name', models.CharField(default='云岭市', max_length=30, verbose_name='city name')),
                ('organiser', models.CharField(default='中共云岭市纪委宣传部', max_length=100, verbose_name='organiser (主办单位)')),
                ('intro', models.TextField(blank=True, default='清风网是云岭市纪委监委的廉洁文化教育资源平台：介绍全市廉洁教育基地、开展廉洁文化活动、组织党员干部签订廉洁承诺、发布学习资料与典型案例通报。', verbose_name='introduction')),
                ('about', core.fields.RichTextField(blank=True, help_text='Shown on the public 关于本站 page.', verbose_name='about this site')),
                ('privacy_notice', core.fields.RichTextField(blank=True, help_text='The 个人信息处理规则 shown on the public page and linked from every form that takes personal data.', verbose_name='personal information rules')),
                ('address', models.CharField(blank=True, max_length=200, verbose_name='address')),
                ('phone', models.CharField(blank=True, max_length=40, verbose_name='phone')),
                ('email', models.EmailField(blank=True, max_length=254, verbose_name='email')),
                ('icp_number', models.CharField(blank=True, max_length=60, verbose_name='ICP filing number')),
                ('icp_link', models.URLField(default='https://beian.miit.gov.cn/', verbose_name='ICP filing link')),
                ('police_filing_number', models.CharField(blank=True, max_length=60, verbose_name='public security filing number')),
                ('police_filing_link', models.URLField(blank=True, verbose_name='public security filing link')),
                ('site_code', models.CharField(blank=True, max_length=30, verbose_name='website identifier code')),
                ('party_label_code', models.CharField(blank=True, max_length=60, verbose_name='Party and government organ label')),
                ('report_link', models.URLField(blank=True, default='https://www.12388.gov.cn/', help_text='The national reporting site (12388), shown in the header. Empty hides it.', verbose_name='reporting site link')),
                ('grey_mode', models.BooleanField(default=False, help_text='Turn the whole public site grey on national mourning days.', verbose_name='grey mode')),
            ],
            options={
                'verbose_name': 'site settings',
                'verbose_name_plural': 'site settings',
                'db_table': 'portal_sitesettings',
            },
        ),
        migrations.CreateModel(
            name='HistoricalSiteSettings',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('site_name', models.CharField(default='清风网', max_length=60, verbose_name='site name')),
                ('commission_name', models.CharField(default='云岭市纪委监委', max_length=60, verbose_name='commission name')),
                ('city_name', models.CharField(default='云岭市', max_length=30, verbose_name='city name')),
                ('organiser', models.CharField(default='中共云岭市纪委宣传部', max_length=100, verbose_name='organiser (主办单位)')),
                ('intro', models.TextField(blank=True, default='清风网是云岭市纪委监委的廉洁文化教育资源平台：介绍全市廉洁教育基地、开展廉洁文化活动、组织党员干部签订廉洁承诺、发布学习资料与典型案例通报。', verbose_name='introduction')),
                ('about', core.fields.RichTextField(blank=True, help_text='Shown on the public 关于本站 page.', verbose_name='about this site')),
                ('privacy_notice', core.fields.RichTextField(blank=True, help_text='The 个人信息处理规则 shown on the public page and linked from every form that takes personal data.', verbose_name='personal information rules')),
                ('address', models.CharField(blank=True, max_length=200, verbose_name='address')),
                ('phone', models.CharField(blank=True, max_length=40, verbose_name='phone')),
                ('email', models.EmailField(blank=True, max_length=254, verbose_name='email')),
                ('icp_number', models.CharField(blank=True, max_length=60, verbose_name='ICP filing number')),
                ('icp_link', models.URLField(default='https://beian.miit.gov.cn/', verbose_name='ICP filing link')),
                ('police_filing_number', models.CharField(blank=True, max_length=60, verbose_name='public security filing number')),
                ('police_filing_link', models.URLField(blank=True, verbose_name='public security filing link')),
                ('site_code', models.CharField(blank=True, max_length=30, verbose_name='website identifier code')),
                ('party_label_code', models.CharField(blank=True, max_length=60, verbose_name='Party and government organ label')),
                ('report_link', models.URLField(blank=True, default='https://www.12388.gov.cn/', help_text='The national reporting site (12388), shown in the header. Empty hides it.', verbose_name='reporting site link')),
                ('grey_mode', models.BooleanField(default=False, help_text='Turn the whole public site grey on national mourning days.', verbose_name='grey mode')),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.TextField(null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': 'historical site settings',
                'verbose_name_plural': 'historical site settings',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
                'db_table': 'portal_historicalsitesettings',
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
    ]

    operations = [migrations.SeparateDatabaseAndState(state_operations=state_operations)]
