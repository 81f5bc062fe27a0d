"""Rumbo: sales performance management."""
