# luigid's own history readers (luigi.db_task_history.DbTaskHistory) on the database of
# LUIGI_CONFIG_PATH's [task_history] db_connection: prints what each returns, for check.ts.
from luigi.db_task_history import DbTaskHistory
h = DbTaskHistory()
with h._session() as s:
    latest = list(h.find_latest_runs(s))
    print("find_latest_runs:", len(latest), sorted({t.name for t in latest}))
    for name in ["Extract", "Report", "Broken"]:
        rows = list(h.find_all_by_name(name, s))
        print(f"find_all_by_name({name}):", len(rows), [(r.task_id, [e.event_name for e in r.events], dict((k, p.value) for k, p in r.parameters.items())) for r in rows][:3])
    print("find_all_runs:", len(list(h.find_all_runs(s))), "find_all_events:", len(list(h.find_all_events(s))))
    r = list(h.find_all_by_name("Report", s))[0]
    print("find_task_by_id:", h.find_task_by_id(r.id, s).task_id)
    print("find_all_by_parameters(Extract, day=2026-12-03):", len(list(h.find_all_by_parameters("Extract", s, day="2026-12-03"))))
