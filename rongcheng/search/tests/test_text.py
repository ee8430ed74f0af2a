from rongcheng.search.text import (
    MAX_KEYWORDS,
    Keyword,
    characters,
    highlight,
    index_terms,
    keywords,
    pinyin,
    pinyin_terms,
    query_terms,
)


def test_search_mode_indexes_the_word_and_the_words_inside_it():
    assert index_terms("鄂尔多斯羊绒衫") == ["尔多", "多斯", "鄂尔多", "鄂尔多斯", "羊绒", "羊绒衫"]


def test_trade_dictionary_keeps_trade_words_whole():
    # Without the trade dictionary jieba cuts these into 堆堆/领, 燕麦/色, 雾/霾/蓝, 绒/城/购.
    assert query_terms("堆堆领毛衣") == ["堆堆领", "毛衣"]
    assert query_terms("燕麦色开衫") == ["燕麦色", "开衫"]
    assert query_terms("雾霾蓝围巾") == ["雾霾蓝", "围巾"]
    assert query_terms("绒城购") == ["绒城购"]


def test_query_keeps_words_whole_so_a_document_holds_them():
    assert query_terms("羊绒衫") == ["羊绒衫"]
    assert set(query_terms("羊绒衫")) <= set(index_terms("女士高领羊绒衫"))
    assert set(query_terms("羊绒")) <= set(index_terms("女士高领羊绒衫"))


def test_english_words_are_stemmed_and_lower_cased():
    assert query_terms("Cashmere Sweaters") == ["cashmer", "sweater"]
    assert index_terms("cashmere sweater") == ["cashmer", "sweater"]


def test_terms_are_runs_of_one_script_without_punctuation():
    assert index_terms("V领 100%羊绒 T恤") == ["v", "领", "100", "羊绒", "t", "恤"]


def test_pinyin_and_initials():
    assert pinyin("羊绒衫") == ("yangrongshan", "yrs")
    assert pinyin_terms("羊绒衫") == ["yangrong", "yr", "yangrongshan", "yrs"]


def test_pinyin_of_a_whole_run_lets_continuous_spelling_match():
    assert "nvshiyangrongshan" in pinyin_terms("女士羊绒衫")


def test_characters_of_a_text():
    assert characters("羊绒衫 羊毛") == ["羊", "绒", "衫", "毛"]


def test_keywords_split_on_spaces_of_any_width():
    assert keywords("羊绒　开衫  ") == [Keyword("羊绒", ("羊绒",)), Keyword("开衫", ("开衫",))]


def test_an_ascii_word_is_also_a_pinyin_spelling():
    assert keywords("ＹＲＳ") == [Keyword("yrs", ("yrs",), "yrs")]
    assert keywords("26支") == [Keyword("26支", ("26", "支"))]


def test_punctuation_only_keywords_are_dropped_and_the_count_is_capped():
    assert keywords("!!! ，。") == []
    assert len(keywords(" ".join(f"词{i}" for i in range(20)))) == MAX_KEYWORDS


def test_highlight_marks_words_stems_and_pinyin():
    found = keywords("yrs sweater 衫")
    assert highlight("高领羊绒衫 Cashmere Sweaters", found) == [
        ("高领", False),
        ("羊绒衫", True),
        (" Cashmere ", False),
        ("Sweaters", True),
    ]


def test_the_kept_cuts_of_a_text_serve_any_spelling():
    # The second and third marks reuse the cuts of the first: each its own words.
    assert highlight("高领羊绒开衫", keywords("yr")) == [
        ("高领", False),
        ("羊绒", True),
        ("开衫", False),
    ]
    assert highlight("高领羊绒开衫", keywords("kaishan")) == [("高领羊绒", False), ("开衫", True)]
    assert highlight("高领羊绒开衫", keywords("gl ks")) == [
        ("高领", True),
        ("羊绒", False),
        ("开衫", True),
    ]


def test_highlight_marks_a_word_inside_a_longer_one_and_single_characters():
    assert highlight("山羊绒开衫", keywords("羊绒")) == [
        ("山", False),
        ("羊绒", True),
        ("开衫", False),
    ]
    assert highlight("羊毛衫", keywords("衫")) == [("羊毛", False), ("衫", True)]


def test_highlight_without_keywords_is_the_plain_text():
    assert highlight("羊绒衫", []) == [("羊绒衫", False)]
    assert highlight("", keywords("羊绒")) == []
