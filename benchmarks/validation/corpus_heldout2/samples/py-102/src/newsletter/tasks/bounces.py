from __future__ import annotations

import imaplib
import logging
import os

from newsletter.worker import app

log = logging.getLogger(__name__)


@app.task
def process_bounces(limit: int = 200) -> int:
    host = os.environ.get("BOUNCE_IMAP_HOST")
    if not host:
        raise RuntimeError("BOUNCE_IMAP_HOST is not configured")
    with imaplib.IMAP4_SSL(host) as imap:
        imap.login(os.environ["BOUNCE_IMAP_USER"], os.environ["BOUNCE_IMAP_PASSWORD"])
        imap.select("INBOX")
        _, data = imap.search(None, "UNSEEN")
        ids = data[0].split()[:limit]
        for msg_id in ids:
            imap.store(msg_id, "+FLAGS", "\\Seen")
    log.info("processed %d bounce messages", len(ids))
    return len(ids)
