"""Route guards per kind of account. A refusal looks like a page that does not exist."""

from functools import wraps

from flask import abort
from flask_login import current_user, login_required


def _guard(check):
    def decorator(view):
        @wraps(view)
        @login_required
        def wrapped(*args, **kwargs):
            if not check(current_user):
                abort(404)
            return view(*args, **kwargs)

        return wrapped

    return decorator


#: Register staff only.
staff_required = _guard(lambda user: user.kind == "s")
#: A professional, for their own dossier and inzage.
professional_required = _guard(lambda user: user.kind == "p")
#: Any active contact of an authorised organisation.
contact_required = _guard(lambda user: user.kind == "c")
#: The 1e or 2e contactpersoon.
beheerder_required = _guard(lambda user: user.kind == "c" and user.is_beheerder)
#: Beheerders and staff, e.g. organisation details and the report.
beheerder_or_staff_required = _guard(
    lambda user: user.kind == "s" or (user.kind == "c" and user.is_beheerder)
)
