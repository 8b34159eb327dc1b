import http from "node:http";

// One benchmark client process, calling like a Luigi worker: one keep-alive connection, a
// urlencoded `data` form body, and — with one call in flight, the default — each RPC sent only
// once the previous one was answered (Luigi's RPCs are synchronous). `announce`: add_task chains
// of 10 tasks, as a Luigi worker's scheduling pass sends them (all 20 keys). `work`: a worker that
// polls get_work and reports DONE. Prints one JSON line with its measurements. The target URL may
// be a real luigid.

const [mode, url, clientId, countArg, concurrencyArg] = process.argv.slice(2);
const base = new URL(url);
const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });

function call(method: string, args: Record<string, unknown>): Promise<unknown> {
  const body = "data=" + encodeURIComponent(JSON.stringify(args));
  return new Promise((resolve, reject) => {
    const req = http.request({ host: base.hostname, port: base.port, path: `/api/${method}`, method: "POST", agent, headers: { "Content-Type": "application/x-www-form-urlencoded", "Content-Length": Buffer.byteLength(body) } }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c) => chunks.push(c));
      res.on("end", () => (res.statusCode === 200 ? resolve(JSON.parse(Buffer.concat(chunks).toString()).response) : reject(new Error(`${method}: HTTP ${res.statusCode}`))));
    });
    req.on("error", reject);
    req.end(body);
  });
}

const worker = `Worker(salt=bench${clientId}, workers=1, host=bench, username=bench, pid=${clientId})`;

function addTaskArgs(id: string, deps: string[] | null, status = "PENDING") {
  return { task_id: id, status, runnable: status === "PENDING" ? true : null, deps, new_deps: status === "PENDING" ? null : [], expl: status === "PENDING" ? null : "null", resources: {}, priority: 0, family: "BenchStep", module: "bench", params: { chain: id.split("_")[1], step: id.split("_")[2], run: "bench" }, param_visibilities: { chain: 0, step: 0, run: 0 }, accepts_messages: false, assistant: false, tracking_url: null, worker, batchable: false, batch_id: null, retry_policy_dict: { retry_count: null, disable_hard_timeout: null, disable_window: null }, owners: [] };
}

async function announce(chains: number, concurrency: number) {
  const started = performance.now();
  let next = 0;
  let calls = 0;
  const lane = async () => {
    for (let c = next++; c < chains; c = next++) {
      for (let k = 9; k >= 0; k--) {
        const id = `BenchStep_${clientId}x${c}_${k}`;
        await call("add_task", addTaskArgs(id, k > 0 ? [`BenchStep_${clientId}x${c}_${k - 1}`] : []));
        calls++;
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, lane));
  await call("add_worker", { worker, info: [["workers", 1], ["host", "bench"]] });
  return { calls, seconds: (performance.now() - started) / 1000, cpu: cpuSeconds() };
}

async function work(seconds: number) {
  const latencies: number[] = [];
  const started = performance.now();
  const until = started + seconds * 1000;
  let handed = 0;
  let slowest = { ms: 0, at: 0 };
  while (performance.now() < until) {
    const t0 = performance.now();
    const reply = (await call("get_work", { worker, host: "bench", assistant: false, current_tasks: [] })) as { task_id: string | null };
    const ms = performance.now() - t0;
    latencies.push(ms);
    if (ms > slowest.ms) slowest = { ms, at: (t0 - started) / 1000 };
    if (!reply.task_id) continue;
    handed++;
    await call("add_task", addTaskArgs(reply.task_id, null, "DONE"));
  }
  return { handed, latencies, slowest, cpu: cpuSeconds() };
}

const result = mode === "announce" ? await announce(Number(countArg), Number(concurrencyArg || 1)) : await work(Number(countArg));
process.stdout.write(JSON.stringify(result) + "\n");
agent.destroy();

/** This process's CPU time so far (user + system), as the Python client reports time.process_time(). */
function cpuSeconds(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
}
