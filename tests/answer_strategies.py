"""Hypothesis strategies that draw any valid set of answers from the question bank."""

from hypothesis import strategies as st

from tunewise.engine.questions import Question, load_bank

NUMBER_SAMPLES = {
    "monthly_queries": [0, 100, 5_000, 50_000, 1_000_000, 30_000_000, 10_000_000_000],
    "budget_upfront": [0, 5_000, 50_000, 500_000, 10_000_000, 1_000_000_000],
    "budget_monthly": [0, 200, 5_000, 100_000, 100_000_000],
    "timeline_weeks": [1, 4, 12, 26, 52, 520],
    "cost_per_error": [0, 1, 40, 10_000, 10_000_000],
}


def value_strategy(question: Question):
    if question.type == "bool":
        return st.booleans()
    if question.type == "choice":
        return st.sampled_from(question.values)
    low = int(question.min or 0)
    high = int(question.max if question.max is not None else 10**9)
    samples = NUMBER_SAMPLES.get(question.id, [low, high])
    return st.one_of(st.sampled_from(samples), st.integers(min_value=low, max_value=high))


@st.composite
def answers(draw, **fixed):
    bank = load_bank()
    drawn = {}
    for question in bank.questions:
        if question.id in fixed:
            drawn[question.id] = fixed[question.id]
        elif not question.required:
            value = draw(st.one_of(st.none(), value_strategy(question)))
            if value is not None:
                drawn[question.id] = value
        else:
            drawn[question.id] = draw(value_strategy(question))
    return drawn
