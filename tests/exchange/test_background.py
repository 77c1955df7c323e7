"""Large exports: written by the exchange worker with progress, offered by a notification,
downloadable only by the user who asked, until the file expires."""

import datetime

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils import timezone

from portal.celery import app
from portal.exchange import services
from portal.models import ExportJob, RevealLog
from portal.reminders.models import Reminder
from portal.roles import Role
from tests.exchange.factories import finished_job
from tests.exchange.helpers import xlsx_table
from tests.factories import UserFactory
from tests.grassroots.factories import PartyMemberFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def big(settings, world):
    """Three members, and a threshold of two rows: the member export goes to the background."""
    settings.EXPORT_BACKGROUND_ROWS = 2
    for name in ("一号", "二号", "三号"):
        PartyMemberFactory(branch=world.branch_a1, name=name)


def _ask(client, django_capture_on_commit_callbacks, **data):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post(reverse("grassroots:member-export"), {"format": "xlsx", **data})
    return response, callbacks


def test_export_tasks_run_on_their_own_queue():
    # A 100,000-row export never waits in line with (or in front of) the reminders.
    for task in ("export_run_task", "exports_purge_task"):
        route = app.amqp.router.route({}, f"portal.exchange.tasks.{task}")
        assert route["queue"].name == "exchange"
    assert (
        app.amqp.router.route({}, "portal.reminders.tasks.deliver_reminders_task")["queue"].name
        != "exchange"
    )


def test_above_the_threshold_the_export_is_queued_and_the_user_sees_its_progress(
    client_as, world, big, django_capture_on_commit_callbacks
):
    client = client_as("staff")
    response, callbacks = _ask(client, django_capture_on_commit_callbacks)
    job = ExportJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("exchange:export-detail", args=[job.pk])
    assert (job.status, job.rows_total, job.user) == ("queued", 3, world.user("staff"))
    assert len(callbacks) == 1  # export_run_task.delay(job.pk), once the request commits

    page = client.get(reverse("exchange:export-detail", args=[job.pk]))
    assert page.status_code == 200
    assert 'hx-trigger="every 2s"' in page.content.decode()  # asks again until it is done
    assert "export-download" not in page.content.decode()


def test_the_worker_writes_the_file_and_a_notification_offers_it(
    client_as, world, big, django_capture_on_commit_callbacks
):
    client = client_as("staff")
    _ask(client, django_capture_on_commit_callbacks)
    job = services.export_run(job_id=ExportJob.objects.get().pk)

    assert (job.status, job.rows_done) == ("done", 3)
    assert default_storage.exists(job.file.name)
    notification = Reminder.objects.get(recipient=world.user("staff"))
    assert "党员名单" in notification.title and notification.state == "delivered"
    assert notification.url == reverse("exchange:export-detail", args=[job.pk])
    # The bell counts it; opening it leads to the file's page.
    opened = client.get(reverse("reminders:notification-open", args=[notification.pk]))
    assert opened["Location"] == reverse("exchange:export-detail", args=[job.pk])
    fragment = client.get(reverse("exchange:export-detail", args=[job.pk]), HTTP_HX_REQUEST="true")
    assert "hx-trigger" not in fragment.content.decode()  # done: no more polling
    assert reverse("exchange:export-download", args=[job.pk]) in fragment.content.decode()

    download = client.get(reverse("exchange:export-download", args=[job.pk]))
    assert download.status_code == 200
    assert "attachment" in download["Content-Disposition"]
    assert sorted(r["姓名"] for r in xlsx_table(download)) == ["一号", "三号", "二号"]


def test_only_the_user_who_asked_reaches_the_job_and_its_file(client, world):
    job = finished_job(world.user(Role.STAFF))
    colleague = UserFactory(username="colleague", role=Role.STAFF, organization=world.county)
    for user in (colleague, world.user(Role.ADMIN)):
        client.force_login(user)
        for name in ("exchange:export-detail", "exchange:export-download"):
            assert client.get(reverse(name, args=[job.pk])).status_code == 404
        assert job.title not in client.get(reverse("exchange:export-list")).content.decode()


def test_an_expired_file_is_no_longer_offered_and_is_deleted(client_as, world):
    job = finished_job(world.user(Role.STAFF), expires_in=datetime.timedelta(hours=-1))
    client = client_as("staff")
    response = client.get(reverse("exchange:export-download", args=[job.pk]))
    assert response.status_code == 302  # back to its page, with the message to export again
    assert services.exports_purge() == 1
    job.refresh_from_db()
    assert (job.status, job.file.name) == ("expired", "")
    assert not default_storage.exists("exports/test-export.csv")


def test_full_id_numbers_in_the_background_are_recorded_once_with_the_count(
    client_as, world, big, django_capture_on_commit_callbacks
):
    _ask(client_as("staff"), django_capture_on_commit_callbacks, full_ids="on")
    job = services.export_run(job_id=ExportJob.objects.get().pk)
    reveal = RevealLog.objects.get()
    assert (reveal.object_id, reveal.count) == (str(job.pk), 3)
    with job.file.open("rb") as handle:
        from openpyxl import load_workbook

        ids = [
            row[4] for row in load_workbook(handle).active.iter_rows(min_row=2, values_only=True)
        ]
    assert all(len(number) == 18 and not number.startswith("*") for number in ids)


def test_a_job_whose_user_lost_the_right_fails_with_a_message(
    client_as, world, big, django_capture_on_commit_callbacks
):
    _ask(client_as("staff"), django_capture_on_commit_callbacks)
    staff = world.user(Role.STAFF)
    staff.role = Role.HELPER
    staff.save(update_fields=["role"])
    job = services.export_run(job_id=ExportJob.objects.get().pk)
    assert job.status == "failed" and not job.file
    assert Reminder.objects.filter(recipient=staff, title__contains="党员名单").exists()


def test_a_job_is_run_once_even_if_its_message_comes_twice(
    client_as, world, big, django_capture_on_commit_callbacks
):
    _ask(client_as("staff"), django_capture_on_commit_callbacks)
    job_id = ExportJob.objects.get().pk
    services.export_run(job_id=job_id)
    assert services.export_run(job_id=job_id) is None
    assert Reminder.objects.count() == 1


def test_a_job_left_waiting_by_a_lost_worker_is_given_up(world):
    job = finished_job(world.user(Role.STAFF))
    stale = timezone.now() - datetime.timedelta(days=2)
    ExportJob.objects.filter(pk=job.pk).update(status="running", updated_at=stale)
    services.exports_purge()
    job.refresh_from_db()
    assert job.status == "failed"
