import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse
from django.utils import translation

from binakarya.organizations.models import Role
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "pass-word-123"


@pytest.fixture
def staff():
    return MembershipFactory(user=UserFactory(username="sari", email="sari@rutan.test"), role=Role.FACILITY_ADMIN).user


def test_login_page_renders_form(client):
    # when
    response = client.get(reverse("accounts:login"))

    # then
    assert response.status_code == 200
    assert [t.name for t in response.templates][0] == "registration/login.html"
    assert 'name="username"' in response.content.decode()
    assert 'name="password"' in response.content.decode()


def test_login_redirects_to_dashboard(client, staff):
    # when
    response = client.post(reverse("accounts:login"), {"username": "sari", "password": PASSWORD})

    # then
    assert response.status_code == 302
    assert response["Location"] == reverse("backoffice:dashboard")
    assert int(client.session["_auth_user_id"]) == staff.pk


def test_login_follows_next(client, staff):
    # when
    response = client.post(
        reverse("accounts:login"),
        {"username": "sari", "password": PASSWORD, "next": reverse("backoffice:products")},
    )

    # then
    assert response.status_code == 302
    assert response["Location"] == reverse("backoffice:products")


def test_login_with_wrong_password_stays_on_the_form(client, staff):
    # when
    response = client.post(reverse("accounts:login"), {"username": "sari", "password": "wrong-one"})

    # then
    assert response.status_code == 200
    assert [e.code for e in response.context["form"].errors.as_data()["__all__"]] == ["invalid_login"]


@pytest.mark.parametrize(
    ("language", "message"),
    [
        ("id", "Nama pengguna atau kata sandi salah. Huruf besar dan kecil dibedakan."),
        ("en", "Wrong username or password. Capital and small letters count."),
    ],
)
def test_a_wrong_password_is_refused_in_plain_words_without_the_repeated_field_name(client, staff, language, message):
    # given
    with translation.override(language):
        url = reverse("accounts:login")

    # when
    response = client.post(url, {"username": "sari", "password": "wrong-one"})

    # then
    body = response.content.decode()
    assert message in body
    assert "nama pengguna nama pengguna" not in body.lower()
    assert "username username" not in body.lower()
    assert "_auth_user_id" not in client.session


def test_english_login_page_is_under_en(client):
    # when
    response = client.get("/en/akun/masuk/")

    # then
    assert response.status_code == 200
    assert "Staff login" in response.content.decode()


def test_logout_is_post_only_and_ends_the_session(client, staff):
    # given
    client.force_login(staff)

    # when
    refused = client.get(reverse("accounts:logout"))
    response = client.post(reverse("accounts:logout"))

    # then
    assert refused.status_code == 405
    assert response.status_code == 302
    assert response["Location"] == reverse("storefront:home")
    assert "_auth_user_id" not in client.session


def test_password_reset_sends_one_email_whose_link_sets_a_new_password(client, staff):
    # when the user asks for a reset
    response = client.post(reverse("accounts:password_reset"), {"email": "sari@rutan.test"})

    # then one email goes out with a working link
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:password_reset_done")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["sari@rutan.test"]
    assert "\n" not in message.subject
    links = re.findall(r"http://testserver(/\S+)", message.body)
    assert len(links) == 1
    assert links[0].startswith("/akun/sandi/atur/")

    # when the link is opened, Django swaps the token for a session and shows the form
    opened = client.get(links[0])
    assert opened.status_code == 302
    form_page = client.get(opened["Location"])
    assert form_page.status_code == 200
    assert form_page.context["validlink"] is True

    # and a new password is saved
    saved = client.post(opened["Location"], {"new_password1": "Batik-Tulis-2025", "new_password2": "Batik-Tulis-2025"})
    assert saved.status_code == 302
    assert saved["Location"] == reverse("accounts:password_reset_complete")
    staff.refresh_from_db()
    assert staff.check_password("Batik-Tulis-2025") is True
    assert staff.check_password(PASSWORD) is False

    # and the link does not work a second time
    again = client.get(links[0], follow=True)
    assert again.context["validlink"] is False


def test_password_reset_for_unknown_email_sends_nothing_but_looks_the_same(client, staff):
    # when
    response = client.post(reverse("accounts:password_reset"), {"email": "nobody@example.test"})

    # then
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:password_reset_done")
    assert mail.outbox == []
    staff.refresh_from_db()
    assert staff.check_password(PASSWORD) is True


def test_password_reset_done_page_renders(client):
    # when
    response = client.get(reverse("accounts:password_reset_done"))

    # then
    assert response.status_code == 200
    assert [t.name for t in response.templates][0] == "registration/password_reset_sent.html"


def test_password_change_requires_login(client):
    # when
    response = client.get(reverse("accounts:password_change"))

    # then
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('accounts:login')}?next={reverse('accounts:password_change')}"


def test_password_change_saves_the_new_password_and_keeps_the_session(client, staff):
    # given
    client.force_login(staff)

    # when
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "new_password1": "Pecut-Madura-77", "new_password2": "Pecut-Madura-77"},
    )

    # then
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:password_change_done")
    staff.refresh_from_db()
    assert staff.check_password("Pecut-Madura-77") is True
    assert client.get(reverse("accounts:password_change_done")).status_code == 200


def test_password_change_with_wrong_old_password_changes_nothing(client, staff):
    # given
    client.force_login(staff)

    # when
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": "not-it", "new_password1": "Pecut-Madura-77", "new_password2": "Pecut-Madura-77"},
    )

    # then
    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["old_password"]
    assert get_user_model().objects.get(pk=staff.pk).check_password(PASSWORD) is True
