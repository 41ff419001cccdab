"""Data notebooks run unchanged on a messy line-item export, by parameters alone (part a of 2)."""

from own_data import notebook_tests

export, test_notebook_runs_on_a_messy_line_item_export = notebook_tests(["00_getting_started", "01_customer_lifecycle", "03_customer_lifetime_value"])
