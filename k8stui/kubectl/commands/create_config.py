"""``kubectl create configmap``, ``create secret generic|docker-registry|tls``, ``create
serviceaccount``: the objects kubectl builds from literals, files, folders and env files.

Keys are checked on the client as kubectl checks them, with its texts. Files are read as
UTF-8 text (the simulator's folders hold text); a file that is not text is refused by name.
An env file line without ``=`` names a variable of kubectl's own environment, which the
simulated machine does not have, so its value is empty.
"""

from __future__ import annotations

import base64
import json
import posixpath
from typing import Any

from k8stui.engine.apiserver.validation.names import MSG_CONFIG_KEY, config_key, env_var_name
from k8stui.kubectl.commands.args import Flag
from k8stui.kubectl.commands.base import Command, Invocation, KubectlError
from k8stui.kubectl.commands.printing import DRY_RUN_FLAG, OUTPUT_FLAG
from k8stui.kubectl.commands.writes import dry_run_mode, emit
from k8stui.kubectl.tls_pair import KeyPairError, check_key_pair

Obj = dict[str, Any]

_SOURCES = (
    Flag(
        "from-literal",
        kind="list",
        default=[],
        help="Specify a key and literal value to insert (i.e. mykey=somevalue)",
    ),
    Flag(
        "from-file",
        kind="list",
        default=[],
        split=True,
        help="Key file can be specified using its file path, in which case file basename will be used as key, or optionally with a key and file path, in which case the given key will be used.",
    ),
    Flag(
        "from-env-file",
        kind="list",
        default=[],
        split=True,
        help="Specify the path to a file to read lines of key=val pairs to create a configmap.",
    ),
)
_WRITE = (OUTPUT_FLAG, DRY_RUN_FLAG)


def _name(inv: Invocation) -> str:
    if len(inv.args) != 1:
        raise inv.usage_error(f"exactly one NAME is required, got {len(inv.args)}")
    return inv.args[0]


def _read(inv: Invocation, path: str) -> str:
    try:
        return inv.files.read(path)
    except FileNotFoundError:
        raise KubectlError(f"error: error reading {path}: no such file or directory") from None
    except UnicodeDecodeError:
        raise KubectlError(
            f"error: {path} is not UTF-8 text (binary files are not simulated)"
        ) from None


def _env_file(inv: Invocation, path: str) -> list[tuple[str, str]]:
    pairs = []
    for raw in _read(inv, path).splitlines():
        line = raw.lstrip()
        if not line or line.startswith("#"):
            continue
        key, sep, value = line.partition("=")
        if env_var_name(key):
            raise KubectlError(f'error: "{key}" is not a valid key name: {env_var_name(key)[0]}')
        pairs.append((key, value if sep else ""))
    return pairs


def _file_sources(inv: Invocation, source: str) -> list[tuple[str, str]]:
    key, sep, path = source.partition("=")
    if not sep:
        key, path = "", source
    if inv.files.is_dir(path):
        if key:
            raise KubectlError("error: cannot give a key name for a directory path")
        top = [name for name in inv.files.walk(path) if "/" not in name]
        return [(name, _read(inv, posixpath.join(path, name))) for name in top]
    if not inv.files.exists(path):
        raise KubectlError(f"error: error reading {path}: no such file or directory")
    return [(key or posixpath.basename(path), _read(inv, path))]


def _collect(inv: Invocation, kind: str) -> dict[str, str]:
    literals, files, env_files = (
        inv.flag(f) or [] for f in ("from-literal", "from-file", "from-env-file")
    )
    if env_files and (files or literals):
        raise KubectlError("error: from-env-file cannot be combined with from-file or from-literal")
    pairs: list[tuple[str, str]] = []
    for literal in literals:
        key, sep, value = literal.partition("=")
        if not sep or not key:
            raise KubectlError(f"error: invalid literal source {literal}, expected key=value")
        pairs.append((key, value))
    for source in files:
        pairs.extend(_file_sources(inv, source))
    pairs.extend(pair for path in env_files for pair in _env_file(inv, path))
    data: dict[str, str] = {}
    for key, value in pairs:
        if config_key(key):
            if kind == "Secret":
                raise KubectlError(
                    f'error: "{key}" is not valid key name for a Secret {MSG_CONFIG_KEY}'
                )
            raise KubectlError(
                f'error: "{key}" is not a valid key name for a ConfigMap: {MSG_CONFIG_KEY}'
            )
        if key in data:
            raise KubectlError(
                f'error: cannot add key "{key}", another key by that name already exists in Data for {kind} "{inv.args[0]}"'
            )
        data[key] = value
    return data


