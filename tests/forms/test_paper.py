"""Characters of a paper visit: each form on its own, written values only."""

from __future__ import annotations

from forms.catalog import Catalog
from forms.fill import fill
from forms.paper import paper_characters
from forms.sample_records import load_sample


def test_paper_counts_each_form_and_only_what_is_written(catalog: Catalog) -> None:
    record = load_sample("mihon_showa_last_day")
    juminhyo = fill(catalog.get("juminhyo"), record)
    one = paper_characters([juminhyo])
    name = record.persons[0].name
    assert one >= len(name.family) + len(name.given) + len(record.addresses["current"].full)
    # the same form twice is written twice; a form's choices add nothing
    assert paper_characters([juminhyo, juminhyo]) == 2 * one
    chosen = {
        ref
        for ref in juminhyo.values
        if juminhyo.template.resolve_ref(ref)[0].type in ("select", "checkbox")
    }
    assert chosen
    without = fill(catalog.get("juminhyo"), record)
    without.values = {ref: v for ref, v in without.values.items() if ref not in chosen}
    assert paper_characters([without]) == one  # circled on paper: nothing written
