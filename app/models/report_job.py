"""A report file made outside the web request, kept for a limited time."""

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import UTCDateTime, db, utcnow


class ReportJobStatus:
    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"


class ReportJob(db.Model):
    __tablename__ = "report_job"
    #: The worker looks for the oldest queued job.
    __table_args__ = (Index("ix_report_job_status", "status", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Unguessable id used in URLs.
    token: Mapped[str] = mapped_column(String(64), unique=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"))
    #: Only the requester may download the file: a contact ("c") or staff ("s").
    requested_by_id: Mapped[int]
    requested_by_kind: Mapped[str] = mapped_column(String(1), default="c")
    file_format: Mapped[str] = mapped_column(String(8))
    #: Filters the report was made with, as given in the query string.
    parameters: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(16), default=ReportJobStatus.QUEUED)
    progress: Mapped[int] = mapped_column(default=0)
    total: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    file_path: Mapped[str | None] = mapped_column(String(500))
    error: Mapped[str | None] = mapped_column(Text)
