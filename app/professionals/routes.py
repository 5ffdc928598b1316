import io
import logging
from pathlib import Path

from flask import (
    abort,
    current_app,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_login import current_user
from sqlalchemy import select

from app import audit
from app.auth.access import beheerder_or_staff_required, contact_required
from app.clock import today
from app.dossier import load_dossier
from app.models import Organisation, ReportJob, ReportJobStatus, db, utcnow
from app.models.base import MAX_PAGE
from app.policy import get_dossier_or_404
from app.professionals import bp
from app.professionals.queries import SORTS, ProfessionalSearch, search_professionals
from app.reports import jobs
from app.reports.query import (
    MONTH_CHOICES,
    STATUSES,
    ReportFilters,
    count_rows,
    make_header,
    report_rows,
)
from app.reports.xlsx import build_xlsx
from app.validators import parse_id, parse_number

log = logging.getLogger(__name__)

REPORT_PER_PAGE = 100
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@bp.route("/")
@contact_required
def index():
    """Professionals who gave the signed-in contact inzage, searchable."""
    search = ProfessionalSearch.from_args(request.args)

    results = search_professionals(current_user, search, current_app.config["PER_PAGE"])

    template = "_list.html" if request.headers.get("HX-Request") else "index.html"
    return render_template(
        f"professionals/{template}", search=search, results=results, sorts=SORTS
    )


@bp.route("/<int:professional_id>")
@contact_required
def dossier(professional_id: int):
    """Open the dossier of a professional who gave this contact inzage, read-only."""
    professional, inzage = get_dossier_or_404(current_user, professional_id)

    page = render_template(
        "professionals/dossier.html",
        dossier=load_dossier(professional),
        inzage=inzage,
        back_url=_safe_back_url(),
    )

    audit.record(
        "dossier.opened",
        actor=current_user,
        subject=professional,
        organisation_id=current_user.organisation_id,
    )
    db.session.commit()
    return page


def _safe_back_url() -> str:
    """The list with the search the user came from, never another site."""
    back = request.args.get("terug", "")
    if back.startswith("/professionals/") and "//" not in back and "\\" not in back:
        return back
    return url_for("professionals.index")


# --- the employer report -----------------------------------------------------------


def _report_organisation() -> Organisation | None:
    """The beheerder's own organisation, or the one a staff member chose."""
    if current_user.kind == "c":
        return current_user.organisation
    organisation_id = request.values.get("organisation_id", "")
    if not organisation_id:
        return None
    if parse_id(organisation_id) is None:
        abort(404)
    return db.get_or_404(Organisation, parse_id(organisation_id))


def _organisation_args(organisation: Organisation) -> dict:
    return {"organisation_id": organisation.id} if current_user.kind == "s" else {}


def _file_name(organisation: Organisation, extension: str) -> str:
    number = organisation.werkgevernummer or organisation.id
    return f"werkgeversrapport-{number}-{today():%Y-%m-%d}.{extension}"


@bp.route("/rapportage")
@beheerder_or_staff_required
def report():
    """The overall report of the organisation's PE-medewerkers, page by page."""
    organisation = _report_organisation()
    if organisation is None:
        return _choose_organisation()
    filters = ReportFilters.from_args(request.args)
    page = request.args.get("page", "1")
    page = parse_number(page, MAX_PAGE) or 1

    total = count_rows(organisation.id, today(), filters)
    pages = max(1, -(-total // REPORT_PER_PAGE))
    page = min(page, pages)
    rows = report_rows(
        organisation,
        today(),
        filters,
        limit=REPORT_PER_PAGE,
        offset=(page - 1) * REPORT_PER_PAGE,
    )
    header = make_header(organisation, current_user.name, filters, utcnow())

    return render_template(
        "professionals/report.html",
        organisation=organisation,
        header=header,
        rows=rows,
        total=total,
        page=page,
        pages=pages,
        filters=filters,
        statuses=STATUSES,
        month_choices=MONTH_CHOICES,
        args={**filters.as_args(), **_organisation_args(organisation)},
    )


def _choose_organisation():
    organisations = db.session.scalars(
        select(Organisation)
        .where(Organisation.werkgevernummer.is_not(None))
        .order_by(Organisation.name)
    ).all()
    return render_template(
        "professionals/report_choose.html", organisations=organisations
    )


@bp.route("/rapportage.xlsx")
@beheerder_or_staff_required
def report_xlsx():
    """Download the whole report as an XLSX workbook, made in the request."""
    organisation = _report_organisation() or abort(404)
    filters = ReportFilters.from_args(request.args)

    rows = report_rows(organisation, today(), filters)
    header = make_header(organisation, current_user.name, filters, utcnow())
    content = build_xlsx(header, rows)

    audit.record(
        "report.downloaded",
        actor=current_user,
        organisation_id=organisation.id,
        file_format="xlsx",
        rows=len(rows),
    )
    db.session.commit()
    return send_file(
        io.BytesIO(content),
        mimetype=XLSX_TYPE,
        as_attachment=True,
        download_name=_file_name(organisation, "xlsx"),
    )


@bp.post("/rapportage/pdf")
@beheerder_or_staff_required
def report_pdf():
    """Queue the PDF report and show its progress; small reports are made at once."""
    organisation = _report_organisation() or abort(404)
    filters = ReportFilters.from_args(request.form)

    job = jobs.create_pdf_job(organisation, current_user, filters)
    inline = current_app.config.get("REPORT_JOBS_INLINE", False)
    if inline or count_rows(organisation.id, today(), filters) <= jobs.INLINE_MAX_ROWS:
        jobs.run_job(job.id)

    return redirect(url_for("professionals.report_job", token=job.token), code=303)


def _own_job_or_404(token: str) -> ReportJob:
    job = db.session.scalar(select(ReportJob).where(ReportJob.token == token))
    if (
        job is None
        or job.requested_by_kind != current_user.kind
        or job.requested_by_id != current_user.id
    ):
        abort(404)
    return job


@bp.route("/rapportage/taken/<token>")
@beheerder_or_staff_required
def report_job(token: str):
    """Show how far the PDF is; offer the file when it is ready."""
    job = _own_job_or_404(token)
    expired = job.expires_at is not None and job.expires_at < utcnow()

    template = "_job.html" if request.headers.get("HX-Request") else "job.html"
    return render_template(
        f"professionals/{template}",
        job=job,
        expired=expired,
        status=ReportJobStatus,
    )


@bp.route("/rapportage/taken/<token>/bestand")
@beheerder_or_staff_required
def report_job_file(token: str):
    """Send the finished PDF to the one who asked for it, while it is kept."""
    job = _own_job_or_404(token)
    if (
        job.status != ReportJobStatus.DONE
        or job.file_path is None
        or job.expires_at < utcnow()
        or not Path(job.file_path).is_file()
    ):
        abort(404)
    organisation = db.session.get(Organisation, job.organisation_id)

    audit.record(
        "report.downloaded",
        actor=current_user,
        subject=job,
        organisation_id=organisation.id,
        file_format="pdf",
    )
    db.session.commit()
    return send_file(
        job.file_path,
        mimetype="application/pdf",
        as_attachment=True,
        download_name=_file_name(organisation, "pdf"),
    )
