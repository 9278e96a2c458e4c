"""The workspace's files as a tree that lists a folder when it is opened."""

from __future__ import annotations

from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.message import Message
from textual.widgets import TabPane, Tree
from textual.widgets.tree import TreeNode


class FilesTab(TabPane):
    DEFAULT_CSS = """
    FilesTab {
        height: 1fr;
        padding: 0;
    }
    """

    class FolderOpened(Message):
        """A folder whose entries are not known yet was opened: the screen lists it."""

        def __init__(self, node: TreeNode[str]) -> None:
            super().__init__()
            self.node = node

        @property
        def path(self) -> str:
            return self.node.data or ""

    class FileChosen(Message):
        """The person chose a file to open."""

        def __init__(self, path: str) -> None:
            super().__init__()
            self.path = path

    def __init__(self, root_label: str) -> None:
        super().__init__("Files", id="tab-files")
        self.root_label = root_label

    def compose(self) -> ComposeResult:
        tree: Tree[str] = Tree(self.root_label, data="", id="files")
        tree.root.expand()
        yield tree

    @property
    def root(self) -> TreeNode[str]:
        return self.query_one("#files", Tree).root

    def fill(self, node: TreeNode[str], listing: list[dict[str, Any]]) -> None:
        """Show a folder's entries under its node."""
        node.remove_children()
        for entry in listing:
            if entry["type"] == "directory":
                child = node.add(f"📁 {entry['name']}", data=entry["path"])
                child.allow_expand = True
            else:
                node.add_leaf(entry["name"], data=entry["path"])

    def choose_highlighted(self) -> None:
        """Open the file under the cursor (a folder is left alone)."""
        node = self.query_one("#files", Tree).cursor_node
        if node is not None and not node.allow_expand and node.data:
            self.post_message(self.FileChosen(node.data))

    @on(Tree.NodeExpanded, "#files")
    def _expanded(self, event: Tree.NodeExpanded[str]) -> None:
        event.stop()
        if event.node is not event.node.tree.root and not event.node.children:
            self.post_message(self.FolderOpened(event.node))

    @on(Tree.NodeSelected, "#files")
    def _selected(self, event: Tree.NodeSelected[str]) -> None:
        event.stop()
        if not event.node.allow_expand and event.node.data:
            self.post_message(self.FileChosen(event.node.data))
