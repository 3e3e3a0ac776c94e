"""The back office's logs: JSON lines, one event per line, never personal data.

Every line is an object `{"ts", "level", "logger", "msg"}` (+ `"exc_type"` when an exception
was attached: its type only, never its message or traceback, which may quote a value). The
messages themselves carry ids and counts only (receipt numbers, terminal names, codes); the
tests grep the parsed lines for the sample residents' names, birth dates and addresses.
`madoguchi backoffice serve` applies `log_config()` to uvicorn's loggers and ours, in every
worker process; journald keeps the lines as they are (`journalctl -o cat -u madoguchi-backoffice`).
"""

from __future__ import annotations

import copy
import datetime as dt
import json
import logging
from typing import Any


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "ts": dt.datetime.fromtimestamp(record.created, dt.UTC).isoformat(
                timespec="milliseconds"
            ),
            "level": record.levelname.lower(),
            "logger": record.name,
            "msg": record.getMessage(),
        }
        if record.exc_info and record.exc_info[0] is not None:
            line["exc_type"] = record.exc_info[0].__name__
        return json.dumps(line, ensure_ascii=False)


def log_config() -> dict:
    """uvicorn's logging config with every handler writing JSON lines to stderr."""
    from uvicorn.config import LOGGING_CONFIG

    config = copy.deepcopy(LOGGING_CONFIG)
    json_formatter = {"()": "backoffice.logs.JsonFormatter"}
    config["formatters"] = {"json": json_formatter}
    for handler in config["handlers"].values():
        handler["formatter"] = "json"
        handler["stream"] = "ext://sys.stderr"
    config["handlers"]["madoguchi"] = {
        "class": "logging.StreamHandler",
        "formatter": "json",
        "stream": "ext://sys.stderr",
    }
    config["loggers"]["backoffice"] = {
        "handlers": ["madoguchi"],
        "level": "INFO",
        "propagate": False,
    }
    return config
