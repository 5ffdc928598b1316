from app.auth.access import beheerder_required
from app.contacts import bp


@bp.route("/beheerders")
@beheerder_required
def index():
    """The table of contacts."""
    # TODO: not built yet
    return "Beheerders"


@bp.route("/")
@beheerder_required
def organisation():
    """The organisation's details."""
    # TODO: not built yet
    return "Organisatie"
