"""Statements to storage and search: store, embedder, vector and lexical indexes, matching."""
