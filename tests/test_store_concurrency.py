"""Real concurrency on both backends: several threads, several processes,
one database. A code is redeemed once; an action is claimed once."""
import multiprocessing as mp
import threading
from datetime import datetime, timedelta, timezone

from sekretar.store import open_store

T0 = datetime(2026, 3, 25, 9, 0, tzinfo=timezone.utc)
THREADS = 8
PROCESSES = 4


def _redeem_in_process(url, code, barrier, results):
    s = open_store(url)
    barrier.wait()
    results.send(s.redeem_code(code, T0))
    s.close()


def _claim_in_process(url, barrier, results):
    s = open_store(url)
    barrier.wait()
    keys = []
    while (rec := s.claim_due_action(T0 + timedelta(seconds=1), lease_seconds=3600)) is not None:
        keys.append(rec.key)
    results.send(keys)
    s.close()


def _run_processes(target, args):
    # one pipe per process, written directly by the child (a shared Queue's
    # feeder thread lost a result now and then when four children exited at once)
    ctx = mp.get_context("spawn")
    barrier = ctx.Barrier(PROCESSES)
    pipes = [ctx.Pipe(duplex=False) for _ in range(PROCESSES)]
    procs = [ctx.Process(target=target, args=(*args, barrier, send)) for _, send in pipes]
    for p in procs:
        p.start()
    out = []
    for (recv, send), p in zip(pipes, procs):
        send.close()  # the child holds its own copy
        assert recv.poll(120), f"process {p.pid} sent nothing (exit code {p.exitcode})"
        out.append(recv.recv())
    for p in procs:
        p.join(timeout=60)
        assert p.exitcode == 0
    return out


def _run_threads(fn):
    barrier = threading.Barrier(THREADS)
    out, lock = [], threading.Lock()

    def work():
        barrier.wait()
        r = fn()
        with lock:
            out.append(r)

    threads = [threading.Thread(target=work) for _ in range(THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return out


def test_threads_redeem_one_code_once(store):
    for round_ in range(5):
        code = store.issue_code(str(round_), "local", T0)
        results = _run_threads(lambda: store.redeem_code(code, T0))
        assert len(results) == THREADS
        assert [r for r in results if r is not None] == [(str(round_), "local")]


def test_processes_redeem_one_code_once(store_url):
    s = open_store(store_url)
    code = s.issue_code("42", "local", T0)
    results = _run_processes(_redeem_in_process, (store_url, code))
    assert [r for r in results if r is not None] == [("42", "local")]
    s.close()


def _add_actions(s, n):
    for i in range(n):
        s.add_action(f"k{i:03d}", "u", {"i": i}, T0)


def test_threads_claim_each_action_once(store):
    _add_actions(store, 60)

    def claim_all():
        keys = []
        while (rec := store.claim_due_action(T0 + timedelta(seconds=1), lease_seconds=3600)) is not None:
            keys.append(rec.key)
        return keys

    results = _run_threads(claim_all)
    claimed = [k for keys in results for k in keys]
    assert sorted(claimed) == [f"k{i:03d}" for i in range(60)]


def test_processes_claim_each_action_once(store_url):
    s = open_store(store_url)
    _add_actions(s, 60)
    results = _run_processes(_claim_in_process, (store_url,))
    claimed = [k for keys in results for k in keys]
    assert sorted(claimed) == [f"k{i:03d}" for i in range(60)]
    s.close()


def test_threads_add_the_same_action_once(store):
    results = _run_threads(lambda: store.add_action("same", "u", {"x": 1}, T0)[1])
    assert results.count(True) == 1


def test_threads_issue_unique_codes(store):
    counter = iter(range(10_000))
    lock = threading.Lock()

    def issue_many():
        codes = []
        for _ in range(20):
            with lock:
                pid = str(next(counter))
            codes.append(store.issue_code(pid, "local", T0, length=4))
        return codes

    codes = [c for batch in _run_threads(issue_many) for c in batch]
    assert len(codes) == len(set(codes)) == THREADS * 20


def test_a_thread_that_ends_closes_its_connection(store):
    """Thread-per-request servers must not leak one connection per request."""
    import gc

    for i in range(30):
        t = threading.Thread(target=store.kv_put, args=("k", str(i)))
        t.start()
        t.join()
    gc.collect()
    assert len(store.db._all) <= 2
    assert store.kv_get("k") == "29"


def test_store_reopens_after_close(store):
    store.kv_put("k", "1")
    store.close()
    assert store.kv_get("k") == "1"


def _open_in_process(url, barrier, results):
    barrier.wait()
    s = open_store(url)
    s.kv_put(f"p{mp.current_process().pid}", "1")
    results.send("ok")
    s.close()


def test_processes_migrate_a_fresh_database_once(store_url):
    """Several processes open an empty database at the same moment."""
    assert _run_processes(_open_in_process, (store_url,)) == ["ok"] * PROCESSES
    s = open_store(store_url)
    with s.db.read() as cur:
        from importlib import resources

        versions = sorted(int(f.name[:3]) for f in resources.files("sekretar.store.migrations").iterdir()
                          if f.name.endswith(".sql"))
        assert sorted(cur.all("SELECT component, version FROM schema_versions")) == [("store", v) for v in versions]
    s.close()


def test_threads_create_one_local_row_per_action_key(store):
    from sekretar.integrations.local import LocalWorkspace

    from sekretar.core.types import Action

    ws = LocalWorkspace(store.db)
    action = Action("task", actor="1", key="once", title="Отчёт")
    ids = _run_threads(lambda: ws.create(action).id)
    assert len(set(ids)) == 1 and len(ws.list_items("task")) == 1
