"""Survey rules (deadline, anonymity, one sheet per member, answers that fit their question)
and exact statistics; the pages, the Excel export and the back office's statistics."""

import datetime
import json
import re
from decimal import Decimal
from io import BytesIO

import pytest
import time_machine
from django.urls import reverse
from openpyxl import load_workbook

from rongcheng.core.testing.factories import UserFactory
from rongcheng.surveys.errors import (
    AnswerInvalid,
    LoginRequired,
    SurveyAlreadyAnswered,
    SurveyClosed,
)
from rongcheng.surveys.exports import survey_export
from rongcheng.surveys.models import BankQuestion, Sheet, SheetAnswer, Survey, SurveyQuestion
from rongcheng.surveys.selectors import share, survey_statistics
from rongcheng.surveys.services import sheet_submit, survey_copy, survey_question_save

pytestmark = pytest.mark.django_db
NOW = datetime.datetime(2026, 5, 1, 2, 0, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def survey(db):
    survey = Survey.objects.create(
        title="购物体验调查",
        deadline=NOW + datetime.timedelta(days=1),
        is_published=True,
        results_public=True,
    )
    bank = BankQuestion.objects.create(kind="single", title="您的性别", options_text="男\n女\n")
    questions = [
        survey_question_save(
            question=SurveyQuestion(survey=survey, position=1, bank_question=bank)
        ),
        survey_question_save(
            question=SurveyQuestion(
                survey=survey,
                position=2,
                kind="multiple",
                title="您常买",
                options_text="围巾\n毛衫\n大衣",
            )
        ),
        survey_question_save(
            question=SurveyQuestion(survey=survey, position=3, kind="rating", title="满意度")
        ),
        survey_question_save(
            question=SurveyQuestion(survey=survey, position=4, kind="text", title="建议")
        ),
    ]
    return survey, questions


def answers(questions, single=0, multiple=(0,), rating=5, text=""):
    q1, q2, q3, q4 = questions
    return {q1.id: single, q2.id: list(multiple), q3.id: rating, q4.id: text}


def test_a_bank_question_is_copied_into_the_survey(survey):
    _survey, (gender, *_rest) = survey
    assert (gender.kind, gender.title, gender.options) == ("single", "您的性别", ["男", "女"])


def test_one_sheet_per_member_and_exact_statistics(survey):
    survey, questions = survey
    members = [UserFactory(password=None) for _ in range(3)]
    sheet_submit(
        survey_id=survey.id,
        respondent=members[0],
        answers=answers(questions, 0, (0, 1), 5, "多些颜色"),
    )
    sheet_submit(survey_id=survey.id, respondent=members[1], answers=answers(questions, 1, (1,), 4))
    sheet_submit(
        survey_id=survey.id, respondent=members[2], answers=answers(questions, 1, (1, 2), 4)
    )
    with pytest.raises(SurveyAlreadyAnswered):
        sheet_submit(survey_id=survey.id, respondent=members[0], answers=answers(questions))
    assert Sheet.objects.count() == 3 and SheetAnswer.objects.count() == 10

    stats = survey_statistics(survey_id=survey.id)
    gender, bought, rating, text = stats.questions
    assert stats.sheets == 3
    assert [(o.label, o.count, o.share) for o in gender.options] == [
        ("男", 1, Decimal("33.33")),
        ("女", 2, Decimal("66.67")),
    ]
    assert [(o.count, o.share) for o in bought.options] == [
        (1, Decimal("33.33")),
        (3, Decimal("100.00")),
        (1, Decimal("33.33")),
    ]
    assert [o.count for o in rating.options] == [0, 0, 0, 2, 1]
    assert rating.average == Decimal("4.33")
    assert (text.answered, text.texts) == (1, ["多些颜色"])


def test_share_rounds_half_up_and_survives_no_answers():
    assert share(1, 8) == Decimal("12.50")
    assert share(1, 6) == Decimal("16.67")
    assert share(0, 0) == Decimal("0.00")


def test_deadline_and_anonymity(survey):
    survey, questions = survey
    with pytest.raises(LoginRequired):
        sheet_submit(survey_id=survey.id, respondent=None, answers=answers(questions))
    survey.allow_anonymous = True
    survey.save()
    sheet_submit(survey_id=survey.id, respondent=None, answers=answers(questions))
    sheet_submit(survey_id=survey.id, respondent=None, answers=answers(questions))
    with time_machine.travel(survey.deadline, tick=False), pytest.raises(SurveyClosed):
        sheet_submit(
            survey_id=survey.id,
            respondent=UserFactory(password=None),
            answers=answers(questions),
        )
    assert Sheet.objects.filter(respondent__isnull=True).count() == 2
    assert Sheet.objects.count() == 2


@pytest.mark.parametrize(
    "change",
    [
        {"single": None},
        {"single": 2},
        {"multiple": ()},
        {"multiple": (0, 0)},
        {"rating": 6},
        {"text": "x" * 1001},
    ],
)
def test_answers_that_do_not_fit_write_nothing(survey, change):
    survey, questions = survey
    with pytest.raises(AnswerInvalid):
        sheet_submit(
            survey_id=survey.id,
            respondent=UserFactory(password=None),
            answers=answers(questions, **change),
        )
    assert not Sheet.objects.exists() and not SheetAnswer.objects.exists()


def test_a_library_questionnaire_starts_a_new_one(survey):
    survey, _questions = survey
    copy = survey_copy(survey_id=survey.id, deadline=NOW + datetime.timedelta(days=7))
    assert not copy.is_published
    assert [q.title for q in copy.questions.all()] == ["您的性别", "您常买", "满意度", "建议"]


def test_the_excel_export(survey):
    survey, questions = survey
    sheet_submit(
        survey_id=survey.id,
        respondent=UserFactory(username="rc00000001", password=None),
        answers=answers(questions, 1, (0, 2), 3, "好"),
    )
    book = load_workbook(BytesIO(survey_export(survey_id=survey.id)))
    summary, sheets = book.worksheets
    rows = list(summary.iter_rows(values_only=True))
    assert rows[1] == ("您的性别", "男", 0, 0)
    assert rows[2] == ("您的性别", "女", 1, 100)
    answer_rows = list(sheets.iter_rows(values_only=True))
    assert answer_rows[1][1] == "rc00000001"
    assert answer_rows[1][3:] == ("女", "围巾；大衣", 3, "好")


@pytest.mark.parametrize("prefix", ["", "/en"])
def test_answering_through_the_pages(client, survey, prefix):
    survey, questions = survey
    q1, q2, q3, _q4 = questions
    page = f"{prefix}/surveys/{survey.id}/"
    assert survey.title in client.get(f"{prefix}/surveys/").content.decode()
    member = UserFactory()
    client.force_login(member)
    form = client.get(page).content.decode()
    assert f'name="q{q2.id}" value="2"' in form
    response = client.post(page, {f"q{q1.id}": "0", f"q{q2.id}": ["0", "1"], f"q{q3.id}": "5"})
    assert response.status_code == 302
    results = client.get(response["Location"]).content.decode()
    assert "100.00%" in results
    assert client.post(page, {f"q{q1.id}": "1"}).status_code == 200
    assert Sheet.objects.count() == 1


def test_results_stay_hidden_from_those_who_did_not_answer(client, survey):
    survey, _questions = survey
    client.force_login(UserFactory())
    assert client.get(f"/surveys/{survey.id}/results/").status_code == 403


def test_the_back_office_statistics_and_export(client, survey):
    survey, questions = survey
    sheet_submit(
        survey_id=survey.id, respondent=UserFactory(password=None), answers=answers(questions)
    )
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    html = client.get(reverse("admin:surveys_statistics", args=[survey.id])).content.decode()
    assert "vendor/echarts/echarts.min.js" in html
    # The charts' data is a JSON list the page's script reads, encoded once.
    data = re.search(r'<script id="survey-charts" type="application/json">(.*?)</script>', html)
    assert json.loads(data.group(1)) == [
        {"title": "您的性别", "labels": ["男", "女"], "counts": [1, 0]},
        {"title": "您常买", "labels": ["围巾", "毛衫", "大衣"], "counts": [1, 0, 0]},
        {"title": "满意度", "labels": ["1", "2", "3", "4", "5"], "counts": [0, 0, 0, 0, 1]},
    ]
    export = client.get(reverse("admin:surveys_export", args=[survey.id]))
    assert export["Content-Type"].startswith("application/vnd.openxmlformats")
