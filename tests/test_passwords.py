"""Password rules: length, the common-password list, and the scrypt parameters."""

import pytest

from facilitator import create_app
from facilitator.extensions import db
from facilitator.models import Facilitator
from facilitator.services import Refused
from facilitator.services.passwords import check_password_rules, common_passwords


@pytest.mark.parametrize("password", [
    "short", "elevenchars", "passwordpassword", "PasswordPassword", "123456789012",
    "qwertyuiopasdfgh", "lead@example.org",
])
def test_weak_passwords_are_refused(password):
    with pytest.raises(Refused) as refused:
        check_password_rules(password, "lead@example.org")
    assert refused.value.code == "invalid"


@pytest.mark.parametrize("password", ["river stones at dawn", "my 3 cats nap at noon"])
def test_a_long_uncommon_password_is_accepted(password):
    check_password_rules(password)


def test_the_shipped_list_is_the_common_twenty_thousand():
    listing = common_passwords()
    assert len(listing) > 19000 and "password" in listing


def test_production_hash_is_scrypt_at_owasp_parameters(tmp_path):
    app = create_app({"TESTING": True, "SECRET_KEY": "x",
                      "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'p.sqlite3'}",
                      "SOCKETIO_ASYNC_MODE": "threading"})
    with app.app_context():
        account = Facilitator(email="a@example.org", name="A")
        account.set_password("river stones at dawn")
        assert account.password_hash.startswith("scrypt:131072:8:1$")
        assert account.check_password("river stones at dawn")
        assert not account.check_password("river stones at dusk")
        db.engine.dispose()