def _meta(inv: Invocation, name: str) -> Obj:
    meta: Obj = {"creationTimestamp": None, "name": name}
    if inv.given("namespace"):
        meta["namespace"] = inv.namespace
    return meta


def _b64(text: str) -> str:
    return base64.b64encode(text.encode()).decode()


def run_configmap(inv: Invocation) -> None:
    """``kubectl create configmap NAME [--from-literal|--from-file|--from-env-file]``."""
    name = _name(inv)
    data = _collect(inv, "ConfigMap")
    obj: Obj = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": _meta(inv, name)}
    if data:
        obj["data"] = dict(sorted(data.items()))
    emit(inv, obj, dry_run_mode(inv), failure="failed to create configmap: ")


def run_secret_generic(inv: Invocation) -> None:
    """``kubectl create secret generic NAME [--type=T] [--from-...]``."""
    name = _name(inv)
    data = _collect(inv, "Secret")
    obj: Obj = {"apiVersion": "v1", "kind": "Secret", "metadata": _meta(inv, name)}
    if data:
        obj["data"] = {k: _b64(v) for k, v in sorted(data.items())}
    if inv.flag("type"):
        obj["type"] = inv.flag("type")
    emit(inv, obj, dry_run_mode(inv), failure="failed to create secret ")


def run_secret_docker_registry(inv: Invocation) -> None:
    """``kubectl create secret docker-registry NAME --docker-username --docker-password ...``."""
    name = _name(inv)
    files = inv.flag("from-file") or []
    user, password = inv.flag("docker-username"), inv.flag("docker-password")
    if files:
        data = {}
        for source in files:
            key, sep, path = source.partition("=")
            key, path = (key, path) if sep else (".dockerconfigjson", source)
            data[key] = _b64(_read(inv, path))
    elif user and password:
        server = inv.flag("docker-server") or "https://index.docker.io/v1/"
        entry: Obj = {"username": user, "password": password}
        if inv.flag("docker-email"):
            entry["email"] = inv.flag("docker-email")
        entry["auth"] = _b64(f"{user}:{password}")
        config = json.dumps({"auths": {server: entry}}, separators=(",", ":"))
        data = {".dockerconfigjson": _b64(config)}
    else:
        raise KubectlError(
            "error: either --from-file or the combination of --docker-username, --docker-password and --docker-server is required"
        )
    obj: Obj = {
        "apiVersion": "v1",
        "data": data,
        "kind": "Secret",
        "metadata": _meta(inv, name),
        "type": "kubernetes.io/dockerconfigjson",
    }
    emit(inv, obj, dry_run_mode(inv), failure="failed to create secret ")


def _read_pem(inv: Invocation, path: str) -> str:
    try:
        return inv.files.read(path)
    except FileNotFoundError:
        raise KubectlError(
            f"error: Cannot read file {path}, open {path}: no such file or directory"
        ) from None
    except UnicodeDecodeError:
        raise KubectlError(
            f"error: {path} is not UTF-8 text (binary files are not simulated)"
        ) from None


def run_secret_tls(inv: Invocation) -> None:
    """``kubectl create secret tls NAME --cert=FILE --key=FILE``: a checked key pair."""
    name = _name(inv)
    cert_path, key_path = inv.flag("cert"), inv.flag("key")
    if not cert_path or not key_path:
        raise KubectlError("error: key and cert must be specified")
    cert, key = _read_pem(inv, cert_path), _read_pem(inv, key_path)
    try:
        check_key_pair(cert, key)
    except KeyPairError as exc:
        raise KubectlError(f"error: {exc}") from None
    obj: Obj = {
        "apiVersion": "v1",
        "data": {"tls.crt": _b64(cert), "tls.key": _b64(key)},
        "kind": "Secret",
        "metadata": _meta(inv, name),
        "type": "kubernetes.io/tls",
    }
    emit(inv, obj, dry_run_mode(inv), failure="failed to create secret ")


