"""aiosmtpd handler for the portal's tests and benchmark: each accepted message is written as
one file in <folder>/new (through <folder>/tmp and a rename, so a reader never sees half a
message). Unlike aiosmtpd's Mailbox handler it does not fsync every message: these are test
messages, and an fsync per message would make the SMTP server, not the portal, the bottleneck
of the delivery benchmark.

    python -m aiosmtpd -n -l 127.0.0.1:2525 -c portal_smtp_sink.Folder /tmp/mail

PORTAL_SMTP_DELAY_MS makes it take that long over each message before accepting it, like a
server that checks what it receives: the crash test uses it to have emails in flight when it
kills the portal. A message whose sender goes away meanwhile is not accepted (aiosmtpd cancels
the handler when the connection is lost).
"""

import asyncio
import itertools
import os


class Folder:
    def __init__(self, path):
        self.path = path
        self.counter = itertools.count()
        self.delay = int(os.environ.get("PORTAL_SMTP_DELAY_MS", "0")) / 1000
        for sub in ("tmp", "new"):
            os.makedirs(os.path.join(path, sub), exist_ok=True)

    @classmethod
    def from_cli(cls, parser, *args):
        if len(args) != 1:
            parser.error("The Folder handler takes one argument: the folder")
        return cls(args[0])

    async def handle_DATA(self, server, session, envelope):
        if self.delay:
            await asyncio.sleep(self.delay)
        name = f"{os.getpid()}-{next(self.counter)}.eml"
        temporary = os.path.join(self.path, "tmp", name)
        with open(temporary, "wb") as file:
            file.write(envelope.original_content or envelope.content)
        os.rename(temporary, os.path.join(self.path, "new", name))
        return "250 OK"
