"""Facilitator: live group IPT sessions. ``create_app`` assembles it.

Flask is imported inside the factory so that ``facilitator serve`` can patch eventlet first.
"""

import logging
import os
import socket


def create_app(test_config: dict | None = None):
    """Create and configure the application; touches no database."""
    from flask import Flask

    from . import config
    from .routing import IdConverter

    app = Flask(__name__, instance_relative_config=True)
    app.url_map.converters["id"] = IdConverter
    os.makedirs(app.instance_path, exist_ok=True)
    app.config.update(config.DEFAULTS)
    app.config.update(config.environment_config(app.instance_path))
    app.config.from_pyfile("config.py", silent=True)
    app.config.update(test_config or {})
    app.config.update(config.production_overrides(app.config))
    uri = app.config["SQLALCHEMY_DATABASE_URI"]
    app.config["SQLALCHEMY_DATABASE_URI"] = config.normalise_database_url(uri)
    app.config.setdefault("WORKER_ID", f"{socket.gethostname()}:{os.getpid()}")
    configure_logging(app)
    configure_course_plans(app)
    configure_proxy(app)
    configure_extensions(app)
    configure_blueprints(app)
    configure_realtime(app)
    configure_transport_headers(app)
    return app


def configure_logging(app) -> None:
    """Log to stderr at ``LOG_LEVEL``; the transport's loggers are ours, not their own."""
    from . import logs

    logs.configure_logging(logs.level_named(str(app.config.get("LOG_LEVEL", "INFO"))))


def configure_course_plans(app) -> None:
    """Read the programme's own course plans (``COURSE_PLANS_DIR``).

    A broken plan file stops the app from starting: ``courseplans.PlanError`` names the
    file, the line and the problem (docs/deployment.md, "A programme's own course plans").
    """
    from .course import load_custom

    app.extensions["course_plans"] = load_custom(app.config["COURSE_PLANS_DIR"])


def configure_proxy(app) -> None:
    """Behind nginx, trust its X-Forwarded-* headers (client address, https, host)."""
    hops = app.config.get("TRUSTED_PROXIES", 0)
    if hops:
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)


def configure_extensions(app) -> None:
    """Bind the database, sign-in, CSRF and migrations to the app."""
    from .db import durability
    from .extensions import csrf, db, migrate

    options = dict(app.config.get("SQLALCHEMY_ENGINE_OPTIONS", {}))
    options.setdefault("hide_parameters", True)  # SQL errors must not quote health data
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        options.pop("pool_pre_ping", None)  # a file cannot drop the connection: no ping
    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = options
    durability.add_room_state_bind(app, options)
    db.init_app(app)
    durability.listen_room_state(app)
    migrate.init_app(app, db, directory=os.path.join(os.path.dirname(__file__), "migrations"))
    csrf.init_app(app)
    from .views import auth

    auth.init_app(app)


def configure_blueprints(app) -> None:
    """Register the HTTP blueprints, error pages, security headers and CLI commands."""
    from . import cli, security
    from .views import (
        api,
        errors,
        fidelity,
        filters,
        groups,
        meeting,
        meetingparts,  # noqa: F401 - it adds its routes to meeting.bp
        pages,
        pregroup,
        programme,
        reports,
        risk,
        safety,
        supervision,
    )
    from .views.ending import bp as ending_bp
    from .views.profile import bp as profile_bp

    app.register_blueprint(pages.bp)
    app.register_blueprint(groups.bp)
    app.register_blueprint(reports.bp)
    app.register_blueprint(programme.bp)
    app.register_blueprint(api.bp)
    app.register_blueprint(safety.bp)
    app.register_blueprint(risk.bp)
    app.register_blueprint(profile_bp)
    app.register_blueprint(meeting.bp)
    app.register_blueprint(pregroup.bp)
    app.register_blueprint(ending_bp)
    app.register_blueprint(supervision.bp)
    app.register_blueprint(fidelity.bp)
    errors.init_app(app)
    security.init_app(app)
    cli.init_app(app)
    filters.init_app(app)


def configure_realtime(app) -> None:
    """Bind Socket.IO; its handlers are registered first so every app gets them."""
    import realtime.ending  # noqa: F401 - the ending's live events (wellplan:save)
    import realtime.handlers  # noqa: F401 - registers the live handlers
    import realtime.roleplay  # noqa: F401 - role-play of a member's own conversation
    import realtime.round  # noqa: F401 - the script's ticks and the weekly round
    from realtime import shared
    from realtime.cookie import LiveEventSessions
    from realtime.publish import init_outbox

    from .extensions import socketio
    from .transport import JsonPacket

    init_outbox()
    manager = shared.client_manager(app.config["MESSAGE_QUEUE_URL"],
                                    app.config.get("MESSAGE_QUEUE_CHANNEL", "facilitator"),
                                    shared.init_app(app))

    app.session_interface = LiveEventSessions()

    socketio.init_app(
        app,
        async_mode=app.config["SOCKETIO_ASYNC_MODE"],
        client_manager=manager,  # in-process or over Redis; tells realtime.shared of emits
        cors_allowed_origins=app.config["ALLOWED_ORIGINS"],
        max_http_buffer_size=app.config["MAX_MESSAGE_BYTES"],
        manage_session=True,
        serializer=JsonPacket,  # JSON only: no search for binary parts (facilitator.transport)
        ping_interval=20,
        ping_timeout=20,
        # Our loggers, configured by ``logs``: left alone, each adds its own handler.
        logger=logging.getLogger("socketio.server"),
        engineio_logger=logging.getLogger("engineio.server"),
    )
    from .transport import (
        log_malformed_frames_once,
        never_wait_for_a_poll,
        no_store,
        refuse_oversize_posts,
    )

    never_wait_for_a_poll(socketio.server.eio)
    log_malformed_frames_once(socketio.server.eio)
    app.wsgi_app = no_store(refuse_oversize_posts(app.wsgi_app, socketio.server.eio))


def configure_transport_headers(app) -> None:
    """Give the answers Socket.IO writes itself (handshake, polling) the security headers too.

    They never reach Flask's ``after_request``; Flask's own answers already carry them.
    """
    from flask import Response

    from .security import add_headers

    with app.app_context():
        sample = add_headers(Response(mimetype="text/plain")).headers
    extra = [(k, v) for k, v in sample.items() if k.lower() not in {"content-type",
                                                                      "content-length"}]
    inner = app.wsgi_app

    def wsgi_app(environ, start_response):
        def start(status, headers, exc_info=None):
            present = {name.lower() for name, _ in headers}
            headers = list(headers) + [(k, v) for k, v in extra if k.lower() not in present]
            return start_response(status, headers, exc_info)

        return inner(environ, start)

    app.wsgi_app = wsgi_app
