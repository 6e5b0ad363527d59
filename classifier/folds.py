"""Cross-validation folds in which a fold is a new session: photos that look alike stay in one fold.

The Grocery Store photos of a class were shot in a few sessions, interleaved in the file numbering, and shots of
one session are near-twins: a random split puts twins on both sides (held-out figures then say ~98 %, models/
EXPERIMENTS.md §9), and even blocks of consecutive file numbers leak. So each class's photos are clustered by how
they look to the frozen body (Ward linkage on normalised features, about one cluster per `per_cluster` photos),
and whole clusters go to folds, round-robin across classes so that folds come out of similar size.
"""

from __future__ import annotations

from collections import defaultdict

import numpy as np
from sklearn.cluster import AgglomerativeClustering


def look_folds(features: np.ndarray, groups: list[str], k: int = 5, per_cluster: int = 10) -> np.ndarray:
    """The fold (0..k-1) of each row: rows of one group (a class folder) clustered by look, whole clusters per
    fold. `features`: one row per photo."""
    normalised = features / np.linalg.norm(features, axis=1, keepdims=True).clip(min=1e-12)
    fold = np.full(len(groups), -1)
    by_group: dict[str, list[int]] = defaultdict(list)
    for row, group in enumerate(groups):
        by_group[group].append(row)
    offset = 0
    for group in sorted(by_group):
        rows = np.array(by_group[group])
        n_clusters = int(min(k, max(2, round(len(rows) / per_cluster)), len(rows)))
        clusters = (
            AgglomerativeClustering(n_clusters=n_clusters, linkage="ward").fit_predict(normalised[rows])
            if n_clusters > 1
            else np.zeros(len(rows), dtype=int)
        )
        by_size = sorted(set(clusters.tolist()), key=lambda c: (-int(np.sum(clusters == c)), c))
        for rank, cluster in enumerate(by_size):
            fold[rows[clusters == cluster]] = (offset + rank) % k
        offset += len(by_size)
    return fold
