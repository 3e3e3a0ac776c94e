"""The back-office service: `create_app(settings)` builds a FastAPI app (no global app).

The database is opened (and migrated, and the shipped templates seeded) when the app
starts (lifespan), or at once when a ready `BackofficeContext` is handed in (tests, the
embedded demo).
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import AsyncIterator

from fastapi import FastAPI

from backoffice.api import errors
from backoffice.api.middleware import BodySizeLimit, ErrorWall
from backoffice.api.routes import (
    accounts,
    callboard,
    corepull,
    counter,
    enrolment,
    export,
    health,
    ingest,
    measurements,
    metrics,
    paper,
    queue,
    records,
    reservations,
    retention,
    templates,
    visits,
)
from backoffice.context import BackofficeContext, open_context
from backoffice.metrics import Metrics, RequestMetrics
from backoffice.settings import BackofficeSettings
from sync.protocol import API_PREFIX

DESCRIPTION = """書かない窓口 Madoguchi の受付バックオフィス / the back office of Madoguchi.

Every refusal answers JSON `{code, ja, en}`. Kiosks authenticate with a terminal token
(`mdt_…`), staff and admins with a login session token (`mds_…`), both as
`Authorization: Bearer …`.
"""


ENV_DATA_DIR = "MADOGUCHI_BACKOFFICE_DIR"
ENV_DB = "MADOGUCHI_BACKOFFICE_DB"


def app_from_environment() -> FastAPI:
    """Factory for uvicorn's worker processes (`--workers N`): the settings come from the
    environment, and the parent process has already migrated the database, seeded the
    templates and made the key pair, so workers starting together do not race at it."""
    from pathlib import Path

    from backoffice.settings import DEFAULT_DATA_DIR

    settings = BackofficeSettings(
        data_dir=Path(os.environ.get(ENV_DATA_DIR) or DEFAULT_DATA_DIR),
        db_url=os.environ.get(ENV_DB) or None,
        migrate_on_start=False,
    )
    return create_app(settings)


def create_app(settings: BackofficeSettings, context: BackofficeContext | None = None) -> FastAPI:
    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        own = context is None
        app.state.context = context or open_context(settings)
        try:
            yield
        finally:
            if own:
                app.state.context.close()

    app = FastAPI(
        title="Madoguchi back office",
        version="1",
        description=DESCRIPTION,
        lifespan=lifespan,
        openapi_url=f"{API_PREFIX}/openapi.json",
        docs_url=f"{API_PREFIX}/docs",
        redoc_url=None,
    )
    if context is not None:
        app.state.context = context
    errors.install(app)
    for module in (
        health,
        accounts,
        ingest,
        templates,
        queue,
        records,
        paper,
        callboard,
        counter,
        measurements,
        corepull,
        export,
        enrolment,
        visits,
        retention,
        reservations,
        metrics,
    ):
        app.include_router(module.router, prefix=API_PREFIX)

    ingest_path = f"{API_PREFIX}/ingest"

    def limit_for(path: str) -> int:
        return settings.max_ingest_body if path == ingest_path else settings.max_other_body

    app.add_middleware(BodySizeLimit, limit_for=limit_for)
    app.add_middleware(ErrorWall)
    app.state.metrics = Metrics()
    app.add_middleware(RequestMetrics, metrics=app.state.metrics)  # outermost: sees every 500
    return app
