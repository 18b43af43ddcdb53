"""The build and the pre-coder on a local Dask cluster of two workers give the pandas result."""

import pandas as pd
import pytest

pytest.importorskip("dask.distributed")
from dask.distributed import Client, LocalCluster  # noqa: E402

from iopstudy.distributed import build_dask, read_register_dask  # noqa: E402
from iopstudy.interviews.codebook import load_codebook  # noqa: E402
from iopstudy.interviews.coding import PRECODE_COLUMNS, precode, precode_partitions  # noqa: E402
from iopstudy.register import build  # noqa: E402
from iopstudy.synthetic import synthetic_register  # noqa: E402


@pytest.fixture(scope="module")
def client():
    """One local cluster of two worker processes for the module (each start costs seconds)."""
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


@pytest.mark.slow
def test_precode_partitions_on_local_cluster(client):
    from test_coding_agreement import random_corpus  # the adversarial corpus of the pre-coder's tests

    dd = pytest.importorskip("dask.dataframe")
    cb = load_codebook()
    s = random_corpus(600, 5)
    expected = precode(s, cb)
    ddf = dd.from_pandas(s, npartitions=4)
    lazy = precode_partitions(ddf, cb)
    got = lazy.compute()
    assert list(lazy.columns) == list(PRECODE_COLUMNS)
    key = ["segment_id", "start", "code"]
    # dask stores strings as string[pyarrow]; compare values as Python objects
    text_cols = ["segment_id", "code", "theme", "matched", "pattern", "source"]
    got = got.astype({c: object for c in text_cols}).sort_values(key).reset_index(drop=True)
    expected = expected.astype({c: object for c in text_cols}).sort_values(key).reset_index(drop=True)
    pd.testing.assert_frame_equal(got, expected)
