"""``flask reports work``: the process that makes queued PDF reports."""

import click

from app.professionals import bp
from app.reports import jobs


@bp.cli.command("work")
@click.option("--once", is_flag=True, help="Stop when no job is waiting.")
def work_command(once: bool) -> None:
    """Make queued PDF reports; run beside the web server (make run does)."""
    click.echo("report worker started")
    jobs.work(once=once)
