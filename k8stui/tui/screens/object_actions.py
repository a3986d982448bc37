"""The play screen's object actions: describe / YAML / logs of a pod, editing live objects
and new files from templates (a base class of :class:`~k8stui.tui.screens.play.PlayScreen`)."""

from __future__ import annotations

from typing import Any

import yaml

from k8stui.game.runner import CommandOutput
from k8stui.kubectl.output import to_yaml
from k8stui.tui.screens.base import GameScreen
from k8stui.tui.screens.template_picker import TemplatePicker
from k8stui.tui.screens.viewer import ViewerScreen
from k8stui.tui.templates import TEMPLATES, unique_name
from k8stui.tui.widgets.console_pane import ConsolePane
from k8stui.tui.widgets.editor_pane import EditorPane
from k8stui.tui.widgets.node_pane import NodesPane

_EDIT_DROP = ("uid", "resourceVersion", "creationTimestamp", "managedFields", "generation")


class ObjectActions(GameScreen[None]):
    """Actions on the selected pod and on editor tabs; the play screen runs the commands."""

    run: Any
    # Editor tabs holding live objects: path -> kubectl edit target.
    _edits: dict[str, str]

    def execute(self, line: str, *, echo: bool = True) -> CommandOutput:
        """Run one command line through the level's session (the play screen's)."""
        raise NotImplementedError

    async def edit_object(self, target: str) -> None:
        """Open a live object (``"pod kubia"``, ``"rc/kubia -n x"``) in an editor tab; applying
        that tab runs ``kubectl edit TARGET --from-file TAB``."""
        console = self.query_one(ConsolePane)
        console.write_command(f"kubectl edit {target}")
        result = self.run.run_command(f"kubectl get {target} -o yaml")
        if result.exit_code != 0:
            console.write_output("", result.stderr)
            return
        path = "edit/" + "-".join(target.replace("/", "-").split()) + ".yaml"
        self._edits[path] = target
        console.write_output(f"editing {target} in {path}: F5 saves it to the cluster\n", "")
        await self.open_live_object(path, result.stdout)

    def action_new_file(self) -> None:
        """Pick a template and open it in a new tab."""

        async def opened(choice: str | None) -> None:
            if choice is None:
                return
            wanted, text = TEMPLATES[choice]
            editor = self.query_one(EditorPane)
            await editor.open_file(unique_name(wanted, set(editor.paths)), text)

        self.app.push_screen(TemplatePicker(), opened)

    def _pod_command(self, template: str) -> tuple[str, CommandOutput] | None:
        selected = self.query_one(NodesPane).selected
        if selected is None:
            return None  # the pod keys are disabled then (PlayScreen.check_action)
        namespace, name = selected
        line = template.format(name=name, ns=namespace)
        return f"{name}", self.execute(line, echo=False)

    def _view(self, template: str, title: str) -> None:
        found = self._pod_command(template)
        if found:
            name, result = found
            body = result.stdout or result.stderr
            self.app.push_screen(ViewerScreen(f"{title} {name}", body, error=result.exit_code != 0))

    def action_describe(self) -> None:
        """Describe the selected pod."""
        self._view("kubectl describe pod {name} -n {ns}", "describe")

    def action_yaml(self) -> None:
        """Show the selected pod as YAML."""
        self._view("kubectl get pod {name} -n {ns} -o yaml", "yaml")

    def action_logs(self) -> None:
        """Show the selected pod's logs."""
        self._view("kubectl logs {name} -n {ns}", "logs")

    async def action_edit(self) -> None:
        """Open the selected pod in the editor, as ``kubectl edit`` would."""
        selected = self.query_one(NodesPane).selected
        if selected is None:
            return
        namespace, name = selected
        await self.edit_object(f"pod {name} -n {namespace}")

    async def open_live_object(self, path: str, text: str) -> None:
        """Open a live object's YAML for editing, minus the fields the server owns."""
        obj = yaml.safe_load(text)
        if isinstance(obj, dict):
            obj.pop("status", None)
            meta = obj.get("metadata") or {}
            for key in _EDIT_DROP:
                meta.pop(key, None)
            text = to_yaml(obj)
        await self.query_one(EditorPane).open_file(path, text)
