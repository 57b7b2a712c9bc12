"""Tessellations, points to tiles and flows keyed by tile id (the geo extra)."""
import numpy as np
import pandas as pd
import pytest

import urbplex as ux

gpd = pytest.importorskip("geopandas")
shapely = pytest.importorskip("shapely")
tess = ux.mobility.tessellation


@pytest.fixture
def ny(shared_data):
    return (gpd.read_file(shared_data("mobility", "ny_counties_2011", "NY_counties_2011.geojson")),
            pd.read_csv(shared_data("mobility", "ny_counties_2011", "NY_commuting_flows_2011.csv")))


def test_ny_counties_snippet_equals_the_full_data_fit(ny):
    tiles, od = ny
    # The documented snippet (docs/getting-started.md):
    locs, observed, ids = ux.mobility.flows_on_tiles(tiles, od, mass="population")
    fit = ux.mobility.fit_gravity(locs, observed, constraint="origin")
    rad = ux.mobility.radiation(locs, outflows=observed.sum(axis=1) - np.diag(observed))
    table = ux.mobility.flow_table(rad.matrix, ids)
    # scikit-mobility 1.3.1, Gravity('singly constrained').fit on every county pair (zeros included),
    # same GeoJSON and CSV: destination exponent 0.6839448749181097, deterrence -2.124989174008514.
    assert fit.params["beta"] == pytest.approx(0.6839448749181097, rel=1e-9)
    assert fit.params["gamma"] == pytest.approx(2.124989174008514, rel=1e-9)
    assert np.isnan(fit.params["alpha"])  # not a parameter of the origin-constrained model
    assert observed.shape == (62, 62) and observed.sum() == od["flow"].sum()
    assert set(table["origin"]) <= set(ids) and (table["flow"] > 0).all()
    assert table["flow"].sum() == pytest.approx((observed.sum(axis=1) - np.diag(observed)).sum(), rel=1e-9)


def test_flows_on_tiles_names_bad_rows(ny):
    tiles, od = ny
    bad = od.copy()
    bad.loc[5, "destination"] = 99999
    with pytest.raises(ValueError, match="row 5 refers to tile '99999'"):
        ux.mobility.flows_on_tiles(tiles, bad)
    bad = od.copy()
    bad.loc[3, "flow"] = -1
    with pytest.raises(ValueError, match="row 3 has flow -1"):
        ux.mobility.flows_on_tiles(tiles, bad)
    with pytest.raises(ValueError, match="appears more than once"):
        tess.tiles(pd.concat([tiles, tiles.iloc[:1]]))
    with pytest.raises(ValueError, match="no mass column 'pop'"):
        ux.mobility.flows_on_tiles(tiles, od, mass="pop")


@pytest.mark.parametrize("kind,area_km2", [("squares", 4.0), ("hexagons", 1.5 * np.sqrt(3) * 4.0)])
def test_regular_tiles_have_their_size_and_cover_the_area(kind, area_km2):
    box = (9.0, 45.3, 9.4, 45.6)  # Milan
    cells = getattr(tess, kind)(box, 2.0)
    utm = cells.estimate_utm_crs()
    areas = cells.to_crs(utm).area.to_numpy() / 1e6
    np.testing.assert_allclose(areas, area_km2, rtol=1e-6)
    region = gpd.GeoSeries([shapely.box(*box)], crs="EPSG:4326").to_crs(utm).iloc[0]
    union = cells.to_crs(utm).union_all()
    assert region.difference(union).area < 1.0  # m^2: the box is covered (up to rounding slivers)
    assert cells["tile_id"].is_unique and len(cells) < 1.5 * region.area / 1e6 / area_km2 + 40
    with pytest.raises(ValueError, match="not a lon/lat bounding box"):
        getattr(tess, kind)((9.4, 45.3, 9.0, 45.6), 2.0)


def test_points_map_to_the_tile_that_contains_them():
    cells = tess.squares((9.0, 45.3, 9.4, 45.6), 2.0)
    rng = np.random.default_rng(1)
    lat, lng = rng.uniform(45.3, 45.6, 500), rng.uniform(9.0, 9.4, 500)
    ids = tess.tile_of(cells, lat, lng)
    geom = dict(zip(cells["tile_id"], cells.geometry))
    assert all(geom[i].intersects(shapely.Point(x, y)) for i, x, y in zip(ids, lng, lat))
    assert tess.tile_of(cells, [10.0], [0.0])[0] is None  # far outside: no tile, not tile 0


def test_trajectory_flows_between_tiles():
    cells = tess.squares((9.0, 45.3, 9.4, 45.6), 5.0)
    t = pd.date_range("2024-01-01", periods=6, freq="1h")
    df = pd.DataFrame({"uid": [1, 1, 1, 2, 2, 2], "lat": [45.35, 45.55, 45.35, 45.35, 45.35, 45.55],
                       "lng": [9.05, 9.35, 9.05, 9.05, 9.051, 9.35], "datetime": list(t[:3]) + list(t[3:])})
    tr = ux.mobility.trajectories(df)
    a, b = tr.tile_ids(cells)[:2]
    flows = tr.flows(cells)
    assert flows.set_index(["origin", "destination"])["flow"].to_dict() == {(a, b): 2, (b, a): 1}
    assert tr.flows(cells, self_flows=True)["flow"].sum() == 4


