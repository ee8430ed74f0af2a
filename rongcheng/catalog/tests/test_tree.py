import pytest
from django.core.cache import cache
from django.utils import translation

from rongcheng.catalog.errors import CategoryCycle, CategoryInUse, CategoryNotFound
from rongcheng.catalog.models import Category
from rongcheng.catalog.selectors.cards import category_products
from rongcheng.catalog.selectors.categories import CATEGORY_TREE_CACHE_KEY, category_tree
from rongcheng.catalog.services import category_delete, category_save
from rongcheng.catalog.tests.factories import CategoryFactory, make_product
from rongcheng.seo import generations
from rongcheng.seo.locations import CATALOGUE

pytestmark = pytest.mark.django_db


def _chain(depth: int) -> list[Category]:
    chain = [CategoryFactory(name="L0")]
    for level in range(1, depth):
        chain.append(CategoryFactory(name=f"L{level}", parent=chain[-1]))
    return chain


def test_the_tree_has_no_depth_limit():
    chain = _chain(300)
    tree = category_tree()
    assert [node.name for node in tree.roots] == ["L0"]
    assert tree.get(chain[-1].id).depth == 299
    assert [node.id for node in tree.path(chain[-1].id)] == [c.id for c in chain]
    assert sorted(tree.subtree_ids(chain[100].id)) == sorted(c.id for c in chain[100:])


def test_goods_of_the_deepest_category_are_listed_under_every_ancestor():
    chain = _chain(40)
    product = make_product(category=chain[-1])
    other_branch = CategoryFactory(name="其他", parent=chain[5])
    make_product(category=other_branch)
    root_page = category_products(category_id=chain[0].id)
    assert product.id in [card.id for card in root_page]
    assert len(root_page.object_list) == 2
    deep_page = category_products(category_id=chain[20].id)
    assert [card.id for card in deep_page] == [product.id]


def test_siblings_keep_the_order_set_by_operations():
    root = CategoryFactory(name="女装")
    CategoryFactory(name="围巾", parent=root, position=3)
    CategoryFactory(name="羊绒衫", parent=root, position=1)
    CategoryFactory(name="大衣", parent=root, position=2)
    tree = category_tree()
    assert [child.name for child in tree.get(root.id).children] == ["羊绒衫", "大衣", "围巾"]
    assert [node.name for node in tree.walk()] == ["女装", "羊绒衫", "大衣", "围巾"]


def test_moving_a_category_under_its_own_descendant_is_refused_and_changes_nothing():
    chain = _chain(5)
    top = Category.objects.get(id=chain[0].id)
    top.parent = chain[3]
    with pytest.raises(CategoryCycle):
        category_save(category=top)
    assert Category.objects.get(id=chain[0].id).parent_id is None
    assert category_tree().roots[0].id == chain[0].id


def test_a_move_is_visible_at_once_in_the_cached_tree():
    a = CategoryFactory(name="A")
    b = CategoryFactory(name="B")
    child = CategoryFactory(name="子", parent=a)
    assert category_tree().get(child.id).parent_id == a.id
    child.parent = b
    category_save(category=child)
    tree = category_tree()
    assert [n.name for n in tree.get(b.id).children] == ["子"]
    assert tree.get(a.id).children == []


def test_a_switched_off_category_hides_its_whole_subtree():
    chain = _chain(4)
    middle = chain[1]
    middle.is_active = False
    category_save(category=middle)
    tree = category_tree()
    assert set(tree.nodes) == {chain[0].id}
    with pytest.raises(CategoryNotFound):
        tree.get(chain[3].id)


def test_a_category_with_goods_or_children_cannot_be_deleted():
    parent = CategoryFactory()
    child = CategoryFactory(parent=parent)
    make_product(category=child)
    with pytest.raises(CategoryInUse):
        category_delete(category=parent)
    with pytest.raises(CategoryInUse):
        category_delete(category=child)
    assert Category.objects.count() == 2


def test_a_name_used_twice_is_labelled_with_the_ancestor_that_tells_them_apart():
    from rongcheng.catalog.tree import CategoryTree

    rows = [
        (1, "女装", "Women", None, False, None),
        (2, "男装", "Men", None, False, None),
        (3, "羊绒衫", "Cashmere sweaters", 1, False, None),
        (4, "羊绒衫", "Cashmere sweaters", 2, False, None),
        (5, "圆领羊绒衫", "Crew necks", 3, False, None),
        (6, "圆领羊绒衫", "", 4, False, None),
        (7, "羊绒大衣", "Cashmere coats", 1, False, None),
    ]
    tree = CategoryTree.build(rows)
    with translation.override("zh-hans"):
        chinese = {node.id: node.label for node in tree.walk()}
    with translation.override("en"):
        english = {node.id: node.label for node in tree.walk()}
    assert chinese == {
        1: "女装",
        2: "男装",
        3: "羊绒衫（女装）",
        4: "羊绒衫（男装）",
        5: "圆领羊绒衫（女装）",
        6: "圆领羊绒衫（男装）",
        7: "羊绒大衣",
    }
    # The same tree on English pages: English names, Chinese where none is written yet.
    assert english == {
        1: "Women",
        2: "Men",
        3: "Cashmere sweaters (Women)",
        4: "Cashmere sweaters (Men)",
        5: "Crew necks (Women)",
        6: "圆领羊绒衫 (Men)",
        7: "Cashmere coats",
    }


def test_a_process_keeps_its_tree_until_the_catalogue_moves_on():
    """Another process's change reaches this one with the catalogue's generation; a change
    made here drops this process's tree at once."""
    CategoryFactory(name="女装")
    assert [node.name for node in category_tree().roots] == ["女装"]
    Category.objects.create(name="男装", position=1)  # another process's change, uncommitted
    cache.delete(CATEGORY_TREE_CACHE_KEY)  # ... whose commit drops the shared tree
    assert [node.name for node in category_tree().roots] == ["女装"]
    generations.bump([CATALOGUE])  # ... and moves the catalogue on
    assert [node.name for node in category_tree().roots] == ["女装", "男装"]
    CategoryFactory(name="童装", position=2)  # a change made here
    assert [node.name for node in category_tree().roots] == ["女装", "男装", "童装"]
