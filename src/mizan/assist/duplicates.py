"""Finding near-identical recommendations: the same request from several states, repeated
cycle after cycle, by another mechanism or in another language.

Two recommendations are compared by the cosine similarity of their stored embeddings (the
encoder is multilingual, so a French text and its English twin land close). Pairs at or
above the threshold are found block by block (a matrix product per block of rows, never a
Python loop over pairs), then grouped:

* connected components of the pairs give candidate groups cheaply;
* inside each component, **average-link** clustering cut at the threshold keeps a group
  only while the mean similarity between its parts stays at or above it. Plain connected
  components chain ("ratify the ICCPR" — "ratify the ICCPR and its second protocol" —
  "ratify the second protocol"); complete-link would cut a group apart on the one worst
  pair, which a short text in another language often is. Average-link sits between the
  two (``bench/duplicates.py`` measures all three).

A cheap lexical check guards pairs written in the same language: when each text cites an
instrument (an acronym or a number, "ICCPR", "OP2", "No. 29") the other does not, they
ask for different things however close their wording, and the pair is dropped.

Pairs a coordinator split apart (``NotDuplicate``) are never proposed together again, and
clusters already decided (confirmed, linked or dismissed) are left as they are: their
members take no part in a new run. New members may join a cluster still proposed.

The default threshold, 0.75, was chosen by ``bench/duplicates.py`` on OHCHR's own clusters
of the UPR recommendations to China (2013 and 2018): the lowest threshold within 0.01 of
the best F1 on pairs within one cycle (0.775), the lower one because a translation scores 0.78–0.87
against its English original with this encoder (French against Arabic as low as 0.68) and
OHCHR's truth holds no pair across languages. OHCHR groups recommendations by theme, not
only near-identical ones, and leaves many identical requests ungrouped (across cycles
always), so precision measured against it is a lower bound; the benchmark says how much.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np
from django.db import transaction
from django.utils.translation import ngettext
from simple_history.utils import bulk_create_with_history

from mizan.assist.embeddings import embedding_matrix, refresh_embeddings, texts_to_embed
from mizan.assist.enums import ClusterStatus
from mizan.assist.models import ClusterMember, DuplicateCluster, NotDuplicate

#: Cosine similarity at or above which two recommendations are proposed as duplicates.
DEFAULT_THRESHOLD = 0.75
#: Rows of the similarity matrix computed at once: 1,024 × 20,000 float32 is 80 MB.
BLOCK = 1024
#: A component larger than this is split first by raising the threshold for it alone, so
#: the dense average-link step stays small (its distances take n²/2 doubles).
MAX_COMPONENT = 3000
#: Distance given to a pair split apart by a coordinator: far beyond any cut.
FORBIDDEN_DISTANCE = 1000.0
#: Why the history says a cluster changed when the assistant did it.
FOUND_REASON = "found by the assistant"

Pair = tuple[int, int]

_REFERENCE = re.compile(
    r"\b(?:[A-Z][A-Za-z]*[A-Z][A-Za-z]*(?:-[A-Za-z0-9]+)*|[A-Za-z-]*\d+[A-Za-z0-9-]*)\b"
)

_BROKEN_HYPHEN = re.compile(r"(?<=[A-Z])\s+-\s*(?=[A-Z0-9])")


@dataclass(frozen=True)
class FoundCluster:
    """Recommendations (by id) found to ask for the same thing."""

    ids: tuple[int, ...]
    #: The lowest similarity between two members.
    lowest: float
    #: Each member's mean similarity to the others, in the order of ``ids``.
    similarities: tuple[float, ...]


@dataclass
class ClusterRun:
    """What a run of ``find_clusters`` did."""

    threshold: float
    compared: int = 0
    pairs_found: int = 0
    clusters_created: int = 0
    clusters_grown: int = 0
    members_added: int = 0
    clusters: list[FoundCluster] = field(default_factory=list, repr=False)

    def summary(self) -> str:
        compared = ngettext(
            "%(count)d recommendation compared at similarity %(threshold)s:",
            "%(count)d recommendations compared at similarity %(threshold)s:",
            self.compared,
        ) % {"count": self.compared, "threshold": f"{self.threshold:.2f}"}
        found = ngettext(
            "%(pairs)d pair found, %(created)d new clusters, %(grown)d clusters grown.",
            "%(pairs)d pairs found, %(created)d new clusters, %(grown)d clusters grown.",
            self.pairs_found,
        ) % {
            "pairs": self.pairs_found,
            "created": self.clusters_created,
            "grown": self.clusters_grown,
        }
        return f"{compared} {found}"


# --- The pure part: arrays in, clusters out ----------------------------------------------


def references(text: str) -> frozenset[str]:
    """The instruments a text cites: acronyms ("ICCPR", "OP-CAT") and numbers ("No. 29")."""
    # Extracted text sometimes breaks an acronym at its hyphen ("OP-CRC -IC").
    text = _BROKEN_HYPHEN.sub("-", text)
    return frozenset(match.upper() for match in _REFERENCE.findall(text))


def cite_different_instruments(first: frozenset[str], second: frozenset[str]) -> bool:
    """Each text cites something the other does not: "ratify the ICCPR" and "ratify
    ICCPR-OP2" do, "ratify the ICCPR" and "ratify the ICCPR and the CPED" do not (one asks
    for more than the other, not for something else)."""
    return bool(first - second) and bool(second - first)


def similar_pairs(
    vectors: np.ndarray,
    threshold: float,
    *,
    block: int = BLOCK,
    progress: Callable[[int], None] | None = None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Every pair of rows ``(i, j)``, ``i < j``, whose dot product is at or above
    ``threshold``: three arrays (i, j, similarity). Only the upper triangle is computed."""
    vectors = np.ascontiguousarray(vectors, dtype=np.float32)
    n = len(vectors)
    firsts: list[np.ndarray] = []
    seconds: list[np.ndarray] = []
    scores: list[np.ndarray] = []
    for start in range(0, n, block):
        stop = min(start + block, n)
        products = vectors[start:stop] @ vectors[start:].T
        rows, columns = np.nonzero(products >= threshold)
        keep = columns > rows  # the upper triangle, without the diagonal
        rows, columns = rows[keep], columns[keep]
        firsts.append(rows + start)
        seconds.append(columns + start)
        scores.append(products[rows, columns])
        if progress is not None:
            progress(stop - start)
    if not firsts:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty, np.zeros(0, dtype=np.float32)
    return (
        np.concatenate(firsts).astype(np.int64),
        np.concatenate(seconds).astype(np.int64),
        np.concatenate(scores),
    )


