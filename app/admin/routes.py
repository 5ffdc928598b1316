from app.admin import bp
from app.auth.access import staff_required


@bp.route("/aanvragen")
@staff_required
def requests():
    """List employer account requests."""
    # TODO: not built yet
    return "Aanvragen"


@bp.route("/werkgevers")
@staff_required
def organisations():
    """List employer organisations."""
    # TODO: not built yet
    return "Werkgevers"
