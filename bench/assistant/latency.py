#!/usr/bin/env python3
"""Asks every question of a question set once over HTTP (one keep-alive
connection, POST /api/v1/assistant/ask) and prints "count p50 p95 max
errors" in milliseconds: the assistant's time per question as a person
waits for it, server and loopback included.

    latency.py BASE_URL TOKEN QUESTIONS.tsv
"""
import http.client
import json
import sys
import time
import urllib.parse


def main() -> None:
    base, token, path = sys.argv[1], sys.argv[2], sys.argv[3]
    url = urllib.parse.urlparse(base)
    conn = http.client.HTTPConnection(url.hostname, url.port)
    questions = [line.split("\t")[3] for line in open(path, encoding="utf-8").read().splitlines()[1:] if line.strip()]
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    times, errors = [], 0
    for question in questions:
        body = json.dumps({"question": question})
        started = time.perf_counter()
        conn.request("POST", "/api/v1/assistant/ask", body, headers)
        response = conn.getresponse()
        response.read()
        times.append((time.perf_counter() - started) * 1000)
        errors += response.status != 200
    times.sort()
    pick = lambda p: times[min(len(times) - 1, max(0, round(p * len(times)) - 1))]
    print(f"{len(times)} {pick(0.5):.2f} {pick(0.95):.2f} {times[-1]:.2f} {errors}")


if __name__ == "__main__":
    main()
