"""ErrorResponse bodies and the exception handlers that produce them.

Every 400/401/403/404/500 (and any injected fault status) is answered with the reference's
ErrorResponse shape ``{"success": false, "status": N, "error": {"message", "type", "details"}}``.
422s are left to FastAPI's own handler, which already produces ``{"detail": [{loc, msg, type}]}``.
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from pulumi_mixpeek.models import ErrorDetail, ErrorResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

__all__ = ["ApiError", "error_body", "error_type", "install_error_handlers"]

log = logging.getLogger("mixpeek_emulator")

#: Server-side error class names used as ``error.type``, one per status.
ERROR_TYPES: dict[int, str] = {
    400: "BadRequestError",
    401: "UnauthorizedError",
    403: "ForbiddenError",
    404: "NotFoundError",
    405: "MethodNotAllowedError",
    409: "ConflictError",
    429: "TooManyRequestsError",
    500: "InternalServerError",
    502: "BadGatewayError",
    503: "ServiceUnavailableError",
    504: "GatewayTimeoutError",
}


def error_type(status: int) -> str:
    """The ``error.type`` identifier used for a status code."""
    return ERROR_TYPES.get(status, "InternalServerError" if status >= 500 else "ClientError")


class ApiError(Exception):
    """An API error answered with an ErrorResponse body."""

    def __init__(
        self,
        status: int,
        message: str,
        *,
        details: dict[str, Any] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.details = details
        self.headers = headers


def error_body(status: int, message: str, details: dict[str, Any] | None = None) -> dict[str, Any]:
    """The JSON body of an ErrorResponse."""
    body = ErrorResponse(
        status=status,
        error=ErrorDetail(message=message, type=error_type(status), details=details),
    )
    dumped: dict[str, Any] = body.model_dump(mode="json")
    return dumped


def _respond(status: int, message: str, details: dict[str, Any] | None = None,
             headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse(error_body(status, message, details), status_code=status, headers=headers)


async def _api_error(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, ApiError)
    return _respond(exc.status, exc.message, exc.details, exc.headers)


async def _http_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    message = str(exc.detail)
    if exc.status_code == 404 and message == "Not Found":
        message = f"No route {request.method} {request.url.path}"
    return _respond(exc.status_code, message, None, dict(exc.headers or {}))


async def _unexpected(_: Request, exc: Exception) -> JSONResponse:
    log.exception("unhandled error", exc_info=exc)
    return _respond(500, f"Internal server error: {type(exc).__name__}")


def install_error_handlers(app: FastAPI) -> None:
    """Answer ApiError, HTTPException (unknown routes, 405) and crashes with ErrorResponse."""
    app.add_exception_handler(ApiError, _api_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(Exception, _unexpected)
