"""Real manifests in: text -> Documents with positions -> checked Kubernetes objects.

Pure functions, no engine state. ``load_documents`` parses YAML/JSON safely and reports
every problem as a positioned ManifestError; ``check_object`` resolves the kind and runs the
strict official-schema check (validators are built lazily; ``warm_up`` preloads them).
"""

from k8stui.manifests.check import check_object
from k8stui.manifests.errors import ManifestError
from k8stui.manifests.kinds import SIMULATED, Support, resolve
from k8stui.manifests.loader import Document, LoadResult, load_documents
from k8stui.manifests.schema import warm_up

__all__ = [
    "SIMULATED",
    "Document",
    "LoadResult",
    "ManifestError",
    "Support",
    "check_object",
    "load_documents",
    "resolve",
    "warm_up",
]
