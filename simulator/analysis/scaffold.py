"""A starter scenario for `simulator new`: small, complete, and already sound.

A trainer learns the format fastest by editing something that works, so the
starter uses every part a real scenario needs (phases, conditional gotos, one
routing a still-furious customer away from the resolved ending, a walkout ending,
debriefs, feedback, self-tests) and passes `simulator check` with no warnings,
including what it teaches: every mistake is plausible and no surface gives the best
reply away. Its first line is the modeline that gives editors completion and
red squiggles from the JSON Schema.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from simulator.bundled import CHECKOUT, schema_file
from simulator.scenario.models import SCENARIO_ID_PATTERN
from simulator.scenario.schema import SCHEMA_ID
from simulator.text import one_line

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
        say: Three calls is too many. Tell me what happened.
        techniques: [reflect, open_question]
        goto: details
        feedback: Saying back what she has been through, then asking, lets her feel heard.
      - id: replacement
        say: I'm sorry about that, Ms. Example; I'll send a replacement out to you today.
        techniques: [apologize, offer_solution]
        goto: wrong-fix
        feedback: >-
          Kind, and a real offer, but she hasn't told you what went wrong yet: a fix before
          she feels heard lands badly.
      - id: policy
        say: I'm afraid orders take ten working days; that's our policy.
        techniques: [quote_policy]
        goto:
          - if: anger >= 80
            to: hangs-up
          - to: details
        feedback: A policy with no reason and no alternative tells her nobody will help.
  details:
    phase: solve
    say: >-
      The parcel never arrived, and the tracking page says it was delivered.
    choices:
      - id: own-it
        say: I'll open a trace myself and call you back by five today.
        techniques: [take_ownership, offer_solution]
        goto:
          - if: anger >= 70
            to: too-late
          - to: resolved
        feedback: Owning the next step, with a time, is what three calls never gave her.
      - id: just-wait
        say: These usually turn up in a day or two; the driver may have left it with a neighbour.
        techniques: [reassure]
        goto: passed-off
        feedback: Soothing, but it asks her to wait a fourth time with nothing done.
      - id: website
        say: You can file a claim on our website.
        techniques: [deflect]
        goto: passed-off
        feedback: Sending her to the website after three calls says nobody will own it.
endings:
  resolved:
    outcome: resolved
    say: All right. I'll wait for your call.
    debrief: Listening first, then owning the fix with a time, earned back her trust.
  too-late:
    outcome: lost
    say: Five o'clock. We'll see. (She has already ordered elsewhere.)
    debrief: >-
      The trace was the right offer, but the brush-off earlier had left her too angry to
      take it. A resolved ending needs a customer who is no longer furious.
  wrong-fix:
    outcome: lost
    say: Another parcel to lose? I want to know what happened to this one. Forget it.
    debrief: >-
      The replacement answered a question she hadn't asked. Hearing what went wrong first
      would have shown that the tracking page, not the parcel, was the problem.
  passed-off:
    outcome: lost
    say: Fine. I'll take my business elsewhere.
    debrief: >-
      After three calls she needed someone to own it; waiting, or a website, was more of
      the same.
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
    # Shown in the starter's comments: a newline in the folder's name would end the
    # comment (and the starter fail `check`), an undecodable byte could not be written.
    file = one_line((directory / f"{scenario_id}.yaml").as_posix())
    return TEMPLATE.format(
        schema=schema_reference(directory), file=file, id=scenario_id, title=title
    )


def write_starter(scenario_id: str, directory: Path) -> Path:
    """Write `DIR/ID.yaml`, never over an existing file, never leaving half of one."""
    text = starter(scenario_id, directory)
    target = directory / f"{scenario_id}.yaml"
    if target.exists():
        raise ScaffoldError(f"{target} already exists; choose another id or --dir")
    if directory.exists() and not directory.is_dir():  # mkdir would only say "File exists"
        raise ScaffoldError(f"{directory} is not a folder")
    directory.mkdir(parents=True, exist_ok=True)
    with target.open("x", encoding="utf-8") as out:
        try:
            out.write(text)
        except BaseException:  # a full disk: an empty starter would block the next try
            target.unlink(missing_ok=True)
            raise
    return target
