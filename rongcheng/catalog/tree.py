"""The category tree as plain objects, built from flat rows (no recursion, any depth)."""

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from rongcheng.catalog.errors import CategoryNotFound
from rongcheng.core.translation import localized, pick

# (id, name, name_en, parent_id, is_recommended, product_type_id), in display order.
CategoryRow = tuple[int, str, str, int | None, bool, int | None]


@dataclass
class CategoryNode:
    id: int
    name: str
    name_en: str
    parent_id: int | None
    is_recommended: bool
    product_type_id: int | None
    depth: int = 0
    children: list["CategoryNode"] = field(default_factory=list)
    # Where another category has the same name, the ancestor that tells them apart: lists
    # without the tree around them show it beside the name (`label`).
    twin_ancestor: "CategoryNode | None" = None

    @property
    def label(self) -> str:
        """The name in the active language, with `twin_ancestor` where names repeat."""
        name = localized(self)
        if self.twin_ancestor is None:
            return name
        ancestor = localized(self.twin_ancestor)
        return pick(f"{name}（{ancestor}）", f"{name} ({ancestor})")


@dataclass
class CategoryTree:
    roots: list[CategoryNode]
    nodes: dict[int, CategoryNode]

    @classmethod
    def build(cls, rows: Iterable[CategoryRow]) -> "CategoryTree":
        """Link rows to their parents; a row whose parent is missing (inactive) is left out
        together with its whole subtree."""
        candidates = {row[0]: CategoryNode(*row) for row in rows}
        children: dict[int | None, list[CategoryNode]] = {}
        for node in candidates.values():
            children.setdefault(node.parent_id, []).append(node)
        roots = children.get(None, [])
        nodes: dict[int, CategoryNode] = {}
        pending = list(roots)
        while pending:
            node = pending.pop()
            nodes[node.id] = node
            node.children = children.get(node.id, [])
            for child in node.children:
                child.depth = node.depth + 1
            pending.extend(node.children)
        tree = cls(roots=roots, nodes=nodes)
        tree._label_twins()
        return tree

    def _label_twins(self) -> None:
        by_name: dict[str, list[CategoryNode]] = {}
        for node in self.nodes.values():
            by_name.setdefault(node.name, []).append(node)
        for twins in by_name.values():
            if len(twins) == 1:
                continue
            paths = [self.path(twin.id)[:-1] for twin in twins]
            # The nearest level of ancestors at which the twins' ancestors all differ.
            for up in range(1, max(len(path) for path in paths) + 1):
                ancestors = [path[-up] if len(path) >= up else None for path in paths]
                names = [ancestor.name if ancestor else "" for ancestor in ancestors]
                if len(set(names)) == len(names):
                    for twin, ancestor in zip(twins, ancestors, strict=True):
                        twin.twin_ancestor = ancestor
                    break

    def get(self, category_id: int) -> CategoryNode:
        try:
            return self.nodes[category_id]
        except KeyError:
            raise CategoryNotFound(_("没有这个类目。")) from None

    def subtree_ids(self, category_id: int) -> list[int]:
        """The category and every category below it, at any depth."""
        ids = []
        pending = [self.get(category_id)]
        while pending:
            node = pending.pop()
            ids.append(node.id)
            pending.extend(node.children)
        return ids

    def path(self, category_id: int) -> list[CategoryNode]:
        """From the root down to the category (breadcrumbs)."""
        node: CategoryNode | None = self.get(category_id)
        path = []
        while node is not None:
            path.append(node)
            node = self.nodes.get(node.parent_id) if node.parent_id is not None else None
        return path[::-1]

    def product_type_id(self, category_id: int) -> int | None:
        """The category's product type, inherited from the nearest ancestor that has one."""
        for node in reversed(self.path(category_id)):
            if node.product_type_id is not None:
                return node.product_type_id
        return None

    def recommended(self) -> list[CategoryNode]:
        return [node for node in self.walk() if node.is_recommended]

    def walk(self) -> list[CategoryNode]:
        """Every node, parents before children, siblings in display order."""
        ordered = []
        pending = list(reversed(self.roots))
        while pending:
            node = pending.pop()
            ordered.append(node)
            pending.extend(reversed(node.children))
        return ordered
