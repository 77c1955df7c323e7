"""Forms of collective decisions: they check shape (numbers are numbers, dates are dates, a
choice is one of its values); grassroots.decisions.services checks every rule."""

import datetime

from crispy_forms.helper import FormHelper
from django import forms
from django.utils.translation import gettext_lazy as _

from grassroots.decisions.models import (
    MatterCategory,
    Presence,
    ResolutionBody,
    Stance,
    StepKind,
    Subject,
)
from grassroots.forms import DateInput, MultipleFileField
from grassroots.models import Meeting, MeetingKind
from portal.roles import Access, Area, can

# A proposal or a deliberation is recent: the meetings offered are the branch's of the last
# year, newest first, and at most this many (never a picker listing every meeting).
RECENT_MEETINGS = 20
AMOUNT = {"max_digits": 14, "decimal_places": 2, "min_value": 0}


def _helper() -> FormHelper:
    helper = FormHelper()
    helper.form_tag = False
    return helper


def recent_meetings(organization, kind, day: datetime.date):
    since = day - datetime.timedelta(days=366)
    return Meeting.objects.filter(
        organization=organization,
        kind=kind,
        status=Meeting.Status.HELD,
        date__range=(since, day),
    ).order_by("-date", "-pk")[:RECENT_MEETINGS]


class MeetingChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, meeting):
        return _("%(date)s · %(topic)s · %(present)s of %(due)s present") % {
            "date": meeting.date.isoformat(),
            "topic": meeting.topic,
            "present": meeting.present_count,
            "due": meeting.due_count,
        }


def _meeting_field(organization, kind, day, label, required):
    # The choices are a slice; the field validates against the same recent meetings.
    rows = list(recent_meetings(organization, kind, day))
    field = MeetingChoiceField(
        queryset=Meeting.objects.filter(pk__in=[m.pk for m in rows]).order_by("-date", "-pk"),
        label=label,
        required=required,
        empty_label=_("— choose the meeting —"),
    )
    return field


# --- 三重一大 -----------------------------------------------------------------------------------


