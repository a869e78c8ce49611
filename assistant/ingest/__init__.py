"""The staff flow: the knowledge folder's files -> articles -> passages -> a published store version."""
