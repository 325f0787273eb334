"""A webhook receiver for kontor's tests that checks every signature with
an independent implementation (the `standardwebhooks` package).

Prints "listening <port>" once ready. Also logs the webhook-timestamp. Reads the secret(s) it trusts from
--secrets (one per line, re-read on every request, so a test can write it
after creating the endpoint). Appends one JSON line per request to --log:
{"id", "type", "valid", "status", "signatures"}. Answers:
- 401 when no signature verifies,
- --status CODE (with Retry-After: --retry-after when given) for the first
  --fail requests (default 500),
- 204 otherwise,
each after --delay-ms (a slow receiver).
"""
import argparse
import hmac
import json
from datetime import datetime, timezone
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from standardwebhooks.webhooks import Webhook, WebhookVerificationError


def verifies(secret, body, headers):
    """The library's own signer decides. Its `verify` also refuses
    timestamps more than five minutes from this machine's clock, and the
    tests run kontor on a clock of their own, so the timestamp is checked
    by the tests instead."""
    try:
        ts = datetime.fromtimestamp(int(headers.get("webhook-timestamp", "")), tz=timezone.utc)
        expected = Webhook(secret).sign(headers.get("webhook-id", ""), ts, body.decode())
    except (ValueError, WebhookVerificationError):
        return False
    given = headers.get("webhook-signature", "").split(" ")
    return any(hmac.compare_digest(expected, g) for g in given)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--secrets", required=True)
    p.add_argument("--log", required=True)
    p.add_argument("--fail", type=int, default=0)
    p.add_argument("--status", type=int, default=500)
    p.add_argument("--retry-after")
    p.add_argument("--delay-ms", type=int, default=0)
    a = p.parse_args()
    state = {"left": a.fail}
    lock = threading.Lock()

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def do_POST(self):
            if a.delay_ms:
                time.sleep(a.delay_ms / 1000)
            body = self.rfile.read(int(self.headers.get("content-length", "0")))
            headers = {k.lower(): v for k, v in self.headers.items()}
            try:
                with open(a.secrets) as f:
                    secrets = [s.strip() for s in f if s.strip()]
            except FileNotFoundError:
                secrets = []
            valid = any(verifies(s, body, headers) for s in secrets)
            with lock:
                if not valid:
                    status = 401
                elif state["left"] > 0:
                    state["left"] -= 1
                    status = a.status
                else:
                    status = 204
                try:
                    kind = json.loads(body).get("type")
                except ValueError:
                    kind = None
                with open(a.log, "a") as f:
                    f.write(json.dumps({
                        "id": headers.get("webhook-id"),
                        "type": kind,
                        "valid": valid,
                        "status": status,
                        "signatures": headers.get("webhook-signature", "").count("v1,"),
                        "timestamp": headers.get("webhook-timestamp"),
                    }) + "\n")
            self.send_response(status)
            if status != 204 and a.retry_after:
                self.send_header("Retry-After", a.retry_after)
            if status in (301, 302, 307, 308):
                self.send_header("Location", "/elsewhere")
            self.send_header("Content-Length", "0")
            self.end_headers()

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    print(f"listening {server.server_address[1]}", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
