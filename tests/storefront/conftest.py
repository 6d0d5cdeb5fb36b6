import pytest
from django.core.management import call_command


@pytest.fixture
def demo(db):
    """The full demo data set, as `make run` loads it (without placeholder photos, for speed)."""
    call_command("load_demo", "--no-photos", stdout=open("/dev/null", "w"))
