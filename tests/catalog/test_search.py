from binakarya.catalog.search import query_terms, search_document, stem_word


def test_indonesian_word_forms_stem_to_batik():
    # when / then
    assert stem_word("membatik") == "batik"
    assert stem_word("batiknya") == "batik"
    assert stem_word("Batik") == "batik"


def test_search_document_is_padded_and_deduplicated():
    # when
    doc = search_document("Kain Batik Tulis", "batiknya halus", "")

    # then
    assert doc == " kain batik tulis halus "


def test_query_terms_drop_punctuation_and_cap_length():
    # when / then
    assert query_terms("'; DROP TABLE--") == ["drop", "table"]
    assert query_terms("%%%") == []
    assert len(query_terms(" ".join(f"kata{i}" for i in range(30)))) == 8
