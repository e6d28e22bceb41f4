"""Walk-outs said as the machine applies them, and counted as walk-outs everywhere."""

from __future__ import annotations

from pathlib import Path

from simulator.engine.session import Session
from simulator.engine.walkout import how_it_ended, reply_threshold, walkout_rule
from simulator.logs.report import build_report
from simulator.logs.writer import SessionLog
from tests.test_session import inline

HANG_UP = """\
    format: 1
    id: hang-up
    title: Hang up
    summary: A reply can end the call before the meter is full.
    customer: {name: Bo, role: Buyer, persona: reasonable, anger: 50, trust: 40}
    start: a
    walkout: storms-off
    nodes:
      a:
        say: Hello.
        choices:
          - id: policy
            say: That's our policy.
            techniques: [quote_policy]
            goto:
              - if: anger >= 52
                to: storms-off
              - to: done
          - id: listen
            say: Go on.
            techniques: [listen]
            goto: done
    endings:
      done: {outcome: resolved}
      storms-off: {outcome: lost, say: Bye!}
"""


def test_the_rule_names_the_lowest_hang_up_threshold() -> None:
    rule = walkout_rule(inline(HANG_UP))
    assert (rule.limit, rule.sooner) == (100, 52)
    sentence = rule.sentence("Bo")
    assert "at 100" in sentence and "52 or more" in sentence
    assert rule.warning(53) == "may hang up" and rule.warning(20) is None


def test_without_routed_hang_ups_the_rule_is_the_limit_alone() -> None:
    body = HANG_UP.replace(
        "if: anger >= 52\n                to: storms-off", "if: turn > 9\n                to: done"
    )
    rule = walkout_rule(inline(body))
    assert rule.sooner is None
    assert "sooner" not in rule.sentence("Bo")
    assert rule.warning(85) == "leaves at 100"


def test_a_routed_hang_up_is_a_walk_out_in_the_result_and_the_report(tmp_path: Path) -> None:
    loaded = inline(HANG_UP)
    session = Session(loaded, seed=1)
    log = SessionLog.open(session, trainee="Ann", mode="practice", log_dir=tmp_path)
    log.turn(session.choose("policy"))
    result = session.result()
    log.end(result)
    log.close()
    assert result.end.anger < 100 and result.ending == "storms-off"
    assert result.status == "walked_out"
    why = how_it_ended(
        walkout_rule(loaded), "Bo", result.end.anger, reply_threshold(loaded, "a", "policy")
    )
    assert "once anger is 52 or more" in why and "before the meter reached 100" in why
    (ann,) = build_report([tmp_path])["trainees"]
    assert ann["walked_out"] == 1 and ann["completed"] == 0
