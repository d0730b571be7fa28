"""Errors: the command line's messages, as Python exceptions."""

import pytest

import padsim


def test_bad_scenario_raises_with_its_position(tmp_path, cli):
    path = tmp_path / "bad.toml"
    path.write_text('[scenario]\nname = "x"\nepoch = \n')
    with pytest.raises(padsim.ScenarioError) as caught:
        padsim.load(path)
    assert str(caught.value).startswith(f"{path}:3:")
    assert (caught.value.file, caught.value.line) == (str(path), 3)
    assert isinstance(caught.value, ValueError)
    # The same message as `padsim validate` prints.
    done = cli("validate", path)
    assert done.returncode == 2 and done.stderr.strip() == str(caught.value)


def test_text_scenario_errors_name_text(tmp_path):
    with pytest.raises(padsim.ScenarioError, match=r"^<text>:2:"):
        padsim.load(text="[scenario]\nname = = 1\n")


def test_bad_options_raise_option_error():
    with pytest.raises(padsim.OptionError, match="--runs"):
        padsim.run(runs="many")
    with pytest.raises(padsim.ScenarioError, match="--set"):
        padsim.load(set=["repair.no-such-task.scale=2"])
    # A distribution spec is input with a position too: SPEC N:LINE:COL.
    with pytest.raises(padsim.ScenarioError, match=r"^SPEC 1:1:"):
        padsim.dist("triangular(1, 2")
    # The sampling options, checked by the command line's own rules.
    with pytest.raises(padsim.OptionError, match="--sampling: expected mc or lhs, got 'latin'"):
        padsim.load(sampling="latin")
    with pytest.raises(padsim.OptionError, match="--lhs-block: at least 2"):
        padsim.load(sampling="lhs", lhs_block=1)
    with pytest.raises(padsim.OptionError, match="--lhs-block applies to --sampling lhs only"):
        padsim.load(lhs_block=500)
