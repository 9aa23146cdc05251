"""The evaluation and the award proposal in words (the engine, ``platsa.engine.award``, gives
the numbers and the steps; this says them in the user's language)."""

from __future__ import annotations

from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from platsa.engine.award import Assessed, Proposal, Refusal


def _n(value: float, places: int = 2) -> str:
    return number_format(round(value, places), places)


def refusal_text(refusal: Refusal, positions: dict[int, int]) -> str:
    """Why a tender does not qualify; ``positions`` maps criterion key → its number."""
    n = positions.get(refusal.criterion or 0, "?")
    if refusal.what == "incomplete":
        return _("criterion %(n)s: %(have)s of %(need)s evaluators have scored") % {
            "n": n,
            "have": int(refusal.value or 0),
            "need": int(refusal.needed or 0),
        }
    if refusal.what == "below_minimum":
        return _("criterion %(n)s: %(score)s is below the minimum %(min)s") % {
            "n": n,
            "score": _n(refusal.value or 0.0),
            "min": int(refusal.needed or 0),
        }
    if refusal.what == "no_share":
        return _("the share of disadvantaged employees is not recorded (a reserved contract)")
    if refusal.what == "share_below":
        return _(
            "%(share)s %% disadvantaged employees, below the %(min)s %% a reserved contract needs"
        ) % {
            "share": _n(refusal.value or 0.0, 1),
            "min": int(refusal.needed or 0),
        }
    return _("no places offered")


def refusal_texts(refusals: tuple[Refusal, ...], positions: dict[int, int]) -> list[str]:
    """Why a tender does not qualify, the criteria still waiting for scores said once."""
    waiting = [r for r in refusals if r.what == "incomplete"]
    out = []
    if waiting:
        out.append(
            _("not yet scored by every evaluator (criteria %(list)s: %(have)s of %(need)s)")
            % {
                "list": ", ".join(str(positions.get(r.criterion or 0, "?")) for r in waiting),
                "have": int(min(r.value or 0 for r in waiting)),
                "need": int(waiting[0].needed or 0),
            }
        )
    out += [refusal_text(r, positions) for r in refusals if r.what != "incomplete"]
    return out


def rationale_text(
    proposal: Proposal,
    *,
    target_source: str,
    positions: dict[int, int],
    work_types: dict[int, list[str]],
) -> str:
    """The proposal written out: the need, the rule, each tender's place in it."""
    lines = [target_source, ""]
    qualifying = [a for a in proposal.assessed if a.qualifies]
    lines.append(
        _(
            "%(q)s of %(t)s tenders qualify; together they offer %(o)s places. The places are "
            "given first one to each qualifying tender in order of score (many different "
            "suppliers and kinds of work), then one at a time to the tender with the highest "
            "score divided by (places given + 1), never more than a tender offered."
        )
        % {
            "q": len(qualifying),
            "t": len(proposal.assessed),
            "o": proposal.offered_by_qualifying,
        }
    )
    if proposal.shortfall > 0:
        lines.append(
            ngettext(
                "%(n)s place asked for was not offered by any qualifying tender.",
                "%(n)s places asked for were not offered by any qualifying tender.",
                proposal.shortfall,
            )
            % {"n": proposal.shortfall}
        )
    lines.append("")
    for a in proposal.assessed:
        lines.append(_tender_line(a, proposal, positions, work_types.get(a.key, [])))
    return "\n".join(lines)


def _tender_line(
    a: Assessed, proposal: Proposal, positions: dict[int, int], types: list[str]
) -> str:
    kinds = ", ".join(types) or _("work not stated")
    if not a.qualifies:
        return _("%(org)s (%(kinds)s): does not qualify: %(why)s.") % {
            "org": a.name,
            "kinds": kinds,
            "why": "; ".join(refusal_texts(a.refusals, positions)),
        }
    # How the places came: the engine's steps, first pass and by score.
    spread = sum(1 for s in proposal.steps if s.key == a.key and s.why == "spread")
    by_score = sum(1 for s in proposal.steps if s.key == a.key and s.why == "score")
    return _(
        "%(rank)s. %(org)s (%(kinds)s): score %(total)s, offered %(offered)s, proposed %(given)s "
        "(%(spread)s in the first pass, %(by_score)s by score)."
    ) % {
        "rank": a.rank,
        "org": a.name,
        "kinds": kinds,
        "total": _n(a.total or 0.0),
        "offered": a.offered,
        "given": spread + by_score,
        "spread": spread,
        "by_score": by_score,
    }
