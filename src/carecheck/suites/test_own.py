"""The supplier's own scenarios: every feature under the folder `--features DIR` names (none without it)."""

from pytest_bdd import scenarios

from carecheck.run.own_features import own_folder

if (folder := own_folder()) is not None:
    scenarios(str(folder), features_base_dir=str(folder))
