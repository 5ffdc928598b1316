from flask import redirect, render_template, url_for
from flask_login import current_user

from app.auth.services import home_endpoint
from app.main import bp


@bp.route("/")
def index():
    """Send a signed-in user home; show what the product is to everyone else."""
    if current_user.is_authenticated:
        return redirect(url_for(home_endpoint(current_user)))
    return render_template("main/index.html")


@bp.route("/health")
def health():
    """Answer a load balancer; touches nothing."""
    return "ok"
