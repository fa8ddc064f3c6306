"""smtp_sink.py PORT FILE — a local SMTP server (python3-aiosmtpd) on
127.0.0.1:PORT that appends each message it accepts to FILE as one JSON
line {"from", "rcpt", "subject", "body"} (subject and body decoded, with
the stdlib email parser). Runs until killed."""
import email
import email.policy
import json
import signal
import sys
import threading

from aiosmtpd.controller import Controller

port, out = int(sys.argv[1]), sys.argv[2]


class Sink:
    async def handle_DATA(self, server, session, envelope):
        msg = email.message_from_bytes(envelope.original_content or envelope.content,
                                       policy=email.policy.default)
        rec = {"from": envelope.mail_from, "rcpt": envelope.rcpt_tos, "subject": str(msg["subject"]),
               "to": str(msg["to"]), "body": msg.get_content()}
        with open(out, "a", encoding="utf-8") as f:
            f.write(json.dumps(rec, ensure_ascii=False) + "\n")
        return "250 OK"


c = Controller(Sink(), hostname="127.0.0.1", port=port)
c.start()
done = threading.Event()
signal.signal(signal.SIGTERM, lambda *_: done.set())
done.wait()
c.stop()
