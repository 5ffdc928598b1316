"""Command-line tasks: ``flask create-staff``, ``flask mail send-pending``,
``flask seed-demo``."""

import click
from flask import Flask, current_app
from flask.cli import AppGroup, with_appcontext
from sqlalchemy import func, select

from app import audit, mail
from app.auth.forms import MIN_PASSWORD_LENGTH
from app.models import Staff, db

mail_cli = AppGroup("mail", help="The e-mail outbox.")


@mail_cli.command("send-pending")
@click.option("--limit", default=500, show_default=True)
def send_pending_command(limit: int) -> None:
    """Send waiting messages; safe to run from cron while the app serves."""
    sent, failed = mail.send_pending(limit=limit)
    click.echo(f"sent: {sent}, failed: {failed}")
    if failed:
        raise SystemExit(1)


@click.command("create-staff")
@click.option("--name", prompt="Naam")
@click.option("--email", prompt="E-mailadres")
@click.option("--username", prompt="Gebruikersnaam")
@click.password_option("--password", prompt="Wachtwoord")
def create_staff_command(name: str, email: str, username: str, password: str) -> None:
    """Create a register staff account."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise click.BadParameter(f"at least {MIN_PASSWORD_LENGTH} characters")
    taken = db.session.scalar(
        select(func.count(Staff.id)).where(
            (func.lower(Staff.username) == username.lower())
            | (Staff.email == email.lower())
        )
    )
    if taken:
        raise click.ClickException("username or e-mail address already in use")
    staff = Staff(name=name, email=email.lower(), username=username)
    staff.set_password(password)
    db.session.add(staff)
    db.session.flush()
    audit.record("staff.created", actor=None, subject=staff)
    db.session.commit()
    click.echo(f"staff account {username} created")


@click.command("seed-demo")
@with_appcontext
def seed_demo_command() -> None:
    """Load the demo data once and print the demo logins."""
    from app import demo

    if current_app.config["APP_ENV"] == "production":
        raise click.ClickException("demo accounts have a published password; not here")
    if demo.is_loaded():
        click.echo("Demo data is already loaded; nothing changed.")
        return
    logins = demo.seed()
    db.session.commit()
    click.echo("Demo data loaded. Demo logins (role: username / password):")
    for login in logins:
        click.echo(f"  {login.role}: {login.username} / {login.password}")
    base_url = current_app.config["BASE_URL"]
    click.echo(f"Log in at {base_url}/login")
    if current_app.config["MAIL_DEV_OUTBOX"]:
        click.echo(f"Mail that would have been sent: {base_url}/dev/mail")


def init_app(app: Flask) -> None:
    app.cli.add_command(mail_cli)
    app.cli.add_command(create_staff_command)
    app.cli.add_command(seed_demo_command)
