"""Any valid set of answers renders to a sound HTML report (charts with finite numbers, no crash)."""

from __future__ import annotations

import re

from hypothesis import HealthCheck, given, settings

from tests.answer_strategies import answers
from tunewise.engine.answers import AnswerFile, Client
from tunewise.engine.assess import assess
from tunewise.report.render import render_html


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(answers())
def test_any_answers_render_to_a_sound_html_report(drawn):
    answer_file = AnswerFile(client=Client(name="Acme <&> Co", project="Any project"), answers=drawn)
    assessment = assess(answer_file)
    html = render_html(assessment)
    assert assessment.recommended.label in html
    assert "Acme &lt;&amp;&gt; Co" in html
    svgs = re.findall(r"<svg .*?</svg>", html, re.DOTALL)
    assert len(svgs) >= 2
    for svg in svgs:
        assert not re.search(r'="[^"]*(nan|inf)[^"]*"', svg, re.IGNORECASE), svg[:200]
