"""Staff console: sign-in and the consultations dashboard."""

from __future__ import annotations

from flask import (
    Blueprint,
    Flask,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import (
    LoginManager,
    UserMixin,
    current_user,
    login_required,
    login_user,
    logout_user,
)
from flask_wtf import CSRFProtect
from sqlalchemy import func
from sqlmodel import Session, select

from surveys.models import (
    Answer,
    Consultation,
    Enrolment,
    Message,
    MessageStatus,
    User,
    utcnow,
)
from web.passwords import check_password
from web.permissions import Permission, can, require

bp = Blueprint("console", __name__, url_prefix="/console")
login_manager = LoginManager()
csrf = CSRFProtect()


class StaffUser(UserMixin):
    def __init__(self, user: User):
        self.id = str(user.id)
        self.email = user.email
        self.role = user.role


def init_login(app: Flask) -> None:
    login_manager.init_app(app)
    login_manager.login_view = "console.login"
    csrf.init_app(app)
    from web.chat import bp as chat_bp
    from web.sms import bp as sms_bp

    csrf.exempt(chat_bp)  # JSON API authenticated by its conversation id, not cookies
    csrf.exempt(sms_bp)  # Twilio webhooks, authenticated by their signature


def _session() -> Session:
    return Session(current_app.extensions["db_engine"], expire_on_commit=False)


@login_manager.user_loader
def load_user(user_id: str) -> StaffUser | None:
    with _session() as s:
        user = s.get(User, int(user_id)) if user_id.isdigit() else None
    return StaffUser(user) if user and user.active else None


@bp.route("/login", methods=["GET", "POST"])
def login():
    if request.method == "POST":
        email = (request.form.get("email") or "").strip().lower()
        password = request.form.get("password") or ""
        with _session() as s:
            user = s.exec(select(User).where(User.email == email)).first()
            if user and user.active and check_password(user.password_hash, password):
                user.last_login_at = utcnow()
                s.add(user)
                s.commit()
                login_user(StaffUser(user))
                return redirect(url_for(_home(user.role)))
        flash("Enter a correct email address and password.")
        return render_template("console/login.html", email=email), 401
    return render_template("console/login.html", email="")


@bp.post("/logout")
@login_required
def logout():
    logout_user()
    return redirect(url_for("console.login"))


def _home(role: str) -> str:
    """Where a user lands after signing in: duty workers only see the safeguarding queue."""
    if can(role, Permission.VIEW_DASHBOARD):
        return "console.dashboard"
    return "safeguarding.queue" if can(role, Permission.SAFEGUARDING) else "console.login"


@bp.get("/")
@require(Permission.VIEW_DASHBOARD)
def dashboard():
    with _session() as s:
        rows = []
        for c in s.exec(select(Consultation).order_by(Consultation.id)):
            counts = dict(
                s.exec(
                    select(Enrolment.status, func.count())
                    .where(Enrolment.consultation_id == c.id)
                    .group_by(Enrolment.status)
                ).all()
            )
            answers = s.exec(
                select(func.count(Answer.id))
                .join(Enrolment, Answer.enrolment_id == Enrolment.id)
                .where(Enrolment.consultation_id == c.id)
            ).one()
            rows.append({"c": c, "counts": counts, "answers": answers})
        failed = s.exec(
            select(Message)
            .where(Message.status == MessageStatus.FAILED)
            .order_by(Message.id.desc())  # type: ignore[union-attr]
            .limit(50)
        ).all()
    return render_template(
        "console/dashboard.html",
        rows=rows,
        failed=failed,
        user=current_user,
        safeguarding=can(current_user.role, Permission.SAFEGUARDING),
    )
