"""Login, logout and password routes."""

from urllib.parse import urlsplit

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required, login_user, logout_user

from app import audit, mail, tokens
from app.auth import bp
from app.auth.forms import (
    ChangePasswordForm,
    ForgotPasswordForm,
    LoginForm,
    SetPasswordForm,
)
from app.auth.services import authenticate, find_accounts, home_endpoint
from app.extensions import limiter, submitted_identifier
from app.models import db


def _login_limit_ip():
    return current_app.config["LOGIN_LIMIT_PER_IP"]


def _login_limit_account():
    return current_app.config["LOGIN_LIMIT_PER_ACCOUNT"]


def safe_next(target: str | None) -> str | None:
    """Accept only a path of this application as a redirect target."""
    if not target or not target.startswith("/") or target.startswith("//"):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or "\\" in target:
        return None
    return target


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(_login_limit_ip, methods=["POST"])
@limiter.limit(_login_limit_account, key_func=submitted_identifier, methods=["POST"])
def login():
    """Sign in any kind of account."""
    if current_user.is_authenticated:
        return redirect(url_for(home_endpoint(current_user)))
    form = LoginForm()

    if form.validate_on_submit():
        account = authenticate(form.identifier.data, form.password.data)
        if account is not None:
            login_user(account)
            audit.record("auth.login", actor=account, subject=account)
            db.session.commit()
            target = safe_next(request.args.get("next"))
            return redirect(target or url_for(home_endpoint(account)))
        form.password.errors.append(
            "Deze combinatie van gebruikersnaam en wachtwoord is onbekend."
        )
        return render_template("auth/login.html", form=form), 200

    return render_template("auth/login.html", form=form)


@bp.route("/logout", methods=["POST"])
@login_required
def logout():
    """Sign out and make the session cookie worthless everywhere it was copied to."""
    account = current_user._get_current_object()
    account.end_sessions()
    audit.record("auth.logout", actor=account, subject=account)
    db.session.commit()
    logout_user()
    flash("U bent uitgelogd.", "info")
    return redirect(url_for("auth.login"))


@bp.route("/wachtwoord-vergeten", methods=["GET", "POST"])
@limiter.limit(_login_limit_ip, methods=["POST"])
def forgot_password():
    """Mail a reset link; answer the same whether the account exists or not."""
    form = ForgotPasswordForm()

    if form.validate_on_submit():
        for account in find_accounts(form.identifier.data):
            if not account.is_active:
                continue
            mail.queue(
                account.email,
                "Wachtwoord opnieuw instellen",
                "reset_password",
                account=account,
                link=tokens.password_link(account, "reset-password"),
                login_url=tokens.login_page_url(),
            )
            audit.record("auth.reset_requested", actor=None, subject=account)
        db.session.commit()
        return render_template("auth/forgot_sent.html")

    return render_template("auth/forgot_password.html", form=form)


@bp.route(
    "/wachtwoord/<any('set-password', 'reset-password'):purpose>/<token>",
    methods=["GET", "POST"],
)
def set_password(purpose: str, token: str):
    """Set a password through an emailed link; the link works once."""
    account = tokens.load_token(token, purpose)
    if account is None:
        return render_template("auth/link_invalid.html"), 404
    form = SetPasswordForm()

    if form.validate_on_submit():
        account.set_password(form.password.data)
        audit.record(f"auth.{purpose}", actor=account, subject=account)
        db.session.commit()
        logout_user()
        flash("Uw wachtwoord is ingesteld. U kunt nu inloggen.", "success")
        return redirect(url_for("auth.login"))

    return render_template(
        "auth/set_password.html", form=form, account=account, purpose=purpose
    )


@bp.route("/account", methods=["GET", "POST"])
@login_required
def account():
    """Change the own password; other sessions of the account end."""
    form = ChangePasswordForm()

    if form.validate_on_submit():
        if not current_user.check_password(form.current_password.data):
            form.current_password.errors.append("Het huidige wachtwoord klopt niet.")
        else:
            user = current_user._get_current_object()
            user.set_password(form.password.data)
            audit.record("auth.password_changed", actor=user, subject=user)
            db.session.commit()
            login_user(user)  # this session continues with the new version
            flash("Uw wachtwoord is gewijzigd.", "success")
            return redirect(url_for("auth.account"))

    return render_template("auth/account.html", form=form)


@bp.route("/wacht-op-autorisatie")
@login_required
def pending():
    """What a contact of a not (yet) authorised organisation sees, and nothing else."""
    if current_user.kind != "c" or current_user.organisation.is_authorised:
        abort(404)
    return render_template("auth/pending.html", organisation=current_user.organisation)