def cluster_vectors(
    ids: Sequence[int] | np.ndarray,
    vectors: np.ndarray,
    *,
    threshold: float = DEFAULT_THRESHOLD,
    texts: Sequence[str] | None = None,
    languages: Sequence[str] | None = None,
    forbidden: Collection[Pair] = (),
    method: str = "average",
    progress: Callable[[int], None] | None = None,
) -> tuple[list[FoundCluster], int]:
    """Group the rows of ``vectors`` (unit rows, one per id) into clusters of
    near-duplicates: ``(clusters, number of pairs found)``. ``texts`` and ``languages``
    (both optional, in the order of ``ids``) enable the lexical check on pairs in the
    same language; ``forbidden`` holds pairs of ids never to put together (either order).
    ``method`` is ``"average"`` (the default), ``"complete"`` or ``"single"`` (plain
    connected components), for the benchmark. No database."""
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    ids = np.asarray(ids, dtype=np.int64)
    vectors = np.asarray(vectors, dtype=np.float32)
    first, second, score = similar_pairs(vectors, threshold, progress=progress)
    keep = np.ones(len(first), dtype=bool)
    if texts is not None:
        cited = [references(text) for text in texts]
        for k, (i, j) in enumerate(zip(first.tolist(), second.tolist(), strict=True)):
            same_language = languages is None or languages[i] == languages[j]
            if same_language and cite_different_instruments(cited[i], cited[j]):
                keep[k] = False
    banned = {(min(a, b), max(a, b)) for a, b in forbidden}
    if banned:
        for k, (i, j) in enumerate(zip(ids[first].tolist(), ids[second].tolist(), strict=True)):
            if (min(i, j), max(i, j)) in banned:
                keep[k] = False
    first, second, score = first[keep], second[keep], score[keep]
    pairs_found = len(first)
    if pairs_found == 0:
        return [], 0

    n = len(ids)
    graph = coo_matrix((np.ones(pairs_found, dtype=np.int8), (first, second)), shape=(n, n))
    _count, labels = connected_components(graph, directed=False)
    sizes = np.bincount(labels)
    components: dict[int, list[int]] = defaultdict(list)
    for row in np.nonzero(sizes[labels] > 1)[0].tolist():
        components[int(labels[row])].append(row)

    clusters: list[FoundCluster] = []
    for rows in components.values():
        for group in _groups(rows, vectors, ids, threshold, banned, method):
            clusters.append(_found(group, vectors, ids))
    clusters.sort(key=lambda c: c.ids)
    return clusters, pairs_found


