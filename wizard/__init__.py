"""pdd-wizard: a guided decision-tree wizard from a problem to the right next escalation step."""

__version__ = "0.1.0"
