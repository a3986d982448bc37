"""Name, label and key syntax rules (apimachinery ``validation.go`` texts).

Each rule returns the messages for a bad value, none for a good one.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache, wraps

_DNS1123_LABEL = re.compile(r"[a-z0-9]([-a-z0-9]*[a-z0-9])?\Z")
_DNS1123_SUBDOMAIN = re.compile(
    r"[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\Z"
)
_DNS1035_LABEL = re.compile(r"[a-z]([-a-z0-9]*[a-z0-9])?\Z")
_QUALIFIED_NAME = re.compile(r"([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]\Z")
_LABEL_VALUE = re.compile(r"(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?\Z")
_ENV_VAR_NAME = re.compile(r"[-._a-zA-Z][-._a-zA-Z0-9]*\Z")
_CONFIG_KEY = re.compile(r"[-._a-zA-Z0-9]+\Z")

MSG_DNS1123_LABEL = (
    "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', "
    "and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', "
    "regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')"
)
MSG_DNS1123_SUBDOMAIN = (
    "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' "
    "or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex "
    "used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"
)
MSG_DNS1035_LABEL = (
    "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an "
    "alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or "
    "'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')"
)
MSG_LABEL_VALUE = (
    "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or "
    "'.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or "
    "'my_value',  or '12345', regex used for validation is "
    "'(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')"
)
_QUALIFIED_BODY = (
    "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an "
    "alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for "
    "validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')"
)
MSG_ENV_VAR_NAME = (
    "a valid environment variable name must consist of alphabetic characters, digits, '_', "
    "'-', or '.', and must not start with a digit (e.g. 'my.env-name',  or 'MY_ENV.NAME',  or "
    "'MyEnvName1', regex used for validation is '[-._a-zA-Z][-._a-zA-Z0-9]*')"
)
MSG_CONFIG_KEY = (
    "a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. "
    "'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is "
    "'[-._a-zA-Z0-9]+')"
)


_REMEMBER_UP_TO = 320  # longer than any valid name, label or key


def _remembered(rule: Callable[[str], list[str]]) -> Callable[[str], list[str]]:
    """``rule`` with its answers remembered per value (each caller gets a list of its own).

    The pods of one ReplicaSet carry the same labels, namespace and tolerations, so most
    checks repeat; a rule's messages depend on the value alone.
    """
    answers = lru_cache(maxsize=4096, typed=True)(lambda value: tuple(rule(value)))

    @wraps(rule)
    def check(value: str) -> list[str]:
        if not isinstance(value, str) or len(value) > _REMEMBER_UP_TO:
            return rule(value)  # a hostile client's huge values are not kept
        return list(answers(value))

    return check


def max_len(limit: int) -> str:
    """The message for a value longer than ``limit`` characters."""
    return f"must be no more than {limit} characters"


@_remembered
def dns1123_label(value: str) -> list[str]:
    """Messages for a value that is not a DNS-1123 label (container and namespace names)."""
    errs = [max_len(63)] if len(value) > 63 else []
    if not _DNS1123_LABEL.match(value):
        errs.append(MSG_DNS1123_LABEL)
    return errs


@_remembered
def dns1123_subdomain(value: str) -> list[str]:
    """Messages for a value that is not a DNS-1123 subdomain (most object names)."""
    errs = [max_len(253)] if len(value) > 253 else []
    if not _DNS1123_SUBDOMAIN.match(value):
        errs.append(MSG_DNS1123_SUBDOMAIN)
    return errs


@_remembered
def dns1035_label(value: str) -> list[str]:
    """Messages for a value that is not a DNS-1035 label (Service names)."""
    errs = [max_len(63)] if len(value) > 63 else []
    if not _DNS1035_LABEL.match(value):
        errs.append(MSG_DNS1035_LABEL)
    return errs


@_remembered
def qualified_name(value: str) -> list[str]:
    """Messages for an invalid label/annotation key (``[prefix/]name``)."""
    parts = value.split("/")
    errs: list[str] = []
    if len(parts) > 2:
        return [
            f"a qualified name {_QUALIFIED_BODY} with an optional DNS subdomain prefix and '/' "
            "(e.g. 'example.com/MyName')"
        ]
    name = parts[-1]
    if len(parts) == 2:
        prefix = parts[0]
        if not prefix:
            errs.append("prefix part must be non-empty")
        else:
            errs.extend("prefix part " + m for m in dns1123_subdomain(prefix))
    if not name:
        errs.append("name part must be non-empty")
    elif len(name) > 63:
        errs.append("name part " + max_len(63))
    if not _QUALIFIED_NAME.match(name):
        errs.append("name part " + _QUALIFIED_BODY)
    return errs


@_remembered
def label_value(value: str) -> list[str]:
    """Messages for an invalid label value."""
    errs = [max_len(63)] if len(value) > 63 else []
    if not _LABEL_VALUE.match(value):
        errs.append(MSG_LABEL_VALUE)
    return errs


@_remembered
def port_name(value: str) -> list[str]:
    """Messages for an invalid IANA service name (container/service port names)."""
    errs = [max_len(15)] if len(value) > 15 else []
    if not re.fullmatch(r"[-a-z0-9]+", value):
        errs.append("must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)")
    if not re.search(r"[a-z]", value):
        errs.append("must contain at least one letter (a-z)")
    if "--" in value:
        errs.append("must not contain consecutive hyphens")
    if value and (value[0] == "-" or value[-1] == "-"):
        errs.append("must not begin or end with a hyphen")
    return errs


@_remembered
def env_var_name(value: str) -> list[str]:
    """Messages for an invalid environment variable name."""
    return [] if _ENV_VAR_NAME.match(value) else [MSG_ENV_VAR_NAME]


def config_key(value: str) -> list[str]:
    """Messages for an invalid ConfigMap ``data``/``binaryData`` key."""
    problems = [max_len(253)] if len(value) > 253 else []
    if not _CONFIG_KEY.match(value):
        problems.append(MSG_CONFIG_KEY)
    return problems
