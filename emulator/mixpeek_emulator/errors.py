"""ErrorResponse bodies and the exception handlers that produce them, per API level.

- 1.3.1: every 400/401/403/404/500 (and any injected fault status) is the reference's
  ErrorResponse ``{"success": false, "status": N, "error": {"message", "type", "details"}}``;
  422s are left to FastAPI's own handler: ``{"detail": [{loc, msg, type, ...}]}``.
- 1.3.783: every non-2xx, 422 included, is ErrorResponse, whose ErrorDetail also carries
  ``code`` (a fine-grained identifier, null unless a client may branch on it). A 422's field
  errors are in ``error.details.validation_errors`` (``[{loc, msg, type}]``); undeclared keys
  are refused with code ``extra_forbidden``, and ``error.details.accepted_keys`` names, for
  each object that had one, the keys it accepts.
"""

from __future__ import annotations

import logging
import types
from typing import Any, Union, get_args, get_origin

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from starlette.exceptions import HTTPException as StarletteHTTPException

from .levels import SEED

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
    422: "ValidationError",
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
        code: str | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.details = details
        self.headers = headers
        self.code = code


def error_body(
    status: int,
    message: str,
    details: dict[str, Any] | None = None,
    *,
    code: str | None = None,
    api_version: str = SEED,
) -> dict[str, Any]:
    """The JSON body of an ErrorResponse at an API level (``code`` from 1.3.783 on)."""
    error: dict[str, Any] = {"message": message, "type": error_type(status)}
    if api_version != SEED:
        error["code"] = code
    error["details"] = details
    return {"success": False, "status": status, "error": error}


def _level(request: Request) -> str:
    level: str = getattr(request.app.state, "api_version", SEED)
    return level


def _respond(request: Request, status: int, message: str, details: dict[str, Any] | None = None,
             headers: dict[str, str] | None = None, code: str | None = None) -> JSONResponse:
    body = error_body(status, message, details, code=code, api_version=_level(request))
    return JSONResponse(body, status_code=status, headers=headers)


async def _api_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, ApiError)
    return _respond(request, exc.status, exc.message, exc.details, exc.headers, exc.code)


async def _http_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    message = str(exc.detail)
    if exc.status_code == 404 and message == "Not Found":
        message = f"No route {request.method} {request.url.path}"
    return _respond(request, exc.status_code, message, None, dict(exc.headers or {}))


async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
    log.exception("unhandled error", exc_info=exc)
    return _respond(request, 500, f"Internal server error: {type(exc).__name__}")


# -- 422 in the ErrorResponse shape (1.3.783) -------------------------------------------
def _unwrap(annotation: Any) -> list[Any]:
    """The alternatives of an annotation: Optional/Union members, Annotated stripped."""
    while hasattr(annotation, "__metadata__"):  # Annotated[X, ...]
        annotation = get_args(annotation)[0]
    if get_origin(annotation) in (Union, types.UnionType):
        found: list[Any] = []
        for arg in get_args(annotation):
            if arg is not type(None):
                found.extend(_unwrap(arg))
        return found
    return [annotation]


def _models(annotation: Any) -> list[type[BaseModel]]:
    return [a for a in _unwrap(annotation) if isinstance(a, type) and issubclass(a, BaseModel)]


def _field(model: type[BaseModel], key: str) -> Any:
    for name, info in model.model_fields.items():
        if key in (name, info.alias):
            return info.annotation
    return None


def _descend(annotation: Any, part: str | int) -> Any:
    """The annotation one step down ``part`` of an error's loc, or None."""
    for alternative in _unwrap(annotation):
        origin = get_origin(alternative)
        if isinstance(part, int) and origin is list:
            return get_args(alternative)[0]
        if origin is dict and isinstance(part, str):
            return get_args(alternative)[1]
    models = _models(annotation)
    if isinstance(part, str):
        for model in models:
            found = _field(model, part)
            if found is not None:
                return found
        # A discriminated union names the chosen member by its tag (``method``).
        for model in models:
            tag = _field(model, "method")
            if tag is not None and part in get_args(tag):
                return model
    return None


def _accepted_keys(root: Any, path: tuple[str | int, ...]) -> list[str] | None:
    annotation = root
    for part in path:
        annotation = _descend(annotation, part)
        if annotation is None:
            return None
    models = _models(annotation)
    if len(models) != 1:
        return None
    return [info.alias or name for name, info in models[0].model_fields.items()]


def _body_annotation(request: Request) -> Any:
    route = request.scope.get("route")
    field = getattr(route, "body_field", None)
    info = getattr(field, "field_info", None)
    return getattr(info, "annotation", None)


def _dotted(loc: tuple[str | int, ...]) -> str:
    return ".".join(str(p) for p in loc)


async def _validation_error(request: Request, exc: Exception) -> JSONResponse:
    """A 422 as ErrorResponse: the field errors in ``details.validation_errors``; undeclared
    keys refused with code ``extra_forbidden``, naming the keys each object accepts."""
    assert isinstance(exc, RequestValidationError)
    errors = list(exc.errors())
    items = [{"loc": list(e["loc"]), "msg": str(e["msg"]), "type": str(e["type"])}
             for e in errors]
    extra = [tuple(e["loc"]) for e in errors if e["type"] == "extra_forbidden"]
    details: dict[str, Any] = {"validation_errors": items}
    if extra:
        root = _body_annotation(request)
        accepted: dict[str, list[str]] = {}
        for loc in extra:
            keys = _accepted_keys(root, loc[1:-1]) if loc and loc[0] == "body" else None
            if keys is not None:
                accepted[_dotted(loc[:-1])] = keys
        details["accepted_keys"] = accepted
        named = ", ".join(repr(_dotted(loc[1:] if loc[:1] == ("body",) else loc))
                          for loc in extra)
        message = f"Undeclared key(s) {named} in the request body"
        if accepted:
            message += "; accepted: " + "; ".join(
                f"{where}: {', '.join(keys)}" for where, keys in accepted.items()
            )
        return _respond(request, 422, message, details, code="extra_forbidden")
    first = errors[0] if errors else {"loc": (), "msg": "invalid request"}
    message = f"Invalid request: {_dotted(tuple(first['loc']))}: {first['msg']}"
    if len(errors) > 1:
        message += f" (and {len(errors) - 1} more)"
    return _respond(request, 422, message, details, code="validation_error")


def install_error_handlers(app: FastAPI, api_version: str = SEED) -> None:
    """Answer ApiError, HTTPException (unknown routes, 405) and crashes with ErrorResponse;
    from 1.3.783 on, request validation errors (422) too."""
    app.state.api_version = api_version
    app.add_exception_handler(ApiError, _api_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(Exception, _unexpected)
    if api_version != SEED:
        app.add_exception_handler(RequestValidationError, _validation_error)
