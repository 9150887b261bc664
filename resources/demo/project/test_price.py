"""Run with: python3 test_price.py"""

from price import discounted, total


def check(name, actual, expected):
    status = "ok  " if actual == expected else "FAIL"
    print(f"{status} {name}: {actual} (expected {expected})")
    return actual == expected


results = [
    check("no discount", discounted(1000, 0), 1000),
    check("ten per cent", discounted(1000, 10), 900),
    check("half price", discounted(999, 50), 500),
    check("total", total([100, 250, 5]), 355),
]
raise SystemExit(0 if all(results) else 1)
