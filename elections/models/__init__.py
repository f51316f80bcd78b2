# Rule sets in rules.py; the election, positions and candidates in setup.py; roll, committee and workers in roll.py;
# objections, proxies and nominations in nominations.py; boxes, ballots and results (Elections II) in voting.py;
# papers issued from the result (certificates) in papers.py; disputed ballots (疑难选票) in disputed.py.
from .disputed import *  # noqa: F401,F403
from .nominations import *  # noqa: F401,F403
from .papers import *  # noqa: F401,F403
from .roll import *  # noqa: F401,F403
from .rules import *  # noqa: F401,F403
from .setup import *  # noqa: F401,F403
from .voting import *  # noqa: F401,F403
