"""Elections III: every guard the law puts on an election (docs/domain.md, Elections: guards), by stage."""
