"""Allow ``python -m k8stui``."""

from k8stui.cli import main

raise SystemExit(main())
