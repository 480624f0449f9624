"""Capcom: a Discord bot for crewed spaceflight, backed by Launch Library 2."""

__version__ = "0.1.0"
