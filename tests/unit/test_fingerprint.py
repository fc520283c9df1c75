from application.fingerprint import fingerprint


def test_equal_json_values_have_equal_fingerprints_whatever_the_key_order() -> None:
    assert fingerprint({"title": "a", "is_completed": False}) == fingerprint(
        {"is_completed": False, "title": "a"}
    )


def test_different_values_have_different_fingerprints() -> None:
    assert fingerprint({"title": "a"}) != fingerprint({"title": "b"})
    assert fingerprint({"title": "a"}) != fingerprint({"title": "a", "description": None})
