#!/usr/bin/env python3
"""Writes bench/RESULTS.md from the runs bench/run made.

usage: report.py WORK RUNS DURATION CONNS AGREEMENTS IMPORT_COUNT HOT_SET IMPORT_MB

Each run left WORK/runN/figures ("name value…" lines) and WORK/runN/pages
(tab-separated: path, who, "req/s p50 p99", first view in seconds).
Every figure is reported as the median of the runs with the spread
(lowest–highest); a ratio is computed within each run — kontor against
the baseline measured minutes before it on the same box — and its median
and spread reported the same way (#23).
"""
import datetime
import os
import statistics
import subprocess
import sys


def ms(text: str) -> float:
    """wrk's latency ("209.00us", "1.23ms", "1.02s") in milliseconds."""
    for unit, factor in (("us", 0.001), ("ms", 1.0), ("s", 1000.0)):
        if text.endswith(unit):
            return float(text[: -len(unit)]) * factor
    return float(text)


def load(work: str, runs: int):
    figures, pages = [], []
    for i in range(1, runs + 1):
        f = {}
        for line in open(os.path.join(work, f"run{i}", "figures"), encoding="utf-8"):
            name, *values = line.split()
            f[name] = values
        figures.append(f)
        rows = []
        for line in open(os.path.join(work, f"run{i}", "pages"), encoding="utf-8"):
            path, who, summary, first = line.rstrip("\n").split("\t")
            rps, p50, p99 = summary.split()
            rows.append((path, who, float(rps), ms(p50), ms(p99), float(first) * 1000))
        pages.append(rows)
    return figures, pages


def spread(values, fmt="{:.0f}") -> str:
    """Median, and lowest–highest when there are several runs."""
    med = fmt.format(statistics.median(values))
    if len(values) == 1:
        return med
    return f"{med} ({fmt.format(min(values))}–{fmt.format(max(values))})"