def _groups(
    rows: list[int],
    vectors: np.ndarray,
    ids: np.ndarray,
    threshold: float,
    banned: set[Pair],
    method: str,
) -> Iterable[list[int]]:
    """The clusters inside one connected component (row numbers)."""
    if len(rows) == 2 or method == "single":
        if method == "single" and banned and _has_banned(rows, ids, banned):
            yield from _groups(rows, vectors, ids, threshold, banned, "complete")
            return
        yield rows
        return
    if len(rows) > MAX_COMPONENT:
        # Too large for the dense step: split it on a higher threshold first; the pieces
        # are then clustered at the caller's threshold.
        yield from _split_large(rows, vectors, ids, threshold, banned, method)
        return
    from scipy.cluster.hierarchy import fcluster, linkage
    from scipy.spatial.distance import squareform

    sub = vectors[rows]
    distances = 1.0 - (sub @ sub.T).astype(np.float64)
    np.fill_diagonal(distances, 0.0)
    np.clip(distances, 0.0, 2.0, out=distances)
    member_ids = ids[rows].tolist()
    if banned:
        position = {rec_id: k for k, rec_id in enumerate(member_ids)}
        for a, b in banned:
            if a in position and b in position:
                distances[position[a], position[b]] = FORBIDDEN_DISTANCE
                distances[position[b], position[a]] = FORBIDDEN_DISTANCE
    tree = linkage(squareform(distances, checks=False), method=method)
    # A small tolerance, so that a pair exactly at the threshold stays a pair.
    labels = fcluster(tree, t=1.0 - threshold + 1e-6, criterion="distance")
    groups: dict[int, list[int]] = defaultdict(list)
    for row, label in zip(rows, labels.tolist(), strict=True):
        groups[label].append(row)
    for group in groups.values():
        if len(group) < 2:
            continue
        if method == "average" and banned and _has_banned(group, ids, banned):
            # The average may still hide a forbidden pair in a large group: complete-link
            # never puts one together.
            yield from _groups(group, vectors, ids, threshold, banned, "complete")
        else:
            yield group


def _split_large(
    rows: list[int],
    vectors: np.ndarray,
    ids: np.ndarray,
    threshold: float,
    banned: set[Pair],
    method: str,
) -> Iterable[list[int]]:
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    higher = threshold + (1.0 - threshold) / 4
    sub = vectors[rows]
    first, second, _score = similar_pairs(sub, higher)
    graph = coo_matrix(
        (np.ones(len(first), dtype=np.int8), (first, second)), shape=(len(rows), len(rows))
    )
    _count, labels = connected_components(graph, directed=False)
    pieces: dict[int, list[int]] = defaultdict(list)
    for k, label in enumerate(labels.tolist()):
        pieces[label].append(rows[k])
    for piece in pieces.values():
        if len(piece) < 2:
            continue
        if len(piece) > MAX_COMPONENT and higher < 0.999:
            yield from _split_large(piece, vectors, ids, higher, banned, method)
        else:
            yield from _groups(piece, vectors, ids, threshold, banned, method)


def _has_banned(rows: list[int], ids: np.ndarray, banned: set[Pair]) -> bool:
    members = sorted(ids[rows].tolist())
    member_set = set(members)
    return any(a in member_set and b in member_set for a, b in banned)


def _found(rows: list[int], vectors: np.ndarray, ids: np.ndarray) -> FoundCluster:
    order = np.argsort(ids[rows])
    rows = [rows[k] for k in order]
    sub = vectors[rows]
    similarity = sub @ sub.T
    n = len(rows)
    off_diagonal = similarity[~np.eye(n, dtype=bool)].reshape(n, n - 1)
    return FoundCluster(
        ids=tuple(int(i) for i in ids[rows]),
        lowest=float(off_diagonal.min()),
        similarities=tuple(float(s) for s in off_diagonal.mean(axis=1)),
    )


# --- The database part -------------------------------------------------------------------


