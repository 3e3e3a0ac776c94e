"""The base of the session record's models: strict, and silent about values in errors."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class RecordModel(BaseModel):
    # hide_input_in_errors: a pydantic error must never echo a name or an address.
    model_config = ConfigDict(
        extra="forbid",
        validate_assignment=True,
        hide_input_in_errors=True,
        ser_json_bytes="base64",  # the signature PNG travels as base64 text
    )
