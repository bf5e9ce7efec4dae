from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction

from core.models import SiteSettings, Topic
from demo.bases import load_bases
from demo.campaigns import load_campaigns
from demo.inspections import load_inspections
from demo.pledges import load_pledges
from demo.publications import load_publications, load_receipts
from demo.quizzes import load_quizzes
from demo.units import DEMO_PASSWORD, load_accounts, load_roster, load_units


class Command(BaseCommand):
    help = "Load the demo data built from the source report (a fictional 云岭市). Running it again changes nothing."

    @transaction.atomic
    def handle(self, *args, **options):
        site = SiteSettings.load()
        site.city_name, site.commission_name, site.organiser = "云岭市", "云岭市纪委监委", "中共云岭市纪委宣传部"
        site.address, site.phone = "云岭市人民大街 88 号", "0453-7210000"
        # Fictional identifiers in the real formats, so that the footer looks as it will in production.
        site.icp_number = "云ICP备20260001号-1"
        site.police_filing_number = "云公网安备 23100002000001号"
        site.police_filing_link = "https://beian.mps.gov.cn/#/query/webSearch?code=23100002000001"
        site.site_code = "2310000001"
        site.party_label_code = "党政机关 · 云岭市纪委监委"
        site.save()
        Topic.objects.ensure_built_in()
        units = load_units()
        accounts = load_accounts(units, get_user_model())
        load_bases(units)
        load_publications(units)
        load_receipts(load_roster(units, get_user_model()))
        load_pledges(units)
        load_campaigns(units)
        load_inspections(units)
        load_quizzes(units)
        self.stdout.write(self.style.SUCCESS("演示数据已就绪 / demo data loaded"))
        for username, role, unit in accounts:
            self.stdout.write(f"  {role}（{unit}）：用户名 {username}  密码 {DEMO_PASSWORD}")
