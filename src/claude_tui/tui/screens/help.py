"""F1: what each screen does and every key binding."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Header, Markdown

HELP = """\
# Claude TUI

Manage projects and have an AI model carry out coding tasks. Every change the model makes is
checked by the validation engine before it counts: **verified** progress is what was
checked, **claimed** progress is what the model said.

## Everywhere

| key | action |
|---|---|
| `F1` | this help |
| `ctrl+p` | command palette: every action by name |
| `ctrl+n` | new project |
| `F2` | settings: the server, the AI provider in use, the theme |
| `ctrl+r` | refresh the screen |
| `escape` | back |
| `ctrl+q` | quit |

## Dashboard

Every project you are a member of: running tasks, verified and claimed progress, the last
validation score and audit result. `enter` opens a project, `n` creates one.

## Project

Tabs for tasks, files, validation findings and audit findings. `t` new task, `enter` opens
the selected task, `v` validates the workspace with static checks, `V` with the project's
tests as well, `a` runs the security audit, `w` starts a
workflow, `o` opens the selected file.

## Task

Write an instruction, pick the model and permission mode, and run it. The agent's steps
stream live: messages, tool calls, diffs, validation results and commits. In `ask` mode each
edit waits for `y` (approve) or `n` (reject). `c` cancels, `u` undoes the last step.

## Workflow

Run the `sparc` workflow on a goal (Specification, Pseudocode, Architecture, Refinement,
Completion) and watch the graph's tasks progress.
"""


class HelpScreen(Screen[None]):
    BINDINGS = [Binding("escape,f1,q", "app.pop_screen", "Back")]

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll():
            yield Markdown(HELP)
        yield Footer()
