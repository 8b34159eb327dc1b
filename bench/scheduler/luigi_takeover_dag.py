"""The DAG bench/scheduler/luigi-takeover.ts runs with unmodified Luigi: 60 leaves of 0.5 s each,
10 mids over six leaves each, one top. Outputs go to LUIGI_TAKEOVER_OUT; each leaf writes the pid
of the process that ran it."""
import os
import time

import luigi

OUT = os.environ["LUIGI_TAKEOVER_OUT"]


class Leaf(luigi.Task):
    n = luigi.IntParameter()

    def output(self):
        return luigi.LocalTarget(f"{OUT}/leaf{self.n}.txt")

    def run(self):
        time.sleep(0.5)
        with self.output().open("w") as f:
            f.write(f"{self.n} by {os.getpid()}\n")


class Mid(luigi.Task):
    k = luigi.IntParameter()

    def requires(self):
        return [Leaf(n=self.k * 6 + i) for i in range(6)]

    def output(self):
        return luigi.LocalTarget(f"{OUT}/mid{self.k}.txt")

    def run(self):
        with self.output().open("w") as f:
            f.write("mid\n")


class Top(luigi.Task):
    def requires(self):
        return [Mid(k=k) for k in range(10)]

    def output(self):
        return luigi.LocalTarget(f"{OUT}/top.txt")

    def run(self):
        with self.output().open("w") as f:
            f.write("top\n")
