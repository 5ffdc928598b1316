"""Staff load professionals, periods and activities from a file."""

from app.admin import bp
from app.auth.access import staff_required


@bp.route("/gegevens-laden")
@staff_required
def import_data():
    """Upload professionals, periods and activities."""
    # TODO: not built yet
    return "Gegevens laden"
