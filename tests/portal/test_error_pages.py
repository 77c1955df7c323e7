"""Error pages a user meets: in the portal's layout and language, saying what to do."""

import pytest
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import translation


@pytest.mark.django_db
def test_403_names_the_area_the_role_lacks_and_links_home(client_as):
    response = client_as("secretary").get(reverse("cadres:index"))
    page = response.content.decode()
    assert response.status_code == 403
    assert "不在您的角色范围内" in page  # "outside your role"
    assert "“干部”" in page  # the area the secretary's role does not reach
    assert f'href="{reverse("home")}"' in page
    assert 'class="navbar' in page  # the portal's layout, not Django's bare page


@pytest.mark.django_db
def test_404_is_in_the_portals_layout_and_language(client_as, world):
    response = client_as("secretary").get(
        reverse("grassroots:member-detail", kwargs={"pk": 987654})
    )
    page = response.content.decode()
    assert response.status_code == 404
    assert "未找到" in page
    assert 'class="navbar' in page


def test_500_page_needs_no_database_and_no_request():
    from django.views.defaults import server_error

    request = RequestFactory().get("/")
    # No database: the test is not marked django_db, so any query would fail it. The language
    # is the one LocaleMiddleware activated for the request that failed.
    with translation.override("zh-hans"):
        response = server_error(request)
    page = response.content.decode()
    assert response.status_code == 500
    assert "出错了" in page
    assert 'href="/"' in page


@pytest.mark.django_db
def test_a_stale_form_gets_a_page_that_explains_it(world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.user("secretary"))
    response = client.post(
        reverse("grassroots:member-create"),
        {"name": "x"},
        HTTP_REFERER="http://testserver" + reverse("grassroots:member-create"),
    )
    page = response.content.decode()
    assert response.status_code == 403
    assert "表单已失效" in page  # "the form has expired"
    assert "未保存任何内容" in page  # "nothing was saved"
    assert f'href="http://testserver{reverse("grassroots:member-create")}"' in page


@pytest.mark.django_db
def test_a_foreign_referer_is_not_offered_as_the_way_back(world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.user("secretary"))
    response = client.post(
        reverse("grassroots:member-create"), {}, HTTP_REFERER="https://evil.example/form"
    )
    assert response.status_code == 403
    assert "evil.example" not in response.content.decode()


@pytest.mark.django_db
def test_the_language_switch_works_signed_out():
    client = Client()
    login = reverse("login")
    response = client.post(reverse("set_language"), {"language": "en", "next": login})
    assert response.status_code == 302
    assert response["Location"] == login
    page = client.get(login).content.decode()
    assert "Log in" in page
    assert "登录" not in page.split("<main", 1)[1]
