"""The play screen's keys, in one table.

F-keys and Ctrl keys act everywhere, also while typing, and mean the same in every pane (they
are priority bindings of the play screen, so the editor's own F6/F7 never fire). Letters and
symbols are bound on the panes that take no text (nodes, goals, events), so they never fire
while typing; a printable key that is no shortcut where it is pressed is typed into the
console (PlayScreen.on_key).
"""

from __future__ import annotations

from textual.binding import Binding, BindingType


def _b(
    key: str,
    action: str,
    text: str,
    tip: str,
    bid: str,
    *,
    show: bool = False,
    priority: bool = False,
) -> Binding:
    return Binding(key, action, text, show=show, id=f"play.{bid}", tooltip=tip, priority=priority)


# On the play screen: everywhere.
GLOBAL: list[BindingType] = [
    # F6 stays out of the footer: the time bar's pause link shows it, and at 80 columns with
    # a pod selected the footer would have no room left for F1 Help.
    _b("f5", "apply", "Apply", "kubectl apply -f the file in the editor", "apply", show=True),
    _b("f6", "toggle_pause", "Pause", "Pause or resume the clock", "pause_f6", priority=True),
    _b("f7", "slower", "Slower", "Halve the clock speed", "slower_f7", priority=True),
    _b("f8", "faster", "Faster", "Double the clock speed (up to 32×)", "faster_f8", priority=True),
    _b("f9", "step", "Step", "Advance the clock by one second", "step_f9", priority=True),
    _b("f10", "next_event", "Next event", "Jump to the next event", "next_f10", priority=True),
    _b(
        "ctrl+o",
        "zoom",
        "Zoom",
        "Zoom the focused pane to the full screen, and back (Esc also unzooms)",
        "zoom",
        show=True,
        priority=True,
    ),
    _b("ctrl+n", "new_file", "New file", "New manifest from a template", "new"),
    _b(
        "ctrl+pagedown",
        "next_file",
        "Next file",
        "Show the next file in the editor",
        "next_file",
        priority=True,
    ),
    _b(
        "ctrl+pageup",
        "prev_file",
        "Prev file",
        "Show the previous file in the editor",
        "prev_file",
        priority=True,
    ),
    # Priority: the focus must move before the keys typed right after F2/F3 are handed out,
    # or a burst (tmux send-keys, a fast typist) lands in the pane being left.
    _b("f2", "focus_editor", "Editor", "Focus the editor", "editor", priority=True),
    _b("f3", "command", "Console", "Focus the console", "console", priority=True),
    _b("f4,escape", "focus_nodes", "Nodes", "Focus the nodes (pod keys d y l e)", "nodes"),
]


def _p(key: str, action: str, text: str, tip: str, bid: str, *, show: bool = False) -> Binding:
    return _b(key, f"screen.{action}", text, tip, bid, show=show)


# On the nodes, goals and events panes: keys that would be text elsewhere.
PANES: list[BindingType] = [
    _p("space", "toggle_pause", "Pause", "Pause or resume the sim clock", "pause"),
    _p("plus,equals_sign", "faster", "Faster", "Double the clock speed (up to 32×)", "faster"),
    _p("minus", "slower", "Slower", "Halve the clock speed", "slower"),
    _p("full_stop", "step", "Step", "Advance the paused clock by one second", "step"),
    _p("n", "next_event", "Next event", "Fast-forward to the next scheduled event", "next"),
    _p("w", "start_wave", "Wave", "Start the level's wave of faults", "wave", show=True),
    _p("h", "hint", "Hint", "Show the next hint tier", "hint", show=True),
    _p("z", "zoom", "Zoom", "Zoom this pane (as Ctrl+O)", "zoom_z"),
    _p("colon", "command", "Command", "Type a command in the console", "command"),
    _p("q", "leave", "Levels", "Back to the level list (asks first)", "leave"),
    _p(
        # "a" for API; not "k", which starts "kubectl" typed into a pane (issue 15, item 2).
        "a",
        "serve_api",
        "Your kubectl",
        "Serve this cluster's API so your own kubectl can drive it (shows how to connect)",
        "serve_api",
    ),
]
# On the nodes pane only (k9s keys), enabled while a pod is selected.
POD_KEYS: list[BindingType] = [
    _p("slash", "filter", "Filter", "Filter the pods by name or status", "filter"),
    _p("d", "describe", "Describe", "kubectl describe the selected pod", "describe", show=True),
    _p("y", "yaml", "YAML", "Show the selected pod's YAML", "yaml"),
    _p("l", "logs", "Logs", "Show the selected pod's logs", "logs"),
    _p("e", "edit", "Edit", "Edit the selected pod in the editor", "edit"),
]
POD_ACTIONS = {"describe", "yaml", "logs", "edit"}
