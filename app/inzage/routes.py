from app.auth.access import professional_required
from app.inzage import bp


@bp.route("/dossier")
@professional_required
def dossier():
    """The professional's own PE dossier."""
    # TODO: not built yet
    return "Mijn dossier"


@bp.route("/inzage")
@professional_required
def index():
    """The inzage the professional has given."""
    # TODO: not built yet
    return "Inzage werkgever"