def main() -> None:
    work, runs, duration, conns, agreements, import_count, hot_set, import_mb = sys.argv[1:9]
    runs = int(runs)
    figures, pages = load(work, runs)

    def col(name, index=0, conv=float):
        return [conv(f[name][index]) for f in figures]

    hello = col("hello")
    raw_w1 = col("raw_writes_1")
    hot, cold, submit = col("elig_hot"), col("elig_cold"), col("submit")
    submit_p99 = col("submit", 2, ms)
    worker = [int(f["worker"][0]) / float(f["worker"][1]) for f in figures]
    imp, raw_insert = col("import"), col("raw_insert")

    def ratio(a, b):
        return [x / y for x, y in zip(a, b)]

    def met(values, ok) -> str:
        good = sum(1 for v in values if ok(v))
        return "yes" if good == len(values) else ("no" if good == 0 else f"{good} of {len(values)} runs")

    r_hot, r_cold = ratio(hot, hello), ratio(cold, hello)
    r_submit, r_worker = ratio(submit, raw_w1), ratio(worker, raw_w1)
    r_import = ratio(imp, raw_insert)
    cpu = next(l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name"))
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") // 2**30
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True).stdout.strip()
    out = []
    w = out.append
    w("# Benchmark results\n")
    w(f"Produced by `bench/run` on {datetime.date.today()} (commit {commit}) — {os.cpu_count()} cores ({cpu}),")
    w(f"{mem} GiB RAM, loopback, wrk and the server sharing the same 2 cores.")
    w("Release build; embedded SQLite (WAL, synchronous=NORMAL, build flags and")
    w("settings in docs/operations.md); wrk -t2 "
      f"-c{conns} -d{duration}. Bench data: the demo set plus {agreements} contracts of one account.")
    w("Results on PostgreSQL (two instances, two workers, pgbench as the reference):")
    w("[RESULTS-postgres.md](RESULTS-postgres.md), from `bench/run-postgres`.\n")
    w(f"**{runs} runs**, each on a fresh copy of the same database. Every cell is the")
    w("median of the runs with the lowest and highest in brackets; a ratio is taken")
    w("within each run, against the baseline measured in that run.\n")
    w("## Baselines (measured in every run)\n")
    w("| baseline | median (spread) |")
    w("|---|---|")
    w(f"| hello-world axum, req/s | {spread(hello)} |")
    w(f"| raw SQLite point read by primary key (rusqlite, prepared), 1 thread, reads/s | {spread(col('raw_reads_1'))} |")
    w(f"| the same on 2 threads, reads/s | {spread(col('raw_reads_2'))} |")
    w(f"| raw SQLite one-row write transactions, one commit each, rows/s | {spread(raw_w1)} |")
    w(f"| raw SQLite write transactions of 32 rows, rows/s | {spread(col('raw_writes_32'))} |")
    w(f"| raw SQLite inserting the rows of the import (accounts, partners, agreements, assignments) into an empty copy of the schema, 10,000 rows per transaction, s | {spread(raw_insert, '{:.2f}')} |")
    w("")
    w("Raw SQLite: `bench/raw-sqlite`, on the same SQLite build and connection")
    w("settings as kontor (same `libsqlite3-sys`, flags, `mmap_size`, cache).\n")
    w("## kontor against the baselines (#23)\n")
    w("| what | result | ratio | target | met |")
    w("|---|---|---|---|---|")
    w(f"| eligibility (GET …/partner-change/eligibility), working set of {hot_set} agreements, req/s | {spread(hot)} | {spread(r_hot, '{:.2f}')} of hello-world | ≥ 0.55 | {met(r_hot, lambda v: v >= 0.55)} |")
    w(f"| eligibility spread over all {agreements} agreements (cold: almost every read misses the cache), req/s | {spread(cold)} | {spread(r_cold, '{:.2f}')} of hello-world | ≥ 0.30 | {met(r_cold, lambda v: v >= 0.30)} |")
    w(f"| submit (POST /api/v1/partner-changes, 202 each), req/s | {spread(submit)} | {spread(r_submit, '{:.2f}')} of raw one-commit writes | ≥ 0.30 | {met(r_submit, lambda v: v >= 0.30)} |")
    w(f"| submit p99 at {conns} connections, ms | {spread(submit_p99, '{:.2f}')} | | < 10 ms | {met(submit_p99, lambda v: v < 10)} |")
    w(f"| worker apply (`kontor worker --once --no-delivery`, batches of 1000, whole process), applies/s | {spread(worker)} | {spread(r_worker, '{:.2f}')} of raw one-commit writes | ≥ 0.80 | {met(r_worker, lambda v: v >= 0.80)} |")
    w(f"| `kontor import` of {import_count} agreements ({import_mb} MB JSON), s | {spread(imp, '{:.2f}')} | {spread(r_import, '{:.2f}')} × raw grouped inserts | ≤ 1.5 × | {met(r_import, lambda v: v <= 1.5)} |")
    w("")
    w("## Latency and earlier targets\n")
    w("| what | p50, ms | p99, ms | target |")
    w("|---|---|---|---|")
    w(f"| hello-world axum | {spread(col('hello', 1, ms), '{:.2f}')} | {spread(col('hello', 2, ms), '{:.2f}')} | — |")
    w(f"| eligibility, working set | {spread(col('elig_hot', 1, ms), '{:.2f}')} | {spread(col('elig_hot', 2, ms), '{:.2f}')} | p99 < 10 ms |")
    w(f"| eligibility, cold | {spread(col('elig_cold', 1, ms), '{:.2f}')} | {spread(col('elig_cold', 2, ms), '{:.2f}')} | p99 < 10 ms |")
    w(f"| submit | {spread(col('submit', 1, ms), '{:.2f}')} | {spread(submit_p99, '{:.2f}')} | ≥ 5,000/s, p99 < 10 ms |")
    if all("mixed" in f for f in figures):
        w(f"| submit while serve's worker applies the submit stage's backlog (batches of 500; "
          f"{spread(col('mixed'))} submits/s, answers other than 202 per run: "
          f"{', '.join(f['mixed'][3] for f in figures)}; {spread(col('mixed', 4))} requests applied meanwhile) | "
          f"{spread(col('mixed', 1, ms), '{:.2f}')} | {spread(col('mixed', 2, ms), '{:.2f}')} | — |")
    if all("drain_elig" in f for f in figures):
        w(f"| eligibility of {hot_set} agreements the backlog does not touch, while serve's worker applies it "
          f"(batches of 500; {spread(col('drain_elig'))} req/s, answers other than 200 per run: "
          f"{', '.join(f['drain_elig'][3] for f in figures)}; {spread(col('drain_elig', 4))} requests applied meanwhile) | "
          f"{spread(col('drain_elig', 1, ms), '{:.2f}')} | {spread(col('drain_elig', 2, ms), '{:.2f}')} | p99 < 10 ms |")
    w("")
    errors = [int(f["submit_errors"][0]) for f in figures]
    w(f"- Submit answers other than 202: {', '.join(map(str, errors))} (per run).")
    w(f"- Worker: {', '.join(f['worker'][0] for f in figures)} requests applied per run (target ≥ 20,000/s).")
    w(f"- Import peak RSS: {spread(col('import', 1))} MB (target < 20 s, < 150 MB).")
    w(f"- Assistant (POST /api/v1/assistant/ask), each of the {figures[0]['assistant'][0]} questions of "
      f"bench/assistant/questions.tsv once, one connection: p50 {spread(col('assistant', 1), '{:.1f}')} ms, "
      f"p95 {spread(col('assistant', 2), '{:.1f}')} ms, max {spread(col('assistant', 3), '{:.1f}')} ms (target p95 < 20 ms).")
    w(f"- Start-up on the bench database until the port is open: {spread(col('startup_ms'))} ms "
      f"(help center indexed in {spread(col('startup_ms', 1))} ms; target index < 1 s).\n")
    w("## Portal pages\n")
    w("Server time per page, measured with one connection (wrk -t1 -c1), so the")
    w("latency is the server's work plus loopback, without queueing. Signed in as")
    w("the person named (customer admins of the account holding all bench")
    w("agreements, the vendor's operator, or a visitor: -). Target: every page")
    w("under 10 ms. \"first view\" is one request made before the run (curl, wall")
    w("time): what a page costs when nothing of it is cached yet.\n")
    w("| page | pages/s | p50, ms | p99, ms | first view, ms |")
    w("|---|---|---|---|---|")
    for i, (path, who, *_rest) in enumerate(pages[0]):
        per = [run[i] for run in pages]
        w(f"| `{path}` ({who}) | {spread([p[2] for p in per])} | {spread([p[3] for p in per], '{:.2f}')} "
          f"| {spread([p[4] for p in per], '{:.2f}')} | {spread([p[5] for p in per], '{:.1f}')} |")
    print("\n".join(out))


if __name__ == "__main__":
    main()
