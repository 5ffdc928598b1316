"""The data model; one module per aggregate."""

from app.models.audit import AuditEvent
from app.models.base import db, utcnow
from app.models.contact import Contact, ContactRole
from app.models.inzage import Inzage
from app.models.organisation import Organisation, OrganisationStatus
from app.models.outbox import OutboxMessage
from app.models.professional import Activity, Professional, RegistrationPeriod
from app.models.register import Register
from app.models.report_job import ReportJob, ReportJobStatus
from app.models.staff import Staff

__all__ = [
    "Activity",
    "AuditEvent",
    "Contact",
    "ContactRole",
    "Inzage",
    "Organisation",
    "OrganisationStatus",
    "OutboxMessage",
    "Professional",
    "Register",
    "RegistrationPeriod",
    "ReportJob",
    "ReportJobStatus",
    "Staff",
    "db",
    "utcnow",
]
