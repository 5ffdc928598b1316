"""What every actor must get from every route: the access matrix's expected answers.

The table states what DOMAIN.md's permission table and the issues require, not what
the code happens to do: never change a row to make a failing test pass without
checking the requirement.

One line per (endpoint, method, variant). Routes with object ids in their URL are
tried three times: with an id of the actor's own organisation or dossier ("own"),
of another organisation or professional ("foreign"), and an id no row has
("unknown"); routes without one have variant "-". tests/matrix_world.py says which
objects those are per actor.

Columns, in the order of matrix_world.ACTORS:
  an  anonymous                      pr  professional P1 (inzage to mA and 1A)
  mA  Vestiging / Manager of A       2A  2e (plaatsvervanger) of A   1A  1e of A
  mB, 2B, 1B  the same of B (P2 gave inzage to all three)
  pe  1e of a requested (pending) organisation
  su  1e of a suspended organisation
  st  register staff
Answers:
  200, 404, 405, ...  that status code (a refusal looks like a page that does not exist)
  302  a redirect elsewhere: a signed-in user sent home, an allowed POST that acted
  L    a redirect to the login page (/login)
  W    a redirect to the waiting page (/wacht-op-autorisatie)
POSTs carry no form data: an allowed one answers 200 (form with errors) or 302.
"""

