"""The filter bar of the records, recordings and reports pages, read from the query string."""

from django import forms
from django.utils.translation import gettext_lazy as _

from rongcheng.callcenter.models import AgentGroup
from rongcheng.callcenter.records import RecordFilter


def _day_input() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class RecordFilterForm(forms.Form):
    since = forms.DateField(label=_("起始日期"), required=False, widget=_day_input())
    until = forms.DateField(label=_("截止日期"), required=False, widget=_day_input())
    caller_number = forms.RegexField(
        label=_("来电号码"), regex=r"^\d{1,20}$", required=False, max_length=20
    )
    group = forms.ModelChoiceField(
        label=_("坐席组"), queryset=AgentGroup.objects.order_by("code"), required=False
    )
    agent_number = forms.RegexField(
        label=_("工号"), regex=r"^\w{1,8}$", required=False, max_length=8
    )

    def __init__(self, data, *, supervisor: bool):
        super().__init__(data)
        if not supervisor:  # an agent's own records: no other group or agent to pick
            del self.fields["group"]
            del self.fields["agent_number"]

    def record_filter(self) -> RecordFilter:
        """The valid filters; a field that does not read is left out, not an error page."""
        if not self.is_bound:
            return RecordFilter()
        self.is_valid()
        data = self.cleaned_data
        group = data.get("group")
        return RecordFilter(
            since=data.get("since"),
            until=data.get("until"),
            caller_number=data.get("caller_number") or "",
            group_id=group.pk if group else None,
            agent_number=data.get("agent_number") or "",
        )