def test_maps_draw_each_layer(ny):
    folium = pytest.importorskip("folium")
    tiles, od = ny
    locs, observed, ids = ux.mobility.flows_on_tiles(tiles, od)
    table = ux.mobility.flow_table(observed, ids)
    m = ux.mobility.maps.plot_tessellation(tess.tiles(tiles))
    before = len(m._children)
    ux.mobility.maps.plot_flows(tess.tiles(tiles), table, m=m, max_lines=25)
    lines = [c for c in m._children.values() if isinstance(c, folium.PolyLine)]
    assert len(lines) == 25 and len(m._children) == before + 25
    df = pd.DataFrame({"uid": [1] * 4 + [2] * 3, "lat": np.linspace(40, 40.1, 7), "lng": np.linspace(116, 116.1, 7),
                       "datetime": pd.date_range("2024-01-01", periods=7, freq="1h")})
    tr = ux.mobility.trajectories(df)
    mt = ux.mobility.maps.plot_trajectories(tr)
    assert sum(isinstance(c, folium.PolyLine) for c in mt._children.values()) == 2
    ms = ux.mobility.maps.plot_stops(tr, m=mt)
    assert sum(isinstance(c, folium.CircleMarker) for c in ms._children.values()) == 7
    assert "<html" in ms.get_root().render()[:200].lower() or ms.get_root().render()


def test_trajectories_from_a_geodataframe_of_points():
    t = pd.date_range("2024-01-01", periods=3, freq="1h")
    g = gpd.GeoDataFrame({"uid": [1, 1, 1], "datetime": t}, geometry=gpd.points_from_xy([9.0, 9.1, 9.2], [45.0, 45.1, 45.2]),
                         crs="EPSG:4326")
    tr = ux.mobility.trajectories(g)
    assert list(tr.lat) == [45.0, 45.1, 45.2] and list(tr.lng) == [9.0, 9.1, 9.2]
    with pytest.raises(ValueError, match="Point geometries"):
        ux.mobility.trajectories(gpd.GeoDataFrame({"uid": [1], "datetime": t[:1]},
                                                  geometry=[shapely.box(0, 0, 1, 1)], crs="EPSG:4326"))


def test_string_tile_ids_with_integer_flow_ids_and_point_tiles(ny):
    # issue 35 item 9: string tile ids and integer flow ids drew an empty map; point tiles
    # (zone centroids, as DeepGravity's tracts) were refused by flows_on_tiles
    folium = pytest.importorskip("folium")
    tiles, od = ny
    tiles = tiles.assign(tile_id=tiles["tile_id"].astype(str))
    od = od.assign(origin=od["origin"].astype(np.int64), destination=od["destination"].astype(np.int64))
    locs, observed, ids = ux.mobility.flows_on_tiles(tiles, od)
    m = ux.mobility.maps.plot_flows(tess.tiles(tiles), od, max_lines=25)
    assert sum(isinstance(c, folium.PolyLine) for c in m._children.values()) == 25
    with pytest.raises(ValueError, match="none of its"):
        ux.mobility.maps.plot_flows(tess.tiles(tiles), od.assign(origin=od["origin"] + 10**9), max_lines=5)
    centroids = tiles.to_crs(3857).assign(geometry=lambda f: f.geometry.centroid).to_crs(4326)
    p_locs, p_obs, p_ids = ux.mobility.flows_on_tiles(centroids, od)
    np.testing.assert_array_equal(p_obs, observed)
    # the points are the polygons' centroids (taken in another projection: within a few km)
    assert np.abs(p_locs.x - locs.x).max() < 0.05 and np.abs(p_locs.y - locs.y).max() < 0.05


def test_flows_on_tiles_keep_tile_ids_units_and_lineage_through_the_store(ny, tmp_path):
    # issue 35 item 15: a FlowResult was stored without its tile ids, units or lineage
    tiles, od = ny
    locs, observed, ids = ux.mobility.flows_on_tiles(tiles, od, mass="population")
    rad = ux.mobility.radiation(locs, outflows=observed.sum(axis=1) - np.diag(observed))
    np.testing.assert_array_equal(rad.ids, ids)
    frame = rad.to_frame()
    assert set(frame["origin"]) <= set(ids) and not set(frame["origin"]) <= set(range(len(ids)))
    pd.testing.assert_frame_equal(frame, ux.mobility.flow_table(rad.matrix, ids))
    (inputs,) = rad.lineage["inputs"]
    assert inputs["kind"] == "tessellation" and inputs["n"] == 62 and len(inputs["fingerprint"]) == 64
    rad.save(tmp_path / "s.h5", "radiation")
    back = ux.RunResult.load(tmp_path / "s.h5", "radiation")
    assert isinstance(back, ux.mobility.FlowResult)
    np.testing.assert_array_equal(back.ids, ids)
    assert back.units["flows"] == "outflow units" and back.lineage == rad.lineage
    pd.testing.assert_frame_equal(back.to_frame(), frame)
    trips = back.sample_trips(seed=1)
    assert set(trips["origin"]) <= set(ids)
    # Another tessellation (one tile moved) has another fingerprint.
    moved = tiles.copy()
    moved.loc[0, "geometry"] = moved.geometry.iloc[0].buffer(0.01)
    other, _, _ = ux.mobility.flows_on_tiles(moved, od, mass="population")
    assert other.lineage["fingerprint"] != inputs["fingerprint"]


def test_locations_ids_are_checked():
    x = np.arange(3.0)
    with pytest.raises(ValueError, match="id 'a' appears more than once"):
        ux.mobility.Locations(x, x, x + 1, ids=["a", "b", "a"])
    with pytest.raises(ValueError, match="expected one per location"):
        ux.mobility.Locations(x, x, x + 1, ids=["a", "b"])
    flows = ux.mobility.gravity(ux.mobility.Locations(x, x + 1, x + 1, ids=np.array([10, 20, 30])))
    assert set(flows.to_frame()["origin"]) <= {10, 20, 30}
