"""Runners' clinic assistant: answers from the clinic's own articles, with citations.

Heavy libraries (torch, sentence-transformers, chromadb) are imported lazily by the
modules that need them, so importing this package and `--help` stay instant.
"""
