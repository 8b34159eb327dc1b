"""The DAG bench/scheduler/luigi-dag.ts runs with unmodified Luigi: `chains` chains of `length`
steps (each step requires the one before it) and one Top over the chains' last steps. Each task
only writes a small file under LUIGI_BENCH_OUT, so the time is Luigi's and the scheduler's.
`run` names the round, so each round is a new DAG to the scheduler."""
import os

import luigi

OUT = os.environ["LUIGI_BENCH_OUT"]


class Step(luigi.Task):
    run_name = luigi.Parameter()
    chain = luigi.IntParameter()
    k = luigi.IntParameter()

    def requires(self):
        return [Step(run_name=self.run_name, chain=self.chain, k=self.k - 1)] if self.k > 0 else []

    def output(self):
        return luigi.LocalTarget(f"{OUT}/s{self.chain}_{self.k}")

    def run(self):
        with self.output().open("w") as f:
            f.write("ok\n")


class Top(luigi.Task):
    run_name = luigi.Parameter()
    chains = luigi.IntParameter(default=200)
    length = luigi.IntParameter(default=10)

    def requires(self):
        return [Step(run_name=self.run_name, chain=c, k=self.length - 1) for c in range(self.chains)]

    def output(self):
        return luigi.LocalTarget(f"{OUT}/top")

    def run(self):
        with self.output().open("w") as f:
            f.write("top\n")
