"""Matching survivors with opportunities: pure functions over plain records, no I/O.

The service layer maps database rows to :mod:`matching.types` records and calls:

* :func:`matching.similarity.build_skill_similarity` once per taxonomy version, from
  (skill, broader) pairs and (occupation, skill, essential|optional) rows;
* :func:`matching.index.build_index` once, then ``index.add / update / remove / set_capacity``
  as opportunities change (no rebuild);
* :func:`matching.engine.match_survivor` for a counsellor's ranked, explained list for one
  survivor (:func:`matching.engine.rank` when explanations are not needed), and
  :func:`matching.explain.why_not` for "why is this listing not shown to her?";
* :func:`matching.rounds.allocation_round` (or :func:`matching.allocation.allocate` on prepared
  candidates) for a coordinator's round over a caseload;
* :func:`matching.model.fit_outcome_model` to learn weights from labelled outcomes, passed back
  as ``weights=`` to the calls above.

:mod:`matching.reference` is the per-pair oracle the engine is tested and benchmarked against.
"""
