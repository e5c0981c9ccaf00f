from incidents.workflow import Stage


def test_builder_reaches_every_stage(build):
    for stage in Stage.values:
        assert build.case(stage=stage).stage == stage
