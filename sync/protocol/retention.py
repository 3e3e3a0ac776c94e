"""Retention as the admin sees and sets it (GET/PUT /retention); no personal data."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class RetentionPeriod(BaseModel):
    """One template's retention: what it declares (the ceiling) and what is in force."""

    model_config = ConfigDict(extra="forbid")

    template_id: str
    declared_years: int | None  # None: the template declares none (its records are kept)
    basis: str | None
    declared_individual_number_days: int | None
    years: int | None  # in force
    individual_number_days: int | None
    shortened: bool = False
    set_by: str | None = None


class RetentionChange(BaseModel):
    """An admin's shorter period; None keeps (or goes back to) the declaration."""

    model_config = ConfigDict(extra="forbid")

    years: int | None = Field(default=None, ge=1, le=150)
    individual_number_days: int | None = Field(default=None, ge=0, le=3650)


class RetentionPreview(BaseModel):
    """What `retention run` would do now (the dry run): counts only, never a receipt number."""

    model_config = ConfigDict(extra="forbid")

    records_deleted: int = 0
    pdfs_deleted: int = 0
    numbers_erased: int = 0
    no_period: int = 0
    # per template: records_deleted / numbers_erased / no_period
    by_template: dict[str, dict[str, int]] = Field(default_factory=dict)
