"""The access-control walk: every page and every API operation, as every persona.

`rules` states who may read and write what (independently of the code under
test), `pages` and `api` enumerate what exists and call it, `checks` inspects
each response, and the `test_*` modules run the walks."""
