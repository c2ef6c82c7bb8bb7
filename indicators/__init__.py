"""Indicator catalog, region registry and scoring of Finland's regions."""
