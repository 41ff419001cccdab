"""Data notebooks run unchanged on a messy line-item export, by parameters alone (part b of 2)."""

from own_data import notebook_tests

export, test_notebook_runs_on_a_messy_line_item_export = notebook_tests(["04_ahp_customer_value", "05_segmentation", "06_retention_metrics", "07_probabilistic_clv"])
