"""The file-reading worker of guard.py: frames in on stdin, one JSON reply per file on stdout.

Runs with an address-space cap so a decompression bomb ends in MemoryError, not a swapping
laptop. Imports only the loaders (no torch, no Chroma): it starts in a fraction of a second.
"""
from __future__ import annotations

import json
import os
import sys


def _cap_memory() -> None:
    megabytes = int(os.environ.get("ASSISTANT_WORKER_MEMORY_MB") or 0)
    if not megabytes:
        return
    try:
        import resource

        limit = megabytes * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    except (ImportError, ValueError, OSError):
        pass  # no cap on this platform; the time cap still holds


def main() -> int:
    from assistant.config import go_offline

    go_offline()
    from assistant.errors import LoadError
    from assistant.ingest.guard import article_to_json, read_frame, write_frame
    from assistant.ingest.load import parse_article

    _cap_memory()
    stdin, stdout = sys.stdin.buffer, sys.stdout.buffer
    write_frame(stdout, b"ready")
    while True:
        header = read_frame(stdin)
        if header is None:
            return 0
        request = json.loads(header)
        raw = read_frame(stdin) or b""
        try:
            article = parse_article(raw, request["suffix"], request["source"], request["max_pdf_pages"])
            reply = {"article": article_to_json(article)}
        except LoadError as exc:
            reply = {"reason": exc.reason, "kind": exc.kind, "details": exc.details}
        except MemoryError:
            reply = {"reason": "too complex to read (it needs too much memory)", "kind": "too_complex"}
        except RecursionError:
            reply = {"reason": "too deeply nested to read", "kind": "too_complex"}
        except Exception as exc:  # a parser bug on a strange file must not stop the others
            reply = {"reason": f"could not be read ({type(exc).__name__})", "kind": "unreadable"}
        write_frame(stdout, json.dumps(reply).encode())


if __name__ == "__main__":
    sys.exit(main())