class MajorMatterForm(forms.Form):
    category = forms.ChoiceField(label=_("Category of matter"), choices=MatterCategory.choices)
    title = forms.CharField(label=_("Matter"), max_length=200)
    description = forms.CharField(
        label=_("Description of the matter"),
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    amount = forms.DecimalField(
        label=_("Amount (yuan)"),
        required=False,
        help_text=_(
            "For a use of funds: the amount; a large sum starts at the threshold the department set."
        ),
        **AMOUNT,
    )
    raised_on = forms.DateField(label=_("Raised on"), widget=DateInput())
    appointment = forms.IntegerField(
        label=_("Appointment number in the cadres workflow"),
        required=False,
        min_value=1,
        max_value=2**31 - 1,  # a larger number would overflow the column's type in the query
        help_text=_("For an appointment or removal already in the cadres workflow: its number."),
    )
    carried_out_on = forms.DateField(
        label=_("Already carried out on"),
        required=False,
        widget=DateInput(),
        help_text=_(
            "Only when the matter was carried out without a meeting of the team: it is then shown as a violation."
        ),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.helper = _helper()

    def clean_appointment(self):
        from cadres.models import Appointment

        number = self.cleaned_data.get("appointment")
        if number is None:
            return None
        if not can(self.user, Area.CADRES, Access.READ):
            raise forms.ValidationError(
                _("Linking an appointment needs access to the cadres workflow.")
            )
        appointment = Appointment.objects.visible_to(self.user).filter(pk=number).first()
        if appointment is None:
            raise forms.ValidationError(_("No appointment with this number is within your reach."))
        return appointment


class MajorDecisionForm(forms.Form):
    """The meeting; each seat's attendance, turn and opinion come from the rows rendered with
    it (parse_speakers)."""

    meeting_on = forms.DateField(label=_("Meeting date"), widget=DateInput())
    result = forms.CharField(
        label=_("What the meeting decided"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    document_number = forms.CharField(label=_("Document number"), max_length=60, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper()


def _text(data, name: str, limit: int) -> str:
    # Raw POST values (not form fields): a NUL character, which PostgreSQL's text refuses,
    # is dropped, and the length capped like the model's.
    return str(data.get(name, "")).replace("\x00", "")[:limit]


def parse_speakers(data, seats) -> tuple[list[dict], list[str]]:
    """The rows of the decision form, for the seats of the team on the meeting's date:
    presence-<seat>, turn-<seat> (speaking order), stance-<seat>, opinion-<seat>,
    reason-<seat>. Returns the rows (present seats by turn, then the absent) and the shape
    errors (a turn that is not a number, two members on one turn)."""
    present, absent, errors = [], [], []
    for seat in seats:
        presence = data.get(f"presence-{seat.pk}", Presence.PRESENT)
        if presence not in Presence.values:
            presence = Presence.PRESENT
        row = {
            "seat": seat.pk,
            "presence": presence,
            "stance": data.get(f"stance-{seat.pk}", ""),
            "opinion": _text(data, f"opinion-{seat.pk}", 4000),
            "reason": _text(data, f"reason-{seat.pk}", 200),
        }
        if row["stance"] not in Stance.values:
            row["stance"] = ""
        if presence != Presence.PRESENT:
            absent.append(row)
            continue
        raw = str(data.get(f"turn-{seat.pk}", "")).strip()
        try:
            turn = int(raw)
        except ValueError:
            errors.append(str(_("Give each member present a speaking turn (1, 2, 3 …).")))
            turn = 0
        present.append((turn, row))
    turns = [turn for turn, _row in present]
    if len(turns) != len(set(turns)):
        errors.append(
            str(_("Two members present have the same speaking turn; give each their own."))
        )
    present.sort(key=lambda item: item[0])
    return [row for _turn, row in present] + absent, sorted(set(errors))


class CarryOutForm(forms.Form):
    on = forms.DateField(label=_("Carried out on"), widget=DateInput())


# --- 四议两公开一监督 ------------------------------------------------------------------------------


class StepFields(forms.Form):
    """The fields a step may need; the page shows those of the step being recorded."""

    done_on = forms.DateField(label=_("Date"), widget=DateInput())
    summary = forms.CharField(
        label=_("What was discussed or decided"),
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    participants = forms.CharField(label=_("Participants"), max_length=300, required=False)
    body = forms.ChoiceField(
        label=_("Deciding meeting"),
        choices=[("", "—"), *ResolutionBody.choices],
        required=False,
    )
    eligible_count = forms.IntegerField(
        label=_("Due to attend"),
        required=False,
        min_value=1,
        max_value=100_000,
        help_text=_("Adult villagers, households or representatives, by the meeting chosen."),
    )
    present_count = forms.IntegerField(
        label=_("Present"), required=False, min_value=0, max_value=100_000
    )
    votes_for = forms.IntegerField(
        label=_("Votes for"), required=False, min_value=0, max_value=100_000
    )
    notice_text = forms.CharField(
        label=_("Text of the notice"),
        max_length=8000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    notice_place = forms.CharField(label=_("Where it was posted"), max_length=100, required=False)
    document_number = forms.CharField(label=_("Document number"), max_length=60, required=False)
    attachments = MultipleFileField(
        label=_("Documents, photos or scans"),
        required=False,
        help_text=_(
            "Images or PDF, at most 10 MB each. A public notice needs a photo or scan of it as posted."
        ),
    )

    # The fields shown for each step (the date always).
    SHOWN = {
        StepKind.PROPOSAL: ["meeting", "participants", "summary", "document_number", "attachments"],
        StepKind.CONSULTATION: ["participants", "summary", "document_number", "attachments"],
        StepKind.DELIBERATION: ["meeting", "summary", "document_number", "attachments"],
        StepKind.RESOLUTION: [
            "body",
            "eligible_count",
            "present_count",
            "votes_for",
            "summary",
            "document_number",
            "attachments",
        ],
        StepKind.DECISION_NOTICE: ["notice_text", "notice_place", "attachments"],
        StepKind.RESULT_NOTICE: ["notice_text", "notice_place", "attachments"],
    }
    MEETING_KIND = {
        StepKind.PROPOSAL: MeetingKind.COMMITTEE,
        StepKind.DELIBERATION: MeetingKind.GENERAL,
    }

    def __init__(self, *args, step: str, organization, today: datetime.date, **kwargs):
        super().__init__(*args, **kwargs)
        self.step = StepKind(step)
        shown = self.SHOWN[self.step]
        if "meeting" in shown:
            self.fields["meeting"] = _meeting_field(
                organization,
                self.MEETING_KIND[self.step],
                today,
                _("Committee meeting (from the meeting log)")
                if self.step == StepKind.PROPOSAL
                else _("Party members' meeting (from the meeting log)"),
                required=False,
            )
        # Only the step's own fields are pruned (a subclass adds the matter's).
        for name in StepFields.base_fields:
            if name != "done_on" and name not in shown:
                del self.fields[name]
        self.order_fields(["done_on", *shown])
        self.helper = _helper()

    def service_kwargs(self) -> dict:
        data = dict(self.cleaned_data)
        data.setdefault("meeting", None)
        if "attachments" not in data:
            data["attachments"] = []
        return {k: v for k, v in data.items() if v is not None or k == "meeting"}


class VillageMatterForm(StepFields):
    """A new village matter: the matter and its first step, the branch's proposal."""

    subject = forms.ChoiceField(label=_("Subject"), choices=Subject.choices)
    topic = forms.CharField(label=_("Matter"), max_length=200)
    description = forms.CharField(
        label=_("Description of the matter"),
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    amount = forms.DecimalField(label=_("Amount (yuan)"), required=False, **AMOUNT)

    def __init__(self, *args, organization, today, **kwargs):
        super().__init__(
            *args, step=StepKind.PROPOSAL, organization=organization, today=today, **kwargs
        )
        self.order_fields(["subject", "topic", "description", "amount", "done_on"])


class RemarkForm(forms.Form):
    remarked_on = forms.DateField(label=_("Date"), widget=DateInput())
    author = forms.CharField(label=_("Supervision committee member"), max_length=50)
    text = forms.CharField(
        label=_("Remark"), max_length=4000, widget=forms.Textarea(attrs={"rows": 2})
    )
