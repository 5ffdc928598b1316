from app.registration import bp


@bp.route("/")
def choose_register():
    """Choose the register (beroepsgroep) to request an employer account for."""
    # TODO: the request form is not built yet
    return "Aanvragen"
