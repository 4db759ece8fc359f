"""The tunewise decision engine: questions, answers, rules, costs. No UI, no rendering."""
