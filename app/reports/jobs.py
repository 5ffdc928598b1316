"""PDF report jobs: made outside the web request, kept for a limited time.

A job row is queued by the web request; ``flask reports work`` claims queued rows
one at a time (an UPDATE that only one worker can win, on SQLite and PostgreSQL),
renders the PDF in worker processes and stores the file in REPORT_DIR. Small
reports (and tests) may run the job right away in the request.
"""

import logging
import secrets
import time
from datetime import timedelta
from pathlib import Path

from flask import current_app
from sqlalchemy import select, update

from app import audit
from app.clock import today
from app.models import Organisation, ReportJob, ReportJobStatus, db, utcnow
from app.reports.pdf import build_pdf
from app.reports.query import ReportFilters, make_header, report_rows

log = logging.getLogger(__name__)

KEEP_FILES_FOR = timedelta(hours=1)
#: Reports up to this many rows are made in the request (about a second).
INLINE_MAX_ROWS = 150
POLL_SECONDS = 1.0
#: A job still "running" after this long lost its worker (the render itself stops
#: after pdf.TIME_LIMIT_SECONDS): queue it again.
STALE_AFTER = timedelta(minutes=10)


def create_pdf_job(organisation, requester, filters: ReportFilters) -> ReportJob:
    """Queue a PDF report of ``organisation`` for ``requester``."""
    job = ReportJob(
        token=secrets.token_urlsafe(32),
        organisation_id=organisation.id,
        requested_by_id=requester.id,
        requested_by_kind=requester.kind,
        file_format="pdf",
        parameters=_encode(filters),
        status=ReportJobStatus.QUEUED,
    )
    db.session.add(job)
    db.session.flush()
    audit.record(
        "report.requested",
        actor=requester,
        subject=job,
        organisation_id=organisation.id,
        file_format="pdf",
    )
    db.session.commit()
    log.info("report job %s queued by %s:%s", job.id, requester.kind, requester.id)
    return job


def _encode(filters: ReportFilters) -> str:
    return "&".join(f"{key}={value}" for key, value in filters.as_args().items())


def _decode(parameters: str) -> ReportFilters:
    pairs = (item.split("=", 1) for item in parameters.split("&") if "=" in item)
    return ReportFilters.from_args(dict(pairs))


def requeue_stale_jobs() -> int:
    """Queue again the jobs whose worker died while making them."""
    count = db.session.execute(
        update(ReportJob)
        .where(
            ReportJob.status == ReportJobStatus.RUNNING,
            ReportJob.started_at < utcnow() - STALE_AFTER,
        )
        .values(status=ReportJobStatus.QUEUED, started_at=None)
    ).rowcount
    db.session.commit()
    if count:
        log.warning("requeued %s stale report jobs", count)
    return count


def claim_next_job() -> int | None:
    """Mark the oldest queued job running and return its id, or None."""
    candidate = db.session.scalar(
        select(ReportJob.id)
        .where(ReportJob.status == ReportJobStatus.QUEUED)
        .order_by(ReportJob.id)
        .limit(1)
    )
    if candidate is None:
        db.session.rollback()
        return None
    claimed = db.session.execute(
        update(ReportJob)
        .where(ReportJob.id == candidate, ReportJob.status == ReportJobStatus.QUEUED)
        .values(status=ReportJobStatus.RUNNING, started_at=utcnow())
    ).rowcount
    db.session.commit()
    return candidate if claimed == 1 else None


def _requester_name(job: ReportJob) -> str:
    from app.auth.session import ACCOUNT_KINDS

    account = db.session.get(ACCOUNT_KINDS[job.requested_by_kind], job.requested_by_id)
    return account.name if account is not None else ""


def run_job(job_id: int) -> None:
    """Render the PDF of a claimed (or queued) job and store the file."""
    job = db.session.get(ReportJob, job_id)
    organisation = db.session.get(Organisation, job.organisation_id)
    filters = _decode(job.parameters)
    rows = report_rows(organisation, today(), filters)
    header = make_header(organisation, _requester_name(job), filters, job.created_at)
    job.status, job.started_at = ReportJobStatus.RUNNING, job.started_at or utcnow()
    db.session.commit()

    def progress(done: int, total: int) -> None:
        db.session.execute(
            update(ReportJob)
            .where(ReportJob.id == job_id)
            .values(progress=done, total=total)
        )
        db.session.commit()

    try:
        pdf = build_pdf(header, rows, progress=progress)
    except Exception:
        log.exception("report job %s failed", job_id)
        db.session.rollback()
        job = db.session.get(ReportJob, job_id)
        job.status, job.finished_at = ReportJobStatus.FAILED, utcnow()
        job.error = "Het rapport kon niet worden gemaakt."
        db.session.commit()
        return

    folder = Path(current_app.config["REPORT_DIR"])
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{job.token}.pdf"
    path.write_bytes(pdf)
    job = db.session.get(ReportJob, job_id)
    job.file_path = str(path)
    job.status, job.finished_at = ReportJobStatus.DONE, utcnow()
    job.expires_at = job.finished_at + KEEP_FILES_FOR
    db.session.commit()
    log.info("report job %s done", job_id)


def remove_expired_files() -> int:
    """Delete the files of jobs past their expiry; keep the rows as history."""
    expired = db.session.scalars(
        select(ReportJob).where(
            ReportJob.expires_at < utcnow(), ReportJob.file_path.is_not(None)
        )
    ).all()
    for job in expired:
        Path(job.file_path).unlink(missing_ok=True)
        job.file_path = None
    db.session.commit()
    return len(expired)


def work(once: bool = False) -> None:
    """Claim and run queued jobs until stopped (or until none is left)."""
    while True:
        requeue_stale_jobs()
        job_id = claim_next_job()
        if job_id is not None:
            run_job(job_id)
            continue
        remove_expired_files()
        if once:
            return
        time.sleep(POLL_SECONDS)
