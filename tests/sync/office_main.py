"""Run the real back office for the sync fault tests: `python office_main.py DATA_DIR PORT [DB_URL]`.

A separate process so that a test can SIGKILL it mid-batch and start it again on the same
database, like a server crash.
"""

from __future__ import annotations

import sys
from pathlib import Path

import uvicorn

from backoffice.app import create_app
from backoffice.settings import BackofficeSettings


def main() -> None:
    data_dir, port = Path(sys.argv[1]), int(sys.argv[2])
    db_url = sys.argv[3] if len(sys.argv) > 3 else None
    settings = BackofficeSettings(data_dir=data_dir, db_url=db_url, migrate_on_start=False)
    uvicorn.run(create_app(settings), host="127.0.0.1", port=port, log_level="warning")


if __name__ == "__main__":
    main()
