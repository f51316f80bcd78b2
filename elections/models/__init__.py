# Setup, roll and candidates (Elections I) in setup.py; boxes, ballots and results (Elections II) in voting.py.
from .setup import *  # noqa: F401,F403
from .voting import *  # noqa: F401,F403