TABLE = """
# endpoint                 method variant  an  pr  mA  2A  1A  mB  2B  1B  pe  su  st

# --- public pages and signing in
main.index                 GET    -        200 302 302 302 302 302 302 302 W   W   302
# The waiting page gate covers every endpoint, the health check too.
main.health                GET    -        200 200 200 200 200 200 200 200 W   W   200
auth.login                 GET    -        200 302 302 302 302 302 302 302 W   W   302
auth.login                 POST   -        200 302 302 302 302 302 302 302 W   W   302
auth.logout                POST   -        L   L   L   L   L   L   L   L   L   L   L
auth.forgot_password       GET    -        200 200 200 200 200 200 200 200 W   W   200
auth.forgot_password       POST   -        200 200 200 200 200 200 200 200 W   W   200
# Whoever holds a set-password link may use it; "foreign" is a link made for
# resetting a password, which is worthless for setting one.
auth.set_password          GET    own      200 200 200 200 200 200 200 200 W   W   200
auth.set_password          GET    foreign  404 404 404 404 404 404 404 404 W   W   404
auth.set_password          GET    unknown  404 404 404 404 404 404 404 404 W   W   404
auth.set_password          POST   own      200 200 200 200 200 200 200 200 W   W   200
auth.set_password          POST   foreign  404 404 404 404 404 404 404 404 W   W   404
auth.set_password          POST   unknown  404 404 404 404 404 404 404 404 W   W   404
auth.account               GET    -        L   200 200 200 200 200 200 200 W   W   200
auth.account               POST   -        L   200 200 200 200 200 200 200 W   W   200
auth.pending               GET    -        L   404 404 404 404 404 404 404 200 200 404

# --- employer account request: a public page, open to whoever is signed in too
registration.choose_register GET  -        200 200 200 200 200 200 200 200 W   W   200
registration.request_form  GET    -        200 200 200 200 200 200 200 200 W   W   200
registration.request_form  POST   -        200 200 200 200 200 200 200 200 W   W   200
# Without a request just made in this session it sends to the start.
registration.received      GET    -        302 302 302 302 302 302 302 302 W   W   302

# --- register staff: requests and organisations ("own" is A, "foreign" B)
admin.requests             GET    -        L   404 404 404 404 404 404 404 W   W   200
admin.organisations        GET    -        L   404 404 404 404 404 404 404 W   W   200
# A and B are authorised already: authorising or reinstating them changes
# nothing and says so on the list.
admin.authorise            POST   own      L   404 404 404 404 404 404 404 W   W   302
admin.authorise            POST   foreign  L   404 404 404 404 404 404 404 W   W   302
admin.authorise            POST   unknown  L   404 404 404 404 404 404 404 W   W   404
admin.reject               POST   own      L   404 404 404 404 404 404 404 W   W   200
admin.reject               POST   foreign  L   404 404 404 404 404 404 404 W   W   200
admin.reject               POST   unknown  L   404 404 404 404 404 404 404 W   W   404
admin.suspend              GET    own      L   404 404 404 404 404 404 404 W   W   200
admin.suspend              GET    foreign  L   404 404 404 404 404 404 404 W   W   200
admin.suspend              GET    unknown  L   404 404 404 404 404 404 404 W   W   404
admin.suspend              POST   own      L   404 404 404 404 404 404 404 W   W   200
admin.suspend              POST   foreign  L   404 404 404 404 404 404 404 W   W   200
admin.suspend              POST   unknown  L   404 404 404 404 404 404 404 W   W   404
admin.reinstate            POST   own      L   404 404 404 404 404 404 404 W   W   302
admin.reinstate            POST   foreign  L   404 404 404 404 404 404 404 W   W   302
admin.reinstate            POST   unknown  L   404 404 404 404 404 404 404 W   W   404

# --- register staff: data import and professionals ("own" is P1, "foreign" P2)
admin.import_data          GET    -        L   404 404 404 404 404 404 404 W   W   200
admin.import_data          POST   -        L   404 404 404 404 404 404 404 W   W   422
admin.import_template_xlsx GET    -        L   404 404 404 404 404 404 404 W   W   200
admin.import_template_csv  GET    -        L   404 404 404 404 404 404 404 W   W   200
admin.professionals        GET    -        L   404 404 404 404 404 404 404 W   W   200
admin.professional         GET    own      L   404 404 404 404 404 404 404 W   W   200
admin.professional         GET    foreign  L   404 404 404 404 404 404 404 W   W   200
admin.professional         GET    unknown  L   404 404 404 404 404 404 404 W   W   404
admin.invite_professional  POST   own      L   404 404 404 404 404 404 404 W   W   302
admin.invite_professional  POST   foreign  L   404 404 404 404 404 404 404 W   W   302
admin.invite_professional  POST   unknown  L   404 404 404 404 404 404 404 W   W   404
# "mixed": P1 with P2's period.
admin.mark_submitted       POST   own      L   404 404 404 404 404 404 404 W   W   302
admin.mark_submitted       POST   foreign  L   404 404 404 404 404 404 404 W   W   302
admin.mark_submitted       POST   mixed    L   404 404 404 404 404 404 404 W   W   404
admin.mark_submitted       POST   unknown  L   404 404 404 404 404 404 404 W   W   404

# --- organisation details and contacts: beheerders of their own organisation, staff
# of any. "own" is the actor's organisation (A for staff) and its extra manager,
# "foreign" the other organisation and its extra manager, "mixed" the own
# organisation with the other's contact in the URL.
contacts.organisation      GET    own      L   404 404 200 200 404 200 200 W   W   200
contacts.organisation      GET    foreign  L   404 404 404 404 404 404 404 W   W   200
contacts.organisation      GET    unknown  L   404 404 404 404 404 404 404 W   W   404
contacts.organisation      POST   own      L   404 404 302 302 404 302 302 W   W   302
contacts.organisation      POST   foreign  L   404 404 404 404 404 404 404 W   W   302
contacts.organisation      POST   unknown  L   404 404 404 404 404 404 404 W   W   404
contacts.index             GET    own      L   404 404 200 200 404 200 200 W   W   200
contacts.index             GET    foreign  L   404 404 404 404 404 404 404 W   W   200
contacts.index             GET    unknown  L   404 404 404 404 404 404 404 W   W   404
contacts.add               GET    own      L   404 404 200 200 404 200 200 W   W   200
contacts.add               GET    foreign  L   404 404 404 404 404 404 404 W   W   200
contacts.add               GET    unknown  L   404 404 404 404 404 404 404 W   W   404
contacts.add               POST   own      L   404 404 200 200 404 200 200 W   W   200
contacts.add               POST   foreign  L   404 404 404 404 404 404 404 W   W   200
contacts.add               POST   unknown  L   404 404 404 404 404 404 404 W   W   404
# Without a role in the form the request is malformed: 400 once access is granted.
contacts.change_role       POST   own      L   404 404 400 400 404 400 400 W   W   400
contacts.change_role       POST   foreign  L   404 404 404 404 404 404 404 W   W   400
contacts.change_role       POST   mixed    L   404 404 404 404 404 404 404 W   W   404
contacts.change_role       POST   unknown  L   404 404 404 404 404 404 404 W   W   404
# Without confirmed=1 the answer is the confirmation page.
contacts.deactivate        POST   own      L   404 404 200 200 404 200 200 W   W   200
contacts.deactivate        POST   foreign  L   404 404 404 404 404 404 404 W   W   200
contacts.deactivate        POST   mixed    L   404 404 404 404 404 404 404 W   W   404
contacts.deactivate        POST   unknown  L   404 404 404 404 404 404 404 W   W   404
contacts.activate          POST   own      L   404 404 302 302 404 302 302 W   W   302
contacts.activate          POST   foreign  L   404 404 404 404 404 404 404 W   W   302
contacts.activate          POST   mixed    L   404 404 404 404 404 404 404 W   W   404
contacts.activate          POST   unknown  L   404 404 404 404 404 404 404 W   W   404
contacts.resend            POST   own      L   404 404 302 302 404 302 302 W   W   302
contacts.resend            POST   foreign  L   404 404 404 404 404 404 404 W   W   302
contacts.resend            POST   mixed    L   404 404 404 404 404 404 404 W   W   404
contacts.resend            POST   unknown  L   404 404 404 404 404 404 404 W   W   404
# Only the 1e hands the 1e role over (and staff); the 2e may not.
contacts.hand_over         GET    own      L   404 404 404 200 404 404 200 W   W   200
contacts.hand_over         GET    foreign  L   404 404 404 404 404 404 404 W   W   200
contacts.hand_over         GET    unknown  L   404 404 404 404 404 404 404 W   W   404
contacts.hand_over         POST   -        L   404 404 404 200 404 404 200 W   W   200
# "own": the role goes to the organisation's extra manager.
contacts.hand_over         POST   own      L   404 404 404 302 404 404 302 W   W   302
contacts.hand_over         POST   foreign  L   404 404 404 404 404 404 404 W   W   302
# The own organisation's 1e role handed to the other organisation's contact.
contacts.hand_over         POST   mixed    L   404 404 404 200 404 404 200 W   W   200
contacts.hand_over         POST   unknown  L   404 404 404 404 404 404 404 W   W   404

# --- the professional's own dossier and inzage ("own" is P1's inzage to A's
# manager, "foreign" P2's to B's; for the contact options "foreign" is the
# requested organisation P, which professionals may not choose)
inzage.dossier             GET    -        L   200 404 404 404 404 404 404 W   W   404
inzage.index               GET    -        L   200 404 404 404 404 404 404 W   W   404
inzage.add                 GET    -        L   200 404 404 404 404 404 404 W   W   404
inzage.add                 POST   -        L   422 404 404 404 404 404 404 W   W   404
# A's manager has P1's inzage already: saved as it is. P's contact, or A with P's
# contact ("mixed"), is refused with a message next to the field.
inzage.add                 POST   own      L   302 404 404 404 404 404 404 W   W   404
inzage.add                 POST   foreign  L   422 404 404 404 404 404 404 W   W   404
inzage.add                 POST   mixed    L   422 404 404 404 404 404 404 W   W   404
inzage.add                 POST   unknown  L   422 404 404 404 404 404 404 W   W   404
inzage.organisation_options GET   -        L   200 404 404 404 404 404 404 W   W   404
inzage.contact_options     GET    -        L   200 404 404 404 404 404 404 W   W   404
inzage.contact_options     GET    own      L   200 404 404 404 404 404 404 W   W   404
inzage.contact_options     GET    foreign  L   200 404 404 404 404 404 404 W   W   404
inzage.contact_options     GET    unknown  L   200 404 404 404 404 404 404 W   W   404
inzage.revoke              GET    own      L   200 404 404 404 404 404 404 W   W   404
inzage.revoke              GET    foreign  L   404 404 404 404 404 404 404 W   W   404
inzage.revoke              GET    unknown  L   404 404 404 404 404 404 404 W   W   404
inzage.revoke              POST   own      L   302 404 404 404 404 404 404 W   W   404
inzage.revoke              POST   foreign  L   404 404 404 404 404 404 404 W   W   404
inzage.revoke              POST   unknown  L   404 404 404 404 404 404 404 W   W   404

# --- what employer contacts see of professionals ("own" is P1 for A, P2 for B)
professionals.index        GET    -        L   404 200 200 200 200 200 200 W   W   404
# P1 gave A's 2e no inzage: the 2e of A opens no dossier, though P1 is in the report.
professionals.dossier      GET    own      L   404 200 404 200 200 200 200 W   W   404
professionals.dossier      GET    foreign  L   404 404 404 404 404 404 404 W   W   404
professionals.dossier      GET    unknown  L   404 404 404 404 404 404 404 W   W   404

# --- the employer report. Beheerders always get their own organisation, whatever
# organisation_id says; staff choose one ("-": the choice page).
professionals.report       GET    -        L   404 404 200 200 404 200 200 W   W   200
professionals.report       GET    own      L   404 404 200 200 404 200 200 W   W   200
professionals.report       GET    foreign  L   404 404 200 200 404 200 200 W   W   200
professionals.report       GET    unknown  L   404 404 200 200 404 200 200 W   W   404
# Files need an organisation: staff who name none get nothing. A PDF is queued
# and the answer is its progress page (303).
professionals.report_xlsx  GET    -        L   404 404 200 200 404 200 200 W   W   404
professionals.report_xlsx  GET    own      L   404 404 200 200 404 200 200 W   W   200
professionals.report_xlsx  GET    foreign  L   404 404 200 200 404 200 200 W   W   200
professionals.report_xlsx  GET    unknown  L   404 404 200 200 404 200 200 W   W   404
professionals.report_pdf   POST   -        L   404 404 303 303 404 303 303 W   W   404
professionals.report_pdf   POST   own      L   404 404 303 303 404 303 303 W   W   303
professionals.report_pdf   POST   foreign  L   404 404 303 303 404 303 303 W   W   303
professionals.report_pdf   POST   unknown  L   404 404 303 303 404 303 303 W   W   404
# A finished PDF goes to whoever asked for it and nobody else: "own" is the
# actor's own job (for the manager: the 1e's), "foreign" is another's of another
# organisation (for A's side: staff's report of B, made by staff whose id is 1eA's).
professionals.report_job   GET    own      L   404 404 200 200 404 200 200 W   W   200
professionals.report_job   GET    foreign  L   404 404 404 404 404 404 404 W   W   404
professionals.report_job   GET    unknown  L   404 404 404 404 404 404 404 W   W   404
professionals.report_job_file GET own      L   404 404 200 200 404 200 200 W   W   200
professionals.report_job_file GET foreign  L   404 404 404 404 404 404 404 W   W   404
professionals.report_job_file GET unknown  L   404 404 404 404 404 404 404 W   W   404
"""

CODES = {"L", "W", "302"} | {str(code) for code in range(200, 600)}


def parse(table: str, width: int) -> dict[tuple[str, str, str], tuple[str, ...]]:
    """Rows of ``table`` by (endpoint, method, variant); ``width`` answers each."""
    rows = {}
    for number, line in enumerate(table.splitlines(), start=1):
        text = line.split("#", 1)[0].strip()
        if not text:
            continue
        endpoint, method, variant, *answers = text.split()
        key = (endpoint, method, variant)
        if len(answers) != width:
            raise ValueError(f"line {number}: {len(answers)} answers, not {width}")
        if unknown := [a for a in answers if a not in CODES]:
            raise ValueError(f"line {number}: unknown answers {unknown}")
        if key in rows:
            raise ValueError(f"line {number}: {key} appears twice")
        rows[key] = tuple(answers)
    return rows


#: Answers that fall short of the requirement and cannot be fixed in this code yet,
#: tolerated with a warning: (endpoint, method, variant, actor) -> (the answer the
#: code gives, why). A gap that closes fails the matrix until its line is removed.
KNOWN_GAPS: dict[tuple[str, str, str, str], tuple[str, str]] = {}
