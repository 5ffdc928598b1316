"""Staff load professionals, periods and activities from a file."""

from flask import Response, abort, flash, redirect, render_template, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from sqlalchemy import select
from wtforms import SelectField

from app.admin import bp, importer
from app.auth.access import staff_required
from app.models import Register, db
from app.validators import parse_id

#: Problems shown on the page; a file with more is usually wrong as a whole.
MAX_PROBLEMS_SHOWN = 200
CSV_KINDS = {
    "professionals": importer.PROFESSIONALS,
    "periodes": importer.PERIODS,
    "activiteiten": importer.ACTIVITIES,
}


class ImportForm(FlaskForm):
    register_id = SelectField(
        "Register van nieuwe professionals", coerce=parse_id, validate_choice=False
    )
    file = FileField(
        "Bestand (.xlsx of .csv)",
        validators=[FileRequired("Kies een bestand om te laden.")],
    )


def _summary_message(summary: importer.Summary) -> str:
    if not summary.changed:
        return (
            "Het bestand is verwerkt: alles stond er al zo in, er is niets veranderd."
        )
    parts = []
    for label, counts in (
        ("Professionals", summary.professionals),
        ("Periodes", summary.periods),
        ("Activiteiten", summary.activities),
    ):
        parts.append(
            f"{label}: {counts.created} nieuw, {counts.updated} gewijzigd, "
            f"{counts.unchanged} ongewijzigd"
        )
    return "Het bestand is verwerkt. " + "; ".join(parts) + "."


def _load(form: ImportForm, register: Register):
    """Read and check the upload; apply it when clean. Return (problems, summary)."""
    upload = form.file.data
    try:
        sheets = importer.read_file(upload.filename, upload.read())
    except importer.UnreadableFile as exc:
        form.file.errors.append(str(exc))
        return [], None
    plan, problems = importer.validate(sheets, register)
    if problems:
        return problems, None
    return [], importer.apply(plan, register, actor=current_user)


@bp.route("/gegevens-laden", methods=["GET", "POST"])
@staff_required
def import_data():
    """Upload professionals, periods and activities; apply only a clean file."""
    registers = db.session.scalars(select(Register).order_by(Register.name)).all()
    form = ImportForm()
    form.register_id.choices = [(r.id, r.name) for r in registers]
    problems = []

    if form.validate_on_submit():
        register_id = form.register_id.data
        register = db.session.get(Register, register_id) if register_id else None
        if register is None:
            form.register_id.errors.append("Kies een register.")
        else:
            problems, summary = _load(form, register)
            if summary is not None:
                flash(_summary_message(summary), "success")
                return redirect(url_for("admin.import_data"))

    status = 422 if form.errors or problems else 200
    return (
        render_template(
            "admin/import.html",
            form=form,
            problems=problems[:MAX_PROBLEMS_SHOWN],
            problem_count=len(problems),
            columns=importer.COLUMNS,
            counts=importer.count_rows(),
            csv_kinds=CSV_KINDS,
        ),
        status,
    )


@bp.route("/gegevens-laden/sjabloon.xlsx")
@staff_required
def import_template_xlsx():
    """Download the XLSX template with one sheet per kind."""
    return Response(
        importer.template_xlsx(),
        mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        headers={"Content-Disposition": "attachment; filename=pe-inzage-sjabloon.xlsx"},
    )


@bp.route("/gegevens-laden/sjabloon-<kind>.csv")
@staff_required
def import_template_csv(kind: str):
    """Download the CSV template of one kind."""
    if kind not in CSV_KINDS:
        abort(404)
    return Response(
        importer.template_csv(CSV_KINDS[kind]),
        mimetype="text/csv",
        headers={"Content-Disposition": f"attachment; filename=pe-inzage-{kind}.csv"},
    )
