# Three tiny Luigi tasks for check.ts: Report needs Extract, Broken needs Extract and fails.
import os
import luigi

OUT = os.environ.get("TINY_OUT", "/tmp/luigid-history-out")


class Extract(luigi.Task):
    day = luigi.Parameter()
    def output(self): return luigi.LocalTarget(f"{OUT}/extract-{self.day}")
    def run(self):
        with self.output().open("w") as f: f.write("x")
class Broken(luigi.Task):
    day = luigi.Parameter()
    def requires(self): return Extract(day=self.day)
    def run(self): raise RuntimeError("broken on purpose")
    def output(self): return luigi.LocalTarget(f"{OUT}/broken-{self.day}")
class Report(luigi.Task):
    day = luigi.Parameter()
    def requires(self): return [Extract(day=self.day)]
    def output(self): return luigi.LocalTarget(f"{OUT}/report-{self.day}")
    def run(self):
        with self.output().open("w") as f: f.write("r")
