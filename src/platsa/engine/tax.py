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
- **Job tax credit** (*jobbskatteavdrag*, Inkomstskattelagen 67 kap. 7 §, for people under 66): a
  reduction of the municipal income tax on earned income (AI, rounded down to whole hundreds),
  with the basic deduction GA and the total municipal tax rate ks, in price base amounts::

      AI ≤ 0.91 PBB:            (AI − GA) × ks
      0.91 < AI ≤ top2 PBB:     (0.91 PBB + rate2 × (AI − 0.91 PBB) − GA) × ks
      top2 < AI ≤ 8.08 PBB:     (base3 PBB + rate3 × (AI − top2 PBB) − GA) × ks
      AI > 8.08 PBB:            (base4 PBB − GA) × ks

  less 3 % of the income above ``phase_out_from`` PBB where the year has a phase-out; never
  below 0 nor above the municipal tax itself, whole kronor (67 kap. 1 §). The municipalities
  and regions get their tax on the tax base all the same: the credit is the state's cost and the
  individual's gain. The dated values of top2, rate2, base3, rate3, base4 and the phase-out are
  parameters (``job_tax_credit_*``), each with its source.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

__all__ = ["JobTaxCredit", "basic_deduction", "job_tax_credit", "taxable_monthly_salary"]


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


@dataclass(frozen=True)
class JobTaxCredit:
    """The year's schedule (67 kap. 7 §), in price base amounts and shares."""

    step_2_top: float
    step_2_rate: float
    step_3_base: float
    step_3_rate: float
    step_4_base: float
    phase_out_from: float  # 0: no phase-out that year


def job_tax_credit(
    annual_income: float, price_base_amount: float, tax_rate: float, schedule: JobTaxCredit
) -> float:
    """The job tax credit a year (SEK) on an annual earned income, for someone under 66.

    A worked example (24,000 kr a month, PBB 2023 = 52,500 kr, ks 33.72 %, the 2023 schedule):
    AI = 288,000 = 5.486 PBB, in the third step: 1.812 × 52,500 + 0.128 × (288,000 − 3.24 ×
    52,500) = 95,130 + 15,091.2 = 110,221.2; less GA 28,000 = 82,221.2; × 0.3372 = 27,724.99,
    whole kronor 27,724.

    >>> s2023 = JobTaxCredit(3.24, 0.3874, 1.812, 0.128, 2.432, 13.54)
    >>> job_tax_credit(288_000, 52_500, 0.3372, s2023)
    27724.0
    >>> job_tax_credit(0, 52_500, 0.3372, s2023)
    0.0
    """
    ai = math.floor(annual_income / 100.0) * 100.0
    if ai <= 0:
        return 0.0
    pbb = price_base_amount
    s = schedule
    if ai <= 0.91 * pbb:
        base = ai
    elif ai <= s.step_2_top * pbb:
        base = 0.91 * pbb + s.step_2_rate * (ai - 0.91 * pbb)
    elif ai <= 8.08 * pbb:
        base = s.step_3_base * pbb + s.step_3_rate * (ai - s.step_2_top * pbb)
    else:
        base = s.step_4_base * pbb
    ga = basic_deduction(ai, pbb)
    credit = (base - ga) * tax_rate
    if s.phase_out_from > 0 and ai > s.phase_out_from * pbb:
        credit -= 0.03 * (ai - s.phase_out_from * pbb)
    municipal_tax = max(0.0, (ai - ga) * tax_rate)
    return float(math.floor(round(min(max(credit, 0.0), municipal_tax), 6)))
