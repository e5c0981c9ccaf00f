"""Load test: gunicorn (2 workers of 4 threads, 127.0.0.1) under 50 users who log in and browse for 60 s.

    DATABASE_URL=postgres://... .venv/bin/python bench/load.py [--users 50] [--duration 60] [--no-fail]

PostgreSQL only (DATABASE_URL; SQLite is refused): the data is that of the page
benchmark (`bench/run.py --generate 200000`). The script collects the static
files into a temporary folder, starts gunicorn on a free local port with DEBUG
off, runs locust headless (bench/locustfile.py), always stops gunicorn, then
runs `manage.py conduct_audit` on the same database. Targets: no failed
request, p95 under 300 ms. The run is written to bench/results.md.

The subprocesses (the `nosec` marks) are this project's own manage.py,
gunicorn and locust, started with argument lists, talking to 127.0.0.1 only.
"""

import argparse
import json
import math
import os
import secrets
import shutil
import signal
import socket
import statistics
import subprocess  # nosec B404
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(BENCH))

P95_TARGET_MS = 300.0
ACCOUNTS = ("office", "deputy", "head", "chair", "head2", "office2", "trust")
LOGIN_REQUESTS = {"login form", "login"}
READY_TIMEOUT_S = 60


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _percentile(values, fraction) -> float:
    if not values:
        return math.nan
    ordered = sorted(values)
    return ordered[max(0, math.ceil(fraction * len(ordered)) - 1)]


def _stats(samples) -> dict:
    times = [s[1] for s in samples]
    return {
        "count": len(samples), "failures": sum(1 for s in samples if not s[2]),
        "median": statistics.median(times) if times else math.nan, "p95": _percentile(times, 0.95),
        "p99": _percentile(times, 0.99), "max": max(times) if times else math.nan,
    }


def server_environment(base: dict, static_root: Path, media_root: Path) -> dict:
    """Production settings (DEBUG off) made to work on plain HTTP on 127.0.0.1, with a throwaway key."""
    env = dict(base)
    for name in ("DJANGO_SETTINGS_MODULE", "DEBUG"):
        env.pop(name, None)
    env.update({
        "DJANGO_SETTINGS_MODULE": "conduct.settings", "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(50), "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "false", "SECURE_COOKIES": "false", "CONDUCT_REQUIRE_2FA": "false",
        "STATIC_ROOT": str(static_root), "MEDIA_ROOT": str(media_root),
    })
    return env


def wait_until_ready(url: str, server: subprocess.Popen) -> None:
    deadline = time.monotonic() + READY_TIMEOUT_S
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"gunicorn exited with status {server.returncode} before answering")
        try:
            with urllib.request.urlopen(url, timeout=5) as response:  # nosec B310
                if response.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.5)
    raise RuntimeError(f"gunicorn did not answer {url} within {READY_TIMEOUT_S} s")


def stop(server: subprocess.Popen) -> None:
    """SIGTERM to gunicorn's master (it stops its workers); SIGKILL to its process group if it lingers."""
    if server.poll() is not None:
        return
    server.send_signal(signal.SIGTERM)
    try:
        server.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(server.pid, signal.SIGKILL)
        server.wait(timeout=10)


def _tail(path: Path, lines: int = 40) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return ""


def prepare(args) -> dict:
    """Landmark ids, a search term and the data's size, read in-process before the server starts."""
    from pages import check_migrations, configure, describe_data, landmarks

    configure(os.environ["DATABASE_URL"])
    check_migrations()
    from django.contrib.auth import get_user_model
    from django.db import connections

    users = {u.username: u for u in get_user_model().objects.filter(username__in=args.accounts, is_active=True)}
    missing = sorted(set(args.accounts) - set(users))
    if missing:
        raise LookupError(f"accounts missing or inactive: {', '.join(missing)}")
    # A wrong password would lock the accounts out (django-axes) on the server's first minute: check first,
    # with the production hashers gunicorn uses.
    wrong = sorted(name for name, user in users.items() if not user.check_password(args.password))
    if wrong:
        raise LookupError(f"the password of {', '.join(wrong)} is not {args.password!r} under the production "
                          "password hashers")
    from axes.models import AccessAttempt
    from django.conf import settings

    locked = sorted(set(AccessAttempt.objects.filter(username__in=args.accounts,
                                                     failures_since_start__gte=settings.AXES_FAILURE_LIMIT)
                        .values_list("username", flat=True)))
    if locked:
        raise LookupError(f"locked out after failed logins: {', '.join(locked)} (manage.py axes_reset clears it)")
    marks = landmarks()
    from results import environment

    info = {
        "case": marks["busy_case"].pk, "person": marks["frequent_person"].pk,
        "search": marks["frequent_person"].full_name.split()[-1], "data": describe_data(marks),
        "environment": environment(connections["default"]),
    }
    connections.close_all()
    return info


