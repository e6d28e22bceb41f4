"""A starter scenario for `simulator new`: small, complete, and already sound.

A trainer learns the format fastest by editing something that works, so the
starter uses every part a real scenario needs (phases, a conditional goto, a
walkout ending, debriefs, self-tests) and passes `simulator check` with no
warnings. Its first line is the modeline that gives editors completion and
red squiggles from the JSON Schema.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from simulator.bundled import CHECKOUT, schema_file
from simulator.scenario.models import SCENARIO_ID_PATTERN
from simulator.scenario.schema import SCHEMA_ID

TEMPLATE = """\
# yaml-language-server: $schema={schema}
# A starter scenario: replace the words, keep the shape.
#   simulator check {file}     proves it sound (analysis, warnings, the tests below)
#   simulator play {file}      plays it;  simulator graph {file}  draws it
format: 1
id: {id}
title: {title}
summary: >-
  One or two sentences the trainee reads before the call: who is calling, and why
  they are upset.
difficulty: standard
channel: phone
learning_goals: [listening, ownership, positive_language]
customer:
  name: Ms. Example
  role: Customer
  persona: impatient
start: opening
walkout: hangs-up
nodes:
  opening:
    phase: identify
    cue: Her voice is tight.
    say: >-
      I've called three times about this order and nobody has fixed it.
    choices:
      - id: hear-her-out
        say: I'm sorry you've had to call again. Tell me what happened.
        techniques: [apologize, open_question]
        goto: details
      - id: policy
        say: I'm afraid that's our policy.
        techniques: [quote_policy]
        goto:
          - if: anger >= 80
            to: hangs-up
          - to: details
  details:
    phase: solve
    say: >-
      The parcel never arrived, and the tracking page says it was delivered.
    choices:
      - id: own-it
        say: I'll open a trace myself and call you back by five today.
        techniques: [take_ownership, offer_solution]
        goto: resolved
      - id: website
        say: You can file a claim on our website.
        techniques: [deflect]
        goto: passed-off
endings:
  resolved:
    outcome: resolved
    say: All right. I'll wait for your call.
    debrief: Listening first, then owning the fix with a time, earned back her trust.
  passed-off:
    outcome: lost
    say: Fine. I'll take my business elsewhere.
    debrief: Sending her to the website after three calls told her nobody would own it.
  hangs-up:
    outcome: lost
    say: Forget it. (click)
tests:
  - name: listening and owning it resolves the call
    choices: [hear-her-out, own-it]
    expect: {{ending: resolved, outcome: resolved}}
  - name: a brush-off loses her
    choices: [hear-her-out, website]
    expect: {{ending: passed-off, outcome: lost}}
"""


class ScaffoldError(ValueError):
    """The id or the place cannot take a new scenario; the message says why."""


def schema_reference(directory: Path) -> str:
    """What the modeline points at: this machine's schema file, so editors load it offline.

    Relative from inside the checkout (the link survives moving the repository),
    otherwise the installed copy's absolute file URI; the `$id` URL only when neither
    exists, which a normal install never is.
    """
    schema = schema_file()
    if schema is None:
        return SCHEMA_ID
    here = directory.resolve()
    if schema.is_relative_to(CHECKOUT) and here.is_relative_to(CHECKOUT):
        return Path(os.path.relpath(schema, here)).as_posix()
    return schema.as_uri()


def starter(scenario_id: str, directory: Path) -> str:
    """The starter text for an id, with the modeline right for where it will live."""
    if not re.fullmatch(SCENARIO_ID_PATTERN, scenario_id) or len(scenario_id) > 64:
        raise ScaffoldError(
            f"'{scenario_id}' is not a valid scenario id: use lower-case letters, digits "
            "and '-', starting with a letter or digit (e.g. late-refund)"
        )
    title = scenario_id.replace("-", " ").capitalize()
    file = (directory / f"{scenario_id}.yaml").as_posix()
    return TEMPLATE.format(
        schema=schema_reference(directory), file=file, id=scenario_id, title=title
    )


def write_starter(scenario_id: str, directory: Path) -> Path:
    """Write `DIR/ID.yaml`, never over an existing file."""
    text = starter(scenario_id, directory)
    target = directory / f"{scenario_id}.yaml"
    if target.exists():
        raise ScaffoldError(f"{target} already exists; choose another id or --dir")
    directory.mkdir(parents=True, exist_ok=True)
    with target.open("x", encoding="utf-8") as out:
        out.write(text)
    return target
