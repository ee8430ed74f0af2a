from rongcheng.checkout.tests.buying import mall  # noqa: F401 - the shared fixture
