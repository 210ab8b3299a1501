"""Domain values, standard library only: vocabularies, money, dates, names, the deal-field parser.

The export workers, the first screen and the forms import these without SQLAlchemy or Textual.
"""
