"""A real SMTP server for kontor's tests (aiosmtpd), with faults on demand.

Prints "listening <port>" once ready. Every accepted message is written to
<dir>/<n>.eml. Faults: the first --drop connections are cut right after
MAIL FROM; the first --tempfail messages are answered 451 at DATA.
"""
import argparse
import asyncio
import os
import socket
import sys
import threading

from aiosmtpd.controller import Controller


class Sink:
    def __init__(self, out_dir, drop, tempfail):
        self.out_dir = out_dir
        self.drop = drop
        self.tempfail = tempfail
        self.accepted = 0
        self.lock = threading.Lock()

    async def handle_MAIL(self, server, session, envelope, address, mail_options):
        with self.lock:
            cut = self.drop > 0
            if cut:
                self.drop -= 1
        if cut:
            server.transport.close()
            return "421 4.3.0 closing connection"
        envelope.mail_from = address
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            refuse = self.tempfail > 0
            if refuse:
                self.tempfail -= 1
            else:
                self.accepted += 1
                n = self.accepted
        if refuse:
            return "451 4.3.0 try again later"
        path = os.path.join(self.out_dir, f"{n:06d}.eml")
        with open(path + ".tmp", "wb") as f:
            f.write(envelope.original_content or envelope.content)
        os.rename(path + ".tmp", path)
        return "250 OK queued"


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--dir", required=True)
    p.add_argument("--drop", type=int, default=0)
    p.add_argument("--tempfail", type=int, default=0)
    a = p.parse_args()
    os.makedirs(a.dir, exist_ok=True)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    controller = Controller(Sink(a.dir, a.drop, a.tempfail), hostname="127.0.0.1", port=port)
    controller.start()
    print(f"listening {port}", flush=True)
    try:
        sys.stdin.read()  # runs until the test closes our stdin or kills us
    finally:
        controller.stop()


if __name__ == "__main__":
    main()
