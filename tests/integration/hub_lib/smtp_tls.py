"""smtp_tls.py MODE PORT FILE CERT KEY USER PASSWORD — a local SMTP server
(python3-aiosmtpd) on 127.0.0.1:PORT with TLS and AUTH, for the hub's
mail client (hub_remind.sh). MODE starttls: plain at first, offers
STARTTLS, refuses MAIL before it (require_starttls) and AUTH before it;
MODE smtps: TLS from the first byte (implicit TLS); MODE plain: no TLS at
all, yet it would take AUTH and the message in the clear (a trap: a client
that sends them without TLS is caught). AUTH PLAIN/LOGIN must give USER
and PASSWORD. Each accepted message is one JSON line in FILE: {"from",
"rcpt", "subject", "tls", "user"}, tls true only if the session was
encrypted, user the login it authenticated with. Runs until killed."""
import email
import email.policy
import json
import signal
import ssl
import sys
import threading

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

mode, port, out, cert, key, user, password = sys.argv[1], int(sys.argv[2]), *sys.argv[3:8]
if mode not in ("starttls", "smtps", "plain"):
    sys.exit("MODE: starttls, smtps or plain")
ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
ctx.load_cert_chain(cert, key)


def check(server, session, envelope, mechanism, auth_data):
    ok = isinstance(auth_data, LoginPassword) and auth_data.login == user.encode() and \
        auth_data.password == password.encode()
    if ok:
        session.presentie_user = user
    return AuthResult(success=ok, handled=False)


class Sink:
    async def handle_DATA(self, server, session, envelope):
        msg = email.message_from_bytes(envelope.original_content or envelope.content,
                                       policy=email.policy.default)
        tls = session.ssl is not None or server.transport.get_extra_info("ssl_object") is not None
        who = getattr(session, "presentie_user", None) if session.authenticated else None
        rec = {"from": envelope.mail_from, "rcpt": envelope.rcpt_tos, "subject": str(msg["subject"]),
               "tls": tls, "user": who}
        with open(out, "a", encoding="utf-8") as f:
            f.write(json.dumps(rec, ensure_ascii=False) + "\n")
        return "250 OK"


kw = dict(authenticator=check, auth_required=True)
if mode == "starttls":
    c = Controller(Sink(), hostname="127.0.0.1", port=port, tls_context=ctx,
                   require_starttls=True, **kw)
elif mode == "smtps":
    c = Controller(Sink(), hostname="127.0.0.1", port=port, ssl_context=ctx,
                   auth_require_tls=False, **kw)
else:
    c = Controller(Sink(), hostname="127.0.0.1", port=port, auth_require_tls=False, **kw)
c.start()
done = threading.Event()
signal.signal(signal.SIGTERM, lambda *_: done.set())
done.wait()
c.stop()
