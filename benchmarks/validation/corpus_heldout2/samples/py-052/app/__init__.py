from flask import Flask
from flask_sqlalchemy import SQLAlchemy

db = SQLAlchemy()


def create_app() -> Flask:
    app = Flask(__name__)
    app.config.from_object("app.core.config.Settings")
    db.init_app(app)
    from app.routes.auth import bp as auth_bp

    app.register_blueprint(auth_bp)
    return app
