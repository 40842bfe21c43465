"""A corpus generator of the project's own: budget and final-accounts disclosures with truth.

``python -m corpus generate --out DIR --count N --seed S`` writes N documents and their truth
(``DIR/_truth/*.csv``); ``python -m corpus score --truth DIR --warehouse FILE`` compares a
built warehouse (or the landed CSVs) with the truth. See ``corpus.variants`` for the families.
"""

from corpus.batch import generate_batch, generate_documents, iter_documents

__all__ = ["generate_batch", "generate_documents", "iter_documents"]
