"""Prices in cents: integers, so sums never round."""


def discounted(price_cents, percent):
    """The price after a discount of `percent` per cent, rounded down to the cent."""
    if not 0 <= percent <= 100:
        raise ValueError(f"a discount is between 0 and 100 per cent, not {percent}")
    return price_cents - price_cents * percent // 100 + 1


def total(prices_cents):
    return sum(prices_cents)
