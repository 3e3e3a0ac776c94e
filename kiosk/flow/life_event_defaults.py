"""The life events' defaults in the kiosk's review: what a chosen life event fills in itself
and the addresses it offers in one tap; the review (`kiosk.flow.review`) builds on it.

**Write once: the life events' defaults.** A chosen life event's `defaults` (`forms.bundle`:
the event's date is the date of death, the child's address the card's…) fill the record when
the review opens, and again each time the resident leaves a page, so a value they type on
one page (the deceased's date of death) is there already on the next (the date of death, the
event's date). A filled default is the kiosk's (`Source.AUTO`, prefilled): the resident may
change it, and what they typed into a target (even emptied) is never filled again. A default
the resident has not touched follows its source when the source is corrected, until they
press 次へ on the page that shows it (they saw it: it is theirs); when the resident empties
the source, such a default is emptied with it and asked again (`empty_followed`). An empty target whose
source is asked on a page not passed yet is not asked before it (`Guide.defer`: the dates
page comes before the deceased's page, which holds the date of death); on the summary
nothing is deferred any more, so a target its source left empty is asked there.

**Same as another address.** An address item may take an address already given in one tap
(`address_offers`): the new address the current one only where a chosen life event's defaults
say they are normally the same (a birth), never on a move.
"""

from __future__ import annotations

import copy
from collections.abc import Collection
from dataclasses import dataclass, field

from forms.address import split_address
from forms.bundle import Bundle, Default, Question
from forms.fields import is_empty
from forms.guide import SUMMARY
from forms.navigator import apply_defaults, default_sources, empty_followed, is_source
from forms.paths import get_value, parse_path
from forms.provenance import Source
from forms.record import Address
from kiosk.flow.state import FlowState

# The two addresses the guide gives a page of their own (`forms.guide`), by record path.
ADDRESS_GROUPS = {"address.current": "address_current", "address.new": "address_new"}
CURRENT = "address.current"  # the card's address (`SessionRecord.apply_card`)


@dataclass(frozen=True)
class AddressOffer:
    """ "Same as …": an address already given that an address item may take in one tap.

    `label_key` (with `label_values`) names it in the kiosk's catalogue: a group's title
    (「住所」と同じ), or the card holder's own address (「見本 花子さんの住所」と同じ)."""

    path: str  # where it is in the record (address.current…)
    address: Address = field(repr=False)  # personal data: never in a repr or a traceback
    label_key: str
    label_values: dict[str, str] = field(default_factory=dict, repr=False)  # a name


