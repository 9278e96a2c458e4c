from claude_tui.services.principal import Principal


def test_session_tokens_allow_everything_the_user_may_do() -> None:
    assert Principal(1, "ann").allows("projects:write")


def test_api_keys_allow_only_their_scopes() -> None:
    key = Principal(1, "ann", via="api_key", scopes=frozenset({"projects:read"}))
    assert key.allows("projects:read")
    assert not key.allows("projects:write")
    assert Principal(1, "ann", via="api_key", scopes=frozenset({"*"})).allows("anything")
