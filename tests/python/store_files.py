"""Where a store keeps an object's bytes (schema 2: one file per object in a
folder beside the store file), for tests that damage or measure them."""
import os
from pathlib import Path

import h5py


def object_file(store, kind: str, name: str) -> Path:
    """The file holding <kind>/<name> of the store at `store`."""
    store = Path(store)
    with h5py.File(store, "r") as f:
        link = f[kind].get(name, getlink=True)
        assert isinstance(link, h5py.ExternalLink), f"{kind}/{name} is not in a file of its own"
        return store.parent / link.filename


def store_size(store) -> int:
    """Bytes of the store file and of its folder of objects."""
    store = Path(store)
    folder = store.parent / (store.name + ".d")
    files = [store] + (sorted(folder.iterdir()) if folder.is_dir() else [])
    return sum(os.path.getsize(p) for p in files)
