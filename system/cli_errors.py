"""How `sop` fails: one line that says what went wrong and what to do, never a traceback (SOP_DEBUG=1 shows it).

Commands raise `CliError` where they know what the user should do; `Guarded`, the group every command
runs in, prints it and exits, and turns anything unexpected into one line too.
"""
from __future__ import annotations

import contextlib
import json
import os
from collections.abc import Iterator
from typing import Any, NoReturn

import httpx
import redis.exceptions
import typer
from rich.console import Console
from rich.markup import escape
from typer._click.exceptions import ClickException  # typer's own click: what it prints itself
from typer.core import TyperGroup

errors = Console(stderr=True, width=300)  # one line is one line, however narrow the terminal
USAGE = 2  # click's code for a bad command line


class CliError(Exception):
    def __init__(self, message: str, code: int = 1):
        super().__init__(message)
        self.code = code


def fail(message: str, code: int = 1) -> NoReturn:
    raise CliError(message, code)


def debugging() -> bool:
    return os.environ.get("SOP_DEBUG", "") not in ("", "0")


class Guarded(TyperGroup):
    def invoke(self, ctx: typer.Context) -> Any:
        try:
            return super().invoke(ctx)
        except CliError as exc:
            if debugging():
                raise  # with what it was made from, chained
            errors.print(f"[red]error:[/] {escape(str(exc))}", soft_wrap=True)
            raise typer.Exit(exc.code) from None
        except (typer.Exit, typer.Abort, ClickException):  # click prints these itself
            raise
        except Exception as exc:
            if debugging():
                raise
            errors.print(f"[red]error:[/] {escape(type(exc).__name__)}: {escape(one_line(str(exc)))} "
                         "(SOP_DEBUG=1 shows the traceback)", soft_wrap=True)
            raise typer.Exit(1) from None


def one_line(text: str, limit: int = 300) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[:limit - 1] + "…"


def api_error(response: httpx.Response) -> str:
    """The API's {"error", "reason"} as one line; whatever else it answered, shortened."""
    try:
        body = response.json()
    except json.JSONDecodeError:
        body = None
    if isinstance(body, dict) and "error" in body:
        reason = str(body.get("reason", ""))
        fields = "; ".join(f"{f.get('field')}: {f.get('problem')}" for f in body.get("fields") or [])
        return one_line(f"{response.status_code} {body['error']}: {reason}"
                        + (f" ({fields})" if fields and fields not in reason else ""))
    return one_line(f"{response.status_code} from {response.request.url}: {response.text}")


@contextlib.contextmanager
def talking_to(what: str, url: str, hint: str) -> Iterator[None]:
    """Turns a service that does not answer, or answers an error, into one line naming it and the way out."""
    try:
        yield
    except httpx.HTTPStatusError as exc:
        fail(f"{what} at {url} answered {api_error(exc.response)}")
    except (httpx.TransportError, redis.exceptions.ConnectionError, redis.exceptions.TimeoutError) as exc:
        reason = one_line(str(exc)) or type(exc).__name__
        fail(f"cannot reach {what} at {url} ({reason}): is `sop up` running? {hint}")