def run_load(args, info: dict, base_env: dict) -> dict:
    work = Path(tempfile.mkdtemp(prefix="conduct-load-"))
    env = server_environment(base_env, work / "static", work / "media")
    log = work / "gunicorn.log"
    samples_path = work / "samples.json"
    server = None
    try:
        print("Collecting static files...", file=sys.stderr)
        subprocess.run([sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],  # nosec B603
                       cwd=ROOT, env=env, check=True, timeout=300)
        port = _free_port()
        host = f"http://127.0.0.1:{port}"
        with open(log, "wb") as log_file:
            server = subprocess.Popen(  # nosec B603
                [sys.executable, "-m", "gunicorn", "conduct.wsgi:application", "--workers", str(args.workers),
                 "--threads", str(args.threads),
                 # Threaded workers keep a connection open between requests, by default for 2 s; locust
                 # (unlike the proxy, which opens its own) reuses it after pauses of 1-3 s and met the
                 # close half-way ("HTTP 0"). Longer than the longest pause, the race cannot happen.
                 "--keep-alive", str(math.ceil(args.wait_max) + 2),
                 "--bind", f"127.0.0.1:{port}", "--chdir", str(ROOT), "--timeout", "30",
                 "--graceful-timeout", "10", "--no-control-socket"],
                cwd=ROOT, env=env, stdout=log_file, stderr=subprocess.STDOUT, start_new_session=True)
        wait_until_ready(f"{host}/accounts/login/", server)
        print(f"gunicorn ({args.workers} workers, {args.threads} threads each) answering on {host}; "
              f"{args.users} users for {args.duration} s...", file=sys.stderr)
        # The run lasts the ramp plus the duration: every user browses, logged in, for the whole duration.
        ramp_s = math.ceil(args.users / args.spawn_rate)
        locust_env = {**base_env, "BENCH_ACCOUNTS": ",".join(args.accounts),
                      "BENCH_PASSWORD": args.password, "BENCH_CASE_ID": str(info["case"]),
                      "BENCH_PERSON_ID": str(info["person"]), "BENCH_SEARCH": info["search"],
                      "BENCH_WAIT_MIN": str(args.wait_min), "BENCH_WAIT_MAX": str(args.wait_max),
                      "BENCH_SAMPLES": str(samples_path)}
        locust = subprocess.run(  # nosec B603
            [sys.executable, "-m", "locust", "-f", str(BENCH / "locustfile.py"), "--headless",
             "-u", str(args.users), "-r", str(args.spawn_rate), "-t", f"{ramp_s + args.duration}s", "--host", host,
             "--stop-timeout", "10", "--only-summary", "--loglevel", "WARNING", "--csv", str(work / "locust")],
            cwd=ROOT, env=locust_env, timeout=ramp_s + args.duration + 120, check=False)
        if not samples_path.exists():
            raise RuntimeError(f"locust exited with status {locust.returncode} and recorded no request")
        samples = json.loads(samples_path.read_text())
    except BaseException:
        print(f"gunicorn's log (last lines):\n{_tail(log)}", file=sys.stderr)
        raise
    finally:
        if server is not None:
            stop(server)
        failures_log = _tail(log, 60)
        shutil.rmtree(work, ignore_errors=True)
    print("Running conduct_audit...", file=sys.stderr)
    audit = subprocess.run([sys.executable, "manage.py", "conduct_audit"], cwd=ROOT, env=env,  # nosec B603
                           capture_output=True, text=True, timeout=1800, check=False)
    return {"samples": samples, "audit": audit,
            "server_log": failures_log}


