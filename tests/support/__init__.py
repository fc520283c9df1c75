"""Test helpers that are not fixtures: database servers, proxies."""
