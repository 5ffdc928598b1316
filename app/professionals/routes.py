from app.auth.access import beheerder_or_staff_required, contact_required
from app.professionals import bp


@bp.route("/")
@contact_required
def index():
    """Professionals who gave the signed-in contact inzage."""
    # TODO: not built yet
    return "Professionals"


@bp.route("/rapportage")
@beheerder_or_staff_required
def report():
    """The overall report of the organisation's PE-medewerkers."""
    # TODO: not built yet
    return "Rapportage"
