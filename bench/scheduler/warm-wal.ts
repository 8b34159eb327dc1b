import pg from "pg";

// A freshly initialised PostgreSQL has one WAL segment; every next 16 MB segment is created in
// the commit path, zero-filled and fsynced, and the commit waiting on it takes 50-70 ms. A
// database that has been running recycles old segments at each checkpoint instead, so it never
// pays that. bench/scheduler/HISTORY.md ("The ~50 ms stall") shows the stalls line up with new
// segments exactly. Before timing anything, the bench's own embedded databases (ours and the one
// luigid's history goes to) write ~200 MB of WAL and checkpoint twice, which leaves a dozen
// recycled segments: the state of a database that has been up for a while.

export async function warmWal(url: string): Promise<{ segments: number }> {
  const client = new pg.Client(url);
  await client.connect();
  try {
    await client.query("CREATE TABLE switchyard_bench_warm_wal AS SELECT g, repeat('x', 500) AS pad FROM generate_series(1, 400000) g");
    await client.query("DROP TABLE switchyard_bench_warm_wal");
    await client.query("CHECKPOINT");
    await client.query("CHECKPOINT");
    const { rows } = await client.query<{ n: string }>("SELECT count(*) AS n FROM pg_ls_waldir()");
    return { segments: Number(rows[0].n) };
  } finally {
    await client.end();
  }
}
