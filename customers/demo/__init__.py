"""The demo shop behind ``manage.py seed_demo``: see customers.demo.seed."""

from customers.demo.seed import (
    DEFAULT_BUYERS,
    DEFAULT_MANAGER,
    DEFAULT_ORDERS,
    DEFAULT_OWNER,
    DEFAULT_SLUG,
    DemoReport,
    demo_seed,
)

__all__ = [
    "DEFAULT_BUYERS",
    "DEFAULT_MANAGER",
    "DEFAULT_ORDERS",
    "DEFAULT_OWNER",
    "DEFAULT_SLUG",
    "DemoReport",
    "demo_seed",
]
