"""The e-mail that invites an account holder to set a password."""

from app import mail, tokens


def send_set_password(account, intro: str):
    """Queue the set-password e-mail for ``account``; it goes out after commit."""
    return mail.queue(
        account.email,
        "Stel uw wachtwoord in voor PE-inzage",
        "set_password",
        account=account,
        intro=intro,
        link=tokens.password_link(account, "set-password"),
        login_url=tokens.login_page_url(),
    )