class LifeEventDefaults(FlowState):
    """The chosen life events' defaults and address offers, on top of the session state."""

    def _refill(self) -> None:
        """Fill the forms again and rebuild the guide (`kiosk.flow.review.ReviewSteps`)."""
        raise NotImplementedError

    def _chosen_bundles(self) -> list[Bundle]:
        return [
            self.catalog.bundle(p.id.removeprefix("bundle:")) for p in self.chosen if p.is_bundle
        ]

    def _chosen_defaults(self) -> list[Default]:
        """Every default of the chosen life events, in their order."""
        return [d for b in self._chosen_bundles() for d in b.defaults]

    def _apply_defaults(self, keep: Collection[str] = ()) -> list[str]:
        """Fill the chosen life events' defaults into the record (`forms.navigator`); returns
        the paths filled. Never into what the resident typed (`keep` and the provenance's
        typed paths); again into a default's earlier value while it is untouched and its page
        was not passed with 次へ (then it follows its corrected source)."""
        record = self.record
        assert record is not None
        keep = {*keep, *self._typed()}
        follow = self._following()
        filled: list[str] = []
        for bundle in self._chosen_bundles():
            filled.extend(apply_defaults(bundle, record, keep=keep, follow=follow))
        for path in filled:
            self.defaulted[path] = copy.deepcopy(get_value(record, parse_path(path)))
        return list(dict.fromkeys(filled))

    def _typed(self) -> set[str]:
        return {p for p, s in self.provenance.sources.items() if s is Source.TYPED}

    def _following(self) -> set[str]:
        """The defaults' targets that still follow their source: untouched since the kiosk
        filled them (not typed, same value) and their page not passed with 次へ."""
        record = self.record
        assert record is not None
        typed = self._typed()
        follow = set()
        for path, value in self.defaulted.items():
            if path in typed or get_value(record, parse_path(path)) != value:
                continue  # changed since: not the default's any more
            group = self.guide.group_of(path) if self.guide is not None else None
            if group is None or group not in self.walk.attempted:
                follow.add(path)
        return follow

    def _empty_defaults(self) -> list[str]:
        """Empty again the following targets whose source the resident emptied (the date of
        death cleared: the event's date with it), so they are asked, nobody's; returns them."""
        record = self.record
        assert record is not None
        emptied = empty_followed(self._chosen_defaults(), record, self._following())
        for path in emptied:
            self.defaulted.pop(path, None)
        self.provenance.forget(emptied)
        return emptied

    def _settle_defaults(self) -> None:
        """On leaving a page (and once the walk moved): what the resident typed there flows
        into the defaults it is the source of (the date of death → the event's date),
        prefilled by the kiosk; the targets still waiting for a page are deferred."""
        emptied = self._empty_defaults()
        filled = self._apply_defaults()
        assert self.guide is not None
        if emptied or filled or self._deferred_defaults() != self.guide.deferred:
            self._refill()
        if filled:
            self.provenance.prefilled(filled, Source.AUTO)
            if self.metrics is not None:
                self.metrics.prefilled_chars += self._chars_at(filled)

    def _deferred_defaults(self) -> frozenset[str]:
        """The empty default targets whose source the resident is still to give on a page not
        passed yet: not asked before it (none on the summary)."""
        guide, record = self.guide, self.record
        if guide is None or record is None or self.walk.page == SUMMARY:
            return frozenset()
        chains = default_sources(self._chosen_defaults())
        if not chains:
            return frozenset()
        typed = self._typed()

        def sources(path: str) -> list[Question]:
            return [q for q in guide.questions if any(is_source(s, q.path) for s in chains[path])]

        def waiting(q: Question) -> bool:
            group = guide.group_of(q.path)
            return group is not None and group not in self.walk.attempted and is_empty(guide.raw(q))

        return frozenset(
            path
            for path in chains
            if path not in typed
            and is_empty(get_value(record, parse_path(path)))
            and any(waiting(q) for q in sources(path))
        )

    def _waiting_for(self, group_id: str) -> list[str]:
        """When the page `group_id` is hidden only because its items wait for their source
        (deferred), the pages that source is asked on, not passed yet; else []."""
        guide, record = self.guide, self.record
        if guide is None or record is None or not guide.deferred:
            return []
        deferred = guide.deferred
        guide.defer(())
        try:
            group = guide.group(group_id)
            if group is None or not set(group.paths) <= deferred:
                return []
            chains = default_sources(self._chosen_defaults())
            sources = {s for p in group.paths for s in chains.get(p, ())}
            pages = [
                guide.group_of(q.path)
                for q in guide.questions
                if any(is_source(s, q.path) for s in sources)
            ]
        finally:
            guide.defer(deferred)
        return [p for p in dict.fromkeys(pages) if p is not None and p not in self.walk.attempted]

    def _chars_at(self, paths: Collection[str]) -> int:
        """The characters the items at `paths` show (what the resident did not type)."""
        guide = self.guide
        if guide is None:
            return 0
        return sum(len(guide.display(q)) for q in guide.asked() if q.path in paths)

    # ---- "same as …": an address already given ---------------------------------------------

    def address_offers(self, q: Question) -> list[AddressOffer]:
        """The addresses already given that the address item `q` may take as they are.

        Another address item (the record requested, an agent's…) is offered the current and
        the new address where the guide shows them. The new address itself is offered the
        current one only where a chosen life event says they are normally the same (its
        `defaults: {path: address.new, from: address.current}`: a birth registers the child
        at the household's address); a move never is. An address the card holder's card gave
        is named by them (「見本 花子さんの住所」と同じ), as the resident knows it.
        """
        record, guide = self.record, self.guide
        if q.slot.spec.type != "address" or record is None or guide is None:
            return []
        if q.path in ADDRESS_GROUPS:
            sources = [p for p in self._address_defaults.get(q.path, []) if p in ADDRESS_GROUPS]
        else:
            sources = list(ADDRESS_GROUPS)
        out = []
        for path in sources:
            address = record.addresses.get(path.removeprefix("address."))
            if address is None or address.is_empty():
                continue
            holder = self._card_holder_name(path)
            group = guide.group(ADDRESS_GROUPS[path])
            if holder:
                out.append(AddressOffer(path, address, "review.address_of", {"name": holder}))
            elif group is not None:
                out.append(AddressOffer(path, address, group.title_key))
        return out

    @property
    def _address_defaults(self) -> dict[str, list[str]]:
        """Address path → the address paths the chosen life events fill it from."""
        out: dict[str, list[str]] = {}
        for default in self._chosen_defaults():
            if default.from_ is not None:
                out.setdefault(default.path, []).append(default.from_)
        return out

    def _card_holder_name(self, path: str) -> str:
        """The card holder's name when the address at `path` is still the one their card
        gave ("" otherwise: typed, or from a QR or a reservation)."""
        record = self.record
        if record is None or record.card is None or not record.persons or path != CURRENT:
            return ""
        given = record.addresses.get("current")
        card = split_address(record.card.address)
        if given is None or (given.prefecture, given.city, given.rest) != (
            card.prefecture,
            card.city,
            card.rest,
        ):
            return ""
        name = record.persons[0].name
        return name.full if name is not None else ""
