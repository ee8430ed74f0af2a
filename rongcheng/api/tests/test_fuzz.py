"""Schemathesis against the app in-process (WSGI): for every operation it generates requests
from the OpenAPI schema (positive) and against it (negative), anonymously and as a member with a
bearer token, and runs all its checks on every answer. Any finding fails the build.

Deterministic: derandomized examples, no example database, no deadline. Reproduce a finding
with the curl command it prints (against `make run`).
"""

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis import GenerationMode

from config.wsgi import application
from rongcheng.accounts.tokens import api_token_create
from rongcheng.core.testing.factories import UserFactory
from rongcheng.search.tests.factories import build_shelf

EXAMPLES_PER_OPERATION = 25

# Rules no schema can state, each answered 400 to a request the schema allows: a password from
# the list of common ones (registration: password_invalid), a payment password of one digit or a
# run, or given with neither proof (payment_password_invalid, verification_required), a top-up
# above the configured limit (topup_invalid).
CONFIG = schemathesis.config.SchemathesisConfig.from_str(
    """
[[operations]]
include-path-regex = "^/api/(auth/register|wallet/payment-password|wallet/topups)$"
checks.positive_data_acceptance.expected-statuses = [
    "2xx", "3xx", "400", "401", "403", "404", "409", "429", "5xx"
]
"""
)
schema = schemathesis.openapi.from_wsgi("/api/openapi.json", application, config=CONFIG)
schema.config.generation.update(
    modes=[GenerationMode.POSITIVE, GenerationMode.NEGATIVE],
    max_examples=EXAMPLES_PER_OPERATION,
)

fuzz = settings(
    max_examples=EXAMPLES_PER_OPERATION,
    derandomize=True,
    database=None,
    deadline=None,
    # The catalogue and the member are built once per operation, not per example.
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@pytest.fixture
def catalogue(regions, wsgi_connection_kept):
    """Goods, categories, brands, a store and the search index, so answers carry real data."""
    return build_shelf(regions)


@pytest.mark.django_db
@schema.parametrize()
@fuzz
def test_anonymous_requests_keep_the_contract(case, catalogue):
    case.call_and_validate()


@pytest.mark.django_db
@schema.parametrize()
@fuzz
def test_member_requests_keep_the_contract(case, catalogue):
    # A member of their own per example: what one example changes (a username, a logout that
    # revokes the token) cannot decide the next one's answer.
    _token, key = api_token_create(user=UserFactory())
    case.call_and_validate(headers={"Authorization": f"Bearer {key}"})