def find_clusters(
    *, threshold: float | None = None, progress: Callable[[int], None] | None = None
) -> ClusterRun:
    """Embed the recommendations whose vector is missing or stale, find the near-duplicates
    among those in no decided cluster, and record them: new clusters (proposed), and new
    members of clusters still proposed. ``progress(k)`` is called as ``k`` more
    recommendations have been compared (it adds up to ``ClusterRun.compared``)."""
    threshold = DEFAULT_THRESHOLD if threshold is None else float(threshold)
    refresh_embeddings()
    matrix = embedding_matrix()
    _drop_lone_proposed_clusters()
    decided = set(
        ClusterMember.objects.exclude(cluster__status=ClusterStatus.PROPOSED).values_list(
            "recommendation_id", flat=True
        )
    )
    eligible = np.array([int(i) not in decided for i in matrix.ids], dtype=bool)
    ids = matrix.ids[eligible]
    vectors = matrix.vectors[eligible]
    texts = texts_to_embed(ids.tolist())
    languages = [texts.get(int(i), ("", ""))[0] for i in ids]
    forbidden = list(NotDuplicate.objects.values_list("first_id", "second_id"))
    found, pairs = cluster_vectors(
        ids,
        vectors,
        threshold=threshold,
        texts=[texts.get(int(i), ("", ""))[1] for i in ids],
        languages=languages,
        forbidden=forbidden,
        progress=progress,
    )
    run = ClusterRun(threshold=threshold, compared=len(ids), pairs_found=pairs, clusters=found)
    _record(found, run)
    return run


def _drop_lone_proposed_clusters() -> None:
    """A proposed cluster left with one member (the others deleted) is no cluster."""
    from django.db.models import Count

    lone = DuplicateCluster.objects.filter(status=ClusterStatus.PROPOSED).annotate(
        n=Count("members")
    )
    for cluster in lone.filter(n__lt=2):
        with transaction.atomic():
            for member in cluster.members.all():
                member._change_reason = FOUND_REASON  # type: ignore[attr-defined]
                member.delete()
            cluster._change_reason = FOUND_REASON  # type: ignore[attr-defined]
            cluster.delete()


@transaction.atomic
def _record(found: list[FoundCluster], run: ClusterRun) -> None:
    """Write the clusters found: a group with no proposed cluster yet becomes one; a group
    holding members of a proposed cluster adds its other members to it (to the largest
    one if it holds several: proposed clusters are never merged behind anyone's back)."""
    current = dict(
        ClusterMember.objects.filter(cluster__status=ClusterStatus.PROPOSED).values_list(
            "recommendation_id", "cluster_id"
        )
    )
    new_clusters: list[tuple[DuplicateCluster, FoundCluster]] = []
    new_members: list[ClusterMember] = []
    grown: dict[int, float] = {}
    for cluster in found:
        existing = [current[i] for i in cluster.ids if i in current]
        newcomers = [
            (rec_id, similarity)
            for rec_id, similarity in zip(cluster.ids, cluster.similarities, strict=True)
            if rec_id not in current
        ]
        if not existing:
            new_clusters.append(
                (
                    DuplicateCluster(status=ClusterStatus.PROPOSED, similarity=cluster.lowest),
                    cluster,
                )
            )
            continue
        if not newcomers:
            continue
        target = max(
            set(existing), key=lambda cluster_id: (existing.count(cluster_id), -cluster_id)
        )
        grown[target] = min(grown.get(target, cluster.lowest), cluster.lowest)
        new_members += [
            ClusterMember(cluster_id=target, recommendation_id=rec_id, similarity=similarity)
            for rec_id, similarity in newcomers
        ]
    created = bulk_create_with_history(
        [cluster for cluster, _found_cluster in new_clusters],
        DuplicateCluster,
        default_change_reason=FOUND_REASON,
    )
    for saved, (_cluster, found_cluster) in zip(created, new_clusters, strict=True):
        new_members += [
            ClusterMember(cluster_id=saved.pk, recommendation_id=rec_id, similarity=similarity)
            for rec_id, similarity in zip(
                found_cluster.ids, found_cluster.similarities, strict=True
            )
        ]
    bulk_create_with_history(new_members, ClusterMember, default_change_reason=FOUND_REASON)
    for saved_cluster in DuplicateCluster.objects.filter(pk__in=list(grown)):
        before = saved_cluster.similarity if saved_cluster.similarity is not None else 1.0
        lowest = min(before, grown[saved_cluster.pk])
        if lowest != saved_cluster.similarity:
            saved_cluster.similarity = lowest
            saved_cluster._change_reason = FOUND_REASON  # type: ignore[attr-defined]
            saved_cluster.save(update_fields=["similarity"])
    run.clusters_created = len(created)
    run.clusters_grown = len(grown)
    run.members_added = len(new_members)
