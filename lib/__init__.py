"""Relative valuation of US small-cap growth: data layer, NYSE weekly engine, charts, CLI."""
