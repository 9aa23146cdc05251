"""The municipality's net tax on a salary: the basic deduction and the income equalisation.

- **Basic deduction** (*grundavdrag*, Inkomstskattelagen 63 kap. 3 §, for people under 66): the
  taxable income is the annual earned income less a deduction that depends on it, in price base
  amounts (PBB, SCB)::

      income ≤ 0.99 PBB:           0.423 PBB
      0.99 < income ≤ 2.72 PBB:    0.423 PBB + 0.20 × (income − 0.99 PBB)
      2.72 < income ≤ 3.11 PBB:    0.770 PBB
      3.11 < income ≤ 7.88 PBB:    0.770 PBB − 0.10 × (income − 3.11 PBB)
      income > 7.88 PBB:           0.293 PBB

  never more than the income, rounded up to a whole hundred kronor.
- **Income equalisation** (*inkomstutjämning*, lag 2004:773): a municipality with a low tax base
  gets a grant that falls as its own tax base grows, so it keeps only a share of a marginal tax
  krona (``municipal_tax_kept_share``, per municipality, dated and sourced); the rest is a smaller
  grant from the state, i.e. a gain to the state.
"""

from __future__ import annotations

import math

__all__ = ["basic_deduction", "taxable_monthly_salary"]


def basic_deduction(annual_income: float, price_base_amount: float) -> float:
    """The basic deduction on an annual earned income (SEK).

    A worked example (24,000 kr a month, PBB 2023 = 52,500 kr): 0.770 × 52,500 − 0.10 ×
    (288,000 − 3.11 × 52,500) = 27,952.5, rounded up to 28,000.

    >>> basic_deduction(288_000, 52_500)
    28000.0
    >>> basic_deduction(30_000, 52_500)
    22300.0
    """
    if annual_income <= 0:
        return 0.0
    pbb = price_base_amount
    if annual_income <= 0.99 * pbb:
        raw = 0.423 * pbb
    elif annual_income <= 2.72 * pbb:
        raw = 0.423 * pbb + 0.20 * (annual_income - 0.99 * pbb)
    elif annual_income <= 3.11 * pbb:
        raw = 0.770 * pbb
    elif annual_income <= 7.88 * pbb:
        raw = 0.770 * pbb - 0.10 * (annual_income - 3.11 * pbb)
    else:
        raw = 0.293 * pbb
    rounded = math.ceil(round(raw, 6) / 100.0) * 100.0
    return float(min(rounded, annual_income))


def taxable_monthly_salary(monthly_salary: float, price_base_amount: float) -> float:
    """A month's share of the taxable income: (12 × salary − basic deduction) / 12.

    >>> round(taxable_monthly_salary(24_000, 52_500), 2)
    21666.67
    """
    annual = 12.0 * monthly_salary
    return (annual - basic_deduction(annual, price_base_amount)) / 12.0
