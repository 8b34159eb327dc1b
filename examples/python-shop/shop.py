"""A tiny Luigi shop: one daily pipeline per service, Extract -> Report, under AllDaily.

Run by hand (what cron did before Switchyard):
    python3 -m luigi --module shop AllDaily --service shop-ok --day 2026-12-03 --scheduler-url http://127.0.0.1:8082
Services whose name ends in "-bad" fail in Extract, so the shop shows a failed period even though
Luigi exits 0 (its default --retcode settings).
"""
import os

import luigi

OUT = os.environ.get("SHOP_OUT", "out")


class Extract(luigi.Task):
    service = luigi.Parameter()
    day = luigi.DateParameter()

    def output(self):
        return luigi.LocalTarget(os.path.join(OUT, self.service, self.day.isoformat(), "extract.csv"))

    def run(self):
        if self.service.endswith("-bad"):
            raise RuntimeError(f"the upstream export for {self.service} on {self.day} is missing")
        with self.output().open("w") as f:
            f.write("order_id,amount\n1,9.99\n2,24.50\n")


class Report(luigi.Task):
    service = luigi.Parameter()
    day = luigi.DateParameter()

    def requires(self):
        return Extract(service=self.service, day=self.day)

    def output(self):
        return luigi.LocalTarget(os.path.join(OUT, self.service, self.day.isoformat(), "report.txt"))

    def run(self):
        with self.input().open() as f:
            rows = f.read().strip().splitlines()[1:]
        total = sum(float(r.split(",")[1]) for r in rows)
        with self.output().open("w") as f:
            f.write(f"{self.service} {self.day}: {len(rows)} orders, {total:.2f} total\n")


class AllDaily(luigi.WrapperTask):
    """The root task of a run: Switchyard recognises AllDaily(service, day) as that period's run."""

    service = luigi.Parameter()
    day = luigi.DateParameter()

    def requires(self):
        return Report(service=self.service, day=self.day)
