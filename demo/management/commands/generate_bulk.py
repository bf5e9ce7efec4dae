import time

from django.core.management.base import BaseCommand
from django.db import transaction

from demo import bulk
from search.services import index_rebuild


class Command(BaseCommand):
    help = (
        f"Add a large synthetic data set for performance work. Each --scale step adds about 15,000 rows: "
        f"{bulk.TOWNSHIPS} townships with their villages, schools and communities, {bulk.CADRES} cadres, "
        f"{bulk.CAMPAIGNS} campaigns, {bulk.BASES} bases with their slots and bookings, {bulk.RECORDS:,} activity "
        f"records, {bulk.PUBLICATIONS} publications with placements and read receipts, {bulk.SIGNATURES:,} "
        f"signatures; --scale 70 passes a million rows."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--scale", type=int, default=1, help=f"How many steps of data to add (1 to {bulk.MAX_SCALE})."
        )
        parser.add_argument("--seed", default="qingfeng", help="Seed for the random choices.")

    def handle(self, *args, scale, seed, **options):
        if not 1 <= scale <= bulk.MAX_SCALE:
            self.stderr.write(f"--scale 取值范围为 1 到 {bulk.MAX_SCALE} / --scale must be from 1 to {bulk.MAX_SCALE}")
            return
        started = time.monotonic()
        with transaction.atomic():
            batch, counts = bulk.generate(scale, seed)
        bulk.analyze(counts)
        # The big tables are written with COPY, which the search index does not see: derive it again.
        indexing = time.monotonic()
        indexed = index_rebuild()
        indexed_in = time.monotonic() - indexing
        width = max(map(len, counts))
        self.stdout.write(self.style.SUCCESS(f"已生成批次 / generated batch {batch}:"))
        for table, count in counts.items():
            self.stdout.write(f"  {table:<{width}}  {count:>9}")
        self.stdout.write(
            self.style.SUCCESS(
                f"合计 / total {sum(counts.values())} 行 / rows，用时 / elapsed {time.monotonic() - started:.1f} s"
            )
        )
        self.stdout.write(f"搜索索引 / search index: {indexed} 条 / items，用时 / in {indexed_in:.1f} s")
