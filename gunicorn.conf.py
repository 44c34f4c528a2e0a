"""gunicorn settings, read from the environment like the rest of the configuration."""

import ipaddress
import os

bind = os.environ.get("GUNICORN_BIND", f"0.0.0.0:{os.environ.get('PORT', '8000')}")
workers = int(os.environ.get("GUNICORN_WORKERS", "3"))
threads = int(os.environ.get("GUNICORN_THREADS", "2"))
# PDFs of a large provision map take a few seconds; anything slower belongs in a Celery task.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
# The TLS proxy in front sets X-Forwarded-*; only trust it from these addresses. gunicorn compares
# the peer's address with each one exactly, so "*" (anybody may claim HTTPS and rewrite the path
# gunicorn passes on) and networks such as 10.0.0.0/8 (which would match nothing) are refused.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
for _address in forwarded_allow_ips.split(","):
    try:
        ipaddress.ip_address(_address.strip())
    except ValueError:
        raise SystemExit(
            f"FORWARDED_ALLOW_IPS must list the TLS proxy's IP addresses, not {_address.strip()!r}"
        ) from None
accesslog = "-"
errorlog = "-"
