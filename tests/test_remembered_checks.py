"""Remembered answers (name rules, quantity texts, shared Event parts) behave like fresh ones."""

from __future__ import annotations

import pytest

from k8stui.engine.apimachinery.quantity import QuantityError, parse_quantity
from k8stui.engine.apiserver.quantity_fields import bad_quantity
from k8stui.engine.apiserver.validation.names import MSG_DNS1123_LABEL, dns1123_label


def test_a_remembered_rule_gives_each_caller_its_own_list() -> None:
    first = dns1123_label("Bad_Name")
    first.append("changed by the caller")
    assert dns1123_label("Bad_Name") == [MSG_DNS1123_LABEL]


def test_bad_quantity_texts_fail_every_time() -> None:
    for _ in range(2):
        with pytest.raises(QuantityError):
            parse_quantity("1.5.3")
    assert parse_quantity("64Mi") == parse_quantity("64Mi") == 64 * 2**20


def test_the_first_bad_quantity_keeps_its_path() -> None:
    pod = {
        "spec": {
            "containers": [
                {"name": "a", "resources": {"requests": {"cpu": "1"}}},
                {"name": "b", "resources": {"limits": {"cpu": "1e99"}, "requests": {"cpu": "x"}}},
            ]
        }
    }
    path, problem = bad_quantity(pod) or ((), "")
    # Within one resources map the later section is met first, as the decoder reports it.
    assert path == ("spec", "containers", 1, "resources", "requests", "cpu")
    assert problem.startswith("quantities must match")