def run_serviceaccount(inv: Invocation) -> None:
    """``kubectl create serviceaccount NAME``."""
    obj: Obj = {"apiVersion": "v1", "kind": "ServiceAccount", "metadata": _meta(inv, _name(inv))}
    emit(inv, obj, dry_run_mode(inv), failure="failed to create serviceaccount: ")


CONFIGMAP_COMMAND = Command(
    name="configmap",
    summary="Create a config map from a local file, directory or literal value",
    usage="kubectl create configmap NAME [--from-file=[key=]source] [--from-literal=key1=value1] [--dry-run=server|client|none] [options]",
    flags=(*_WRITE, *_SOURCES),
    handler=run_configmap,
    aliases=("cm",),
    examples="""  # Create a new config map named my-config with key1=config1 and key2=config2
  kubectl create configmap my-config --from-literal=key1=config1 --from-literal=key2=config2

  # Create a new config map named my-config from the key=value pairs in the file
  kubectl create configmap my-config --from-env-file=path/to/foo.env""",
)

SECRET_COMMAND = Command(
    name="secret",
    summary="Create a secret using a specified subcommand",
    usage="kubectl create secret (docker-registry | generic | tls) [options]",
    flags=(),
    long_help="Create a secret with specified type.\n\n A docker-registry type secret is for accessing a container registry.\n\n A generic type secret indicate an Opaque secret type.",
    subcommands=(
        Command(
            name="docker-registry",
            summary="Create a secret for use with a Docker registry",
            usage="kubectl create secret docker-registry NAME --docker-username=user --docker-password=password --docker-email=email [--docker-server=string] [--from-file=[key=]source] [--dry-run=server|client|none] [options]",
            flags=(
                *_WRITE,
                Flag(
                    "docker-server",
                    default="https://index.docker.io/v1/",
                    help="Server location for Docker registry",
                ),
                Flag("docker-username", help="Username for Docker registry authentication"),
                Flag("docker-password", help="Password for Docker registry authentication"),
                Flag("docker-email", help="Email for Docker registry"),
                Flag(
                    "from-file",
                    kind="list",
                    default=[],
                    split=True,
                    help="Key files can be specified using their file path, in which case a default name of .dockerconfigjson will be given to them, or optionally with a name and file path, in which case the given name will be used.",
                ),
            ),
            handler=run_secret_docker_registry,
        ),
        Command(
            name="generic",
            summary="Create a secret from a local file, directory, or literal value",
            usage="kubectl create secret generic NAME [--type=string] [--from-file=[key=]source] [--from-literal=key1=value1] [--dry-run=server|client|none] [options]",
            flags=(*_WRITE, *_SOURCES, Flag("type", help="The type of secret to create")),
            handler=run_secret_generic,
            examples="""  # Create a new secret named my-secret with key1=supersecret and key2=topsecret
  kubectl create secret generic my-secret --from-literal=key1=supersecret --from-literal=key2=topsecret""",
        ),
        Command(
            name="tls",
            summary="Create a TLS secret",
            usage="kubectl create secret tls NAME --cert=path/to/cert/file --key=path/to/key/file [--dry-run=server|client|none] [options]",
            flags=(
                *_WRITE,
                Flag("cert", help="Path to the PEM certificate (the public half of the pair)."),
                Flag("key", help="Path to the PEM private key that belongs to the certificate."),
            ),
            handler=run_secret_tls,
            long_help="Create a TLS secret from a PEM certificate and its private key, "
            "after checking that the key belongs to the certificate.",
            examples="""  # A TLS secret named tls-secret from a certificate and its key
  kubectl create secret tls tls-secret --cert=path/to/tls.crt --key=path/to/tls.key""",
        ),
    ),
)

SERVICEACCOUNT_COMMAND = Command(
    name="serviceaccount",
    summary="Create a service account with the specified name",
    usage="kubectl create serviceaccount NAME [--dry-run=server|client|none] [options]",
    flags=_WRITE,
    handler=run_serviceaccount,
    aliases=("sa",),
    examples="  # Create a new service account named my-service-account\n  kubectl create serviceaccount my-service-account",
)
