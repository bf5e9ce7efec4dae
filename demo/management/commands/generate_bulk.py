import time

from django.core.management.base import BaseCommand
from django.db import transaction

from demo.bulk import generate


class Command(BaseCommand):
    help = "Add a large synthetic data set for performance work (each --scale step: 120 units, 200 cadres, "
    "20 bases, 2,000 activity records, 200 publications, 5,000 signatures)."

    def add_arguments(self, parser):
        parser.add_argument("--scale", type=int, default=1, help="How many steps of data to add (1 to 50).")
        parser.add_argument("--seed", default="qingfeng", help="Seed for the random choices.")

    def handle(self, *args, scale, seed, **options):
        if not 1 <= scale <= 50:
            self.stderr.write("--scale 取值范围为 1 到 50 / --scale must be from 1 to 50")
            return
        started = time.monotonic()
        with transaction.atomic():
            counts = generate(scale, seed)
        summary = "，".join(f"{name} {count}" for name, count in counts.items())
        self.stdout.write(self.style.SUCCESS(f"已生成 / generated: {summary}（{time.monotonic() - started:.1f} s）"))
