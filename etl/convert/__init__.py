"""Maintainer tool: convert the raw published files into the snapshot (data/) and the registry."""
