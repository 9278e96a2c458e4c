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
| `f1` | this help |
| `ctrl+p` | command palette: every action of the screen by name |
| `ctrl+n` | new project |
| `f2` | settings: the server, the AI provider in use, the theme |
| `ctrl+r` | refresh the screen |
| `escape` | back |
| `ctrl+q` | quit |

## Dashboard

Every project you are a member of: running tasks, verified and claimed progress, the last
validation score and audit verdict.

| key | action |
|---|---|
| `enter` | open the selected project |
| `n` | new project |
| `r` | refresh |

## Project

Tabs for tasks, files, validation findings and audit findings.

| key | action |
|---|---|
| `t` | new task |
| `enter` | open the selected task or file |
| `v` | validate the workspace: static checks only |
| `V` | validate the workspace: static checks and the project's tests |
| `a` | security audit |
| `w` | run a workflow |
| `o` | open the selected file |
| `r` | refresh |

## Task

Write an instruction, pick the model and permission mode, and run it. The agent's steps
stream live as sentences: what the model says, each tool call, validation results and
commits. In `ask` mode each edit or command waits for your decision, with the diff of the
pending change or the command line shown. When the task ends, the screen names the branch
that holds the work and the git command to merge it.

| key | action |
|---|---|
| `ctrl+enter` | run the task (or press the Run button) |
| `y` | approve the pending call |
| `n` | reject the pending call |
| `d` | the diff: of the pending change while one waits, else of the whole task |
| `u` | undo the last step (asks first) |
| `c` | cancel the task |

## Workflow

Run the `sparc` workflow on a goal (Specification, Pseudocode, Architecture, Refinement,
Completion) and watch the graph's tasks progress. `r` refreshes.
"""


class HelpScreen(Screen[None]):
    BINDINGS = [Binding("escape,f1,q", "app.pop_screen", "Back")]

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll():
            yield Markdown(HELP)
        yield Footer()
