"""From news to deals: an article's text (Chinese or English) read into proposed deals, each with the character
offsets it was read from. Headless, offline and deterministic: rules over word lists, no model, no network.

- :mod:`.segments`  sentences and clauses with their offsets; the text normalised without moving offsets
- :mod:`.parties`   organisations named in the text (Aho-Corasick over stored and reference names; unknown ones)
- :mod:`.figures`   amounts (through the one amount parser) and capacities found in a clause
- :mod:`.lexicon`   the trigger words of each kind, in both languages (data)
- :mod:`.frames`    kinds and direction: who does what to whom in a clause
- :mod:`.hedges`    status and confidence from hedges (拟, 据悉, reportedly, plans to) and negation
- :mod:`.when`      a deal's date from the text, relative to the article's date
- :mod:`.assemble`  proposals from frames (subjects carried, figures attached, repeats merged)
- :mod:`.stored`    what the database says: new organisations, the stored deal a proposal duplicates
- :mod:`.output`    proposals as JSON objects and deals-CSV rows
"""
