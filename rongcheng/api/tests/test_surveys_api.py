"""/api/surveys: open questionnaires, answering once, and results for respondents."""

import datetime

import pytest
from django.utils import timezone

from rongcheng.core.testing.factories import UserFactory
from rongcheng.surveys.models import Sheet, Survey, SurveyQuestion

pytestmark = pytest.mark.django_db


@pytest.fixture
def survey(db):
    survey = Survey.objects.create(
        title="满意度",
        deadline=timezone.now() + datetime.timedelta(days=1),
        is_published=True,
        results_public=True,
    )
    single = SurveyQuestion.objects.create(
        survey=survey, kind="single", title="推荐吗", options_text="会\n不会"
    )
    rating = SurveyQuestion.objects.create(survey=survey, kind="rating", title="打分")
    return survey, single, rating


def test_answer_once_and_read_the_results(client, survey):
    survey, single, rating = survey
    assert client.get("/api/surveys").json()["count"] == 1
    detail = client.get(f"/api/surveys/{survey.id}").json()
    assert [q["options"] for q in detail["questions"]] == [["会", "不会"], []]
    client.force_login(UserFactory())
    body = {
        "answers": [
            {"question_id": single.id, "choices": [1]},
            {"question_id": rating.id, "rating": 4},
        ]
    }
    assert client.get(f"/api/surveys/{survey.id}/results").status_code == 403
    created = client.post(f"/api/surveys/{survey.id}/sheets", body, content_type="application/json")
    assert created.status_code == 201
    again = client.post(f"/api/surveys/{survey.id}/sheets", body, content_type="application/json")
    assert again.status_code == 409 and again.json()["code"] == "survey_already_answered"
    results = client.get(f"/api/surveys/{survey.id}/results").json()
    assert results["sheets"] == 1
    assert results["questions"][0]["options"] == [
        {"label": "会", "count": 0, "share": "0.00"},
        {"label": "不会", "count": 1, "share": "100.00"},
    ]
    assert results["questions"][1]["average"] == "4.00"


def test_a_missing_choice_is_refused(client, survey):
    survey, _single, rating = survey
    client.force_login(UserFactory())
    body = {"answers": [{"question_id": rating.id, "rating": 4}]}
    response = client.post(
        f"/api/surveys/{survey.id}/sheets", body, content_type="application/json"
    )
    assert response.status_code == 400 and response.json()["code"] == "survey_answer_invalid"
    assert not Sheet.objects.exists()


def test_a_nul_counts_only_in_the_fields_an_answer_reads(client, survey):
    # The schema lets an answer carry fields it does not define, and says its text has no NUL.
    survey, single, rating = survey
    client.force_login(UserFactory())
    url = f"/api/surveys/{survey.id}/sheets"
    answers = [
        {"question_id": single.id, "choices": [0], "note": ["a\x00b"]},
        {"question_id": rating.id, "rating": 5, "text": "好\x00"},
    ]
    refused = client.post(url, {"answers": answers}, content_type="application/json")
    assert refused.status_code == 422
    assert refused.json()["errors"][0]["loc"] == ["body", "payload", "answers", 1]
    assert not Sheet.objects.exists()
    answers[1]["text"] = "好"
    accepted = client.post(url, {"answers": answers}, content_type="application/json")
    assert accepted.status_code == 201
    assert Sheet.objects.count() == 1
