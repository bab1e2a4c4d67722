"""Looking things up in the documents themselves: exact wording and plan-year comparison."""
