"""Flask extensions, created once and bound to the app in `create_app` (microblog's pattern)."""

from __future__ import annotations

from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_wtf import CSRFProtect

csrf = CSRFProtect()
login_manager = LoginManager()
# No default limits: only the routes that need throttling (sign-in, two-factor) carry one.
limiter = Limiter(key_func=get_remote_address, default_limits=[])
