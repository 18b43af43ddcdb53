"""The build and the pre-coder on a local Dask cluster of two workers give the pandas result."""

import pandas as pd
import pytest

pytest.importorskip("dask.distributed")
from dask.distributed import Client, LocalCluster  # noqa: E402

from iopstudy.distributed import build_dask, read_register_dask  # noqa: E402
from iopstudy.register import build  # noqa: E402
from iopstudy.synthetic import synthetic_register  # noqa: E402


@pytest.fixture(scope="module")
def client():
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        with Client(cluster) as c:
            yield c


@pytest.mark.slow
def test_build_on_dask_matches_pandas(client, tmp_path):
    reg = synthetic_register(3000, seed=3)
    reg.loc[2500, "record_id"] = reg.loc[10, "record_id"]  # a duplicate across partitions
    reg.loc[7, "start"] = "31 februari 2020"  # an impossible date
    path = tmp_path / "reg.csv"
    reg.to_csv(path, index=False)
    expected = build(path, write=False)
    ddf = read_register_dask(path, blocksize=60_000)
    assert ddf.npartitions > 1
    got = build_dask(ddf)
    assert len(got.partnerships) + len(got.exclusions) == 3000
    pd.testing.assert_frame_equal(
        got.partnerships.sort_values("source_row", ignore_index=True),
        expected.partnerships.sort_values("source_row", ignore_index=True),
        check_categorical=False,
    )
    assert sorted(got.exclusions.source_row) == sorted(expected.exclusions.source_row)
    pd.testing.assert_frame_equal(got.municipality_panel, expected.municipality_panel)