def summarise(args, info: dict, outcome: dict) -> tuple[str, list[str]]:
    from results import markdown_table

    samples = outcome["samples"]
    everything = _stats(samples)
    browse = _stats([s for s in samples if s[0] not in LOGIN_REQUESTS])
    names = sorted({s[0] for s in samples})
    per_name = [[name, *(_fmt(_stats([s for s in samples if s[0] == name])))] for name in names]
    per_name.append(["All requests", *_fmt(everything)])
    per_name.append(["All but the login", *_fmt(browse)])
    errors = {}
    for sample in samples:
        if not sample[2]:
            errors[sample[4]] = errors.get(sample[4], 0) + 1
    audit = outcome["audit"]
    audit_text = (audit.stdout.strip().splitlines() or ["(no output)"])[-1]
    misses = []
    if everything["failures"]:
        misses.append(f"{everything['failures']} failed requests")
    if not everything["p95"] < P95_TARGET_MS:
        misses.append(f"p95 {everything['p95']:.0f} ms >= {P95_TARGET_MS:.0f} ms")
    if audit.returncode != 0:
        misses.append(f"conduct_audit exited {audit.returncode}")
    data = info["data"]
    # Requests over the span in which they were made (locust's start-up and stop not counted).
    span = max(s[3] for s in samples) - min(s[3] for s in samples) if samples else 0
    rate = everything["count"] / span if span else math.nan
    lines = ["## Load test: PostgreSQL", ""]
    lines += [f"- {label}: {value}" for label, value in info["environment"]]
    lines += [
        f"- Data: {data['incidents']:,} incidents at {data['schools']} schools, {data['people']:,} people",
        f"- Setup: gunicorn, {args.workers} workers of {args.threads} thread(s) on 127.0.0.1, DEBUG off; "
        f"locust headless, {args.users} users spawned {args.spawn_rate:g}/s, "
        f"then all {args.users} for {args.duration} s, {args.wait_min:g}-{args.wait_max:g} s between a "
        f"user's requests; each user logs in through the login form as one of {', '.join(args.accounts)}, then "
        f"browses home, lists, search, case and person pages",
        f"- Result: {everything['count']:,} requests, {everything['failures']} failures, {rate:.1f} requests/s; "
        f"median {everything['median']:.0f} ms, p95 {everything['p95']:.0f} ms, p99 {everything['p99']:.0f} ms "
        f"(login excluded: median {browse['median']:.0f} ms, p95 {browse['p95']:.0f} ms, p99 {browse['p99']:.0f} ms)",
        f"- conduct_audit afterwards: {audit_text} (exit {audit.returncode})",
        f"- Targets: no failed request, p95 < {P95_TARGET_MS:.0f} ms over all requests, conduct_audit passes",
        f"- Verdict: {'every target met' if not misses else 'MISSED: ' + '; '.join(misses)}",
        *[f"- Failure ({count}x): {message}" for message, count in sorted(errors.items(), key=lambda e: -e[1])[:5]],
        "",
        markdown_table(["Request", "Count", "Failures", "Median ms", "p95 ms", "p99 ms", "Max ms"], per_name,
                       align="lrrrrrr"),
    ]
    return "\n".join(lines), misses


def _fmt(stats: dict) -> list:
    return [stats["count"], stats["failures"], f"{stats['median']:.0f}", f"{stats['p95']:.0f}",
            f"{stats['p99']:.0f}", f"{stats['max']:.0f}"]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=50)
    # Each login is a PBKDF2 check (a quarter of a second of CPU here): ten a second would queue
    # every request behind them on two workers for the first seconds, measuring the hasher.
    parser.add_argument("--spawn-rate", type=float, default=2, help="users started (logging in) per second, "
                        "default 2; the run lasts users/rate seconds more than --duration")
    parser.add_argument("--duration", type=int, default=60, help="seconds (default 60)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (default 2)")
    # As the README's deployment runs it: a worker's other threads answer while one waits for the
    # database or hashes a password at login (hashlib lets go of the GIL); 1 gives sync workers.
    parser.add_argument("--threads", type=int, default=4, help="threads per gunicorn worker (default 4)")
    parser.add_argument("--wait-min", type=float, default=1.0, help="least think time between requests, s")
    parser.add_argument("--wait-max", type=float, default=3.0, help="most think time between requests, s")
    parser.add_argument("--accounts", default=",".join(ACCOUNTS), help="comma-separated usernames")
    parser.add_argument("--password", default="conduct-demo", help="their password (default: the generator's)")
    parser.add_argument("--results", type=Path, help="results file (default bench/results.md)")
    parser.add_argument("--no-write", action="store_true", help="do not write the results file")
    parser.add_argument("--no-fail", action="store_true", help="exit 0 even when a target is missed")
    args = parser.parse_args(argv)
    args.accounts = [a for a in args.accounts.split(",") if a]

    database_url = os.environ.get("DATABASE_URL", "")
    if not database_url.startswith(("postgres://", "postgresql://")):
        print("bench/load.py runs against PostgreSQL only: set DATABASE_URL=postgres://... (the README's "
              "benchmark section says how to start a local PostgreSQL 15). SQLite serialises writes and "
              "would measure its lock, not the application.", file=sys.stderr)
        return 2
    # The settings module sets defaults in os.environ when imported; the servers get the environment as it was.
    base_env = dict(os.environ)
    try:
        info = prepare(args)
    except LookupError as error:
        print(f"Cannot run the load test: {error}.\nThe data comes from: bench/run.py --generate 200000",
              file=sys.stderr)
        return 2
    outcome = run_load(args, info, base_env)
    body, misses = summarise(args, info, outcome)
    print("\n" + body)
    if outcome["audit"].returncode != 0:
        print(outcome["audit"].stdout[-4000:], outcome["audit"].stderr[-2000:], file=sys.stderr)
    if misses and outcome["server_log"]:
        print(f"\ngunicorn's log (last lines):\n{outcome['server_log']}", file=sys.stderr)
    if not args.no_write:
        from results import RESULTS, write_section

        print(f"\nWrote {write_section('load-postgresql', body, args.results or RESULTS)}")
    if misses:
        return 0 if args.no_fail else 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
