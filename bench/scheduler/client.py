"""One benchmark client process in Python, calling as Luigi's own worker does.

Luigi's RemoteScheduler posts through one requests.Session (one keep-alive connection) a form
body `data=<json>` to /api/<method>, one call at a time. This does the same with the same
library, so the figures include what a real worker's HTTP stack costs. Modes and output are those
of client.ts (run.ts --client python picks this one): `announce URL ID CHAINS`, `work URL ID
SECONDS`; one JSON line on stdout. Needs python3 with requests (Debian: python3-requests); no
Luigi.
"""
import json
import sys
import time

import requests

mode, url, client_id, count = sys.argv[1], sys.argv[2].rstrip("/"), sys.argv[3], sys.argv[4]
session = requests.Session()
worker = f"Worker(salt=bench{client_id}, workers=1, host=bench, username=bench, pid={client_id})"


def call(method, args):
    r = session.post(f"{url}/api/{method}", data={"data": json.dumps(args)}, timeout=10)
    if r.status_code != 200:
        raise SystemExit(f"{method}: HTTP {r.status_code}")
    return r.json()["response"]


def add_task_args(task_id, deps, status="PENDING"):
    _, chain, step = task_id.split("_")
    pending = status == "PENDING"
    return {
        "task_id": task_id, "status": status, "runnable": True if pending else None, "deps": deps,
        "new_deps": None if pending else [], "expl": None if pending else "null", "resources": {},
        "priority": 0, "family": "BenchStep", "module": "bench",
        "params": {"chain": chain, "step": step, "run": "bench"},
        "param_visibilities": {"chain": 0, "step": 0, "run": 0}, "accepts_messages": False,
        "assistant": False, "tracking_url": None, "worker": worker, "batchable": False,
        "batch_id": None, "retry_policy_dict": {"retry_count": None, "disable_hard_timeout": None, "disable_window": None},
        "owners": [],
    }


def announce(chains):
    started = time.perf_counter()
    calls = 0
    for c in range(chains):
        for k in range(9, -1, -1):
            deps = [f"BenchStep_{client_id}x{c}_{k - 1}"] if k > 0 else []
            call("add_task", add_task_args(f"BenchStep_{client_id}x{c}_{k}", deps))
            calls += 1
    call("add_worker", {"worker": worker, "info": [["workers", 1], ["host", "bench"]]})
    return {"calls": calls, "seconds": time.perf_counter() - started, "cpu": time.process_time()}


def work(seconds):
    latencies = []
    started = time.perf_counter()
    until = started + seconds
    handed = 0
    slowest = {"ms": 0, "at": 0}
    while time.perf_counter() < until:
        t0 = time.perf_counter()
        reply = call("get_work", {"worker": worker, "host": "bench", "assistant": False, "current_tasks": []})
        ms = (time.perf_counter() - t0) * 1000
        latencies.append(ms)
        if ms > slowest["ms"]:
            slowest = {"ms": ms, "at": t0 - started}
        if not reply.get("task_id"):
            continue
        handed += 1
        call("add_task", add_task_args(reply["task_id"], None, "DONE"))
    return {"handed": handed, "latencies": latencies, "slowest": slowest, "cpu": time.process_time()}


result = announce(int(count)) if mode == "announce" else work(float(count))
sys.stdout.write(json.dumps(result) + "\n")
