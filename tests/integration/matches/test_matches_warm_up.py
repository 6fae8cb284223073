"""No cold start: a fresh process builds its matching index before readiness says ok, and its
first matches request is served from that index (the request builds nothing)."""

from __future__ import annotations

import asyncio
import dataclasses

from litestar.testing import AsyncTestClient

from service.asgi import create_app
from service.domain.matches.published_index import published_index_of
from service.domain.matches.warm_up import STATE_KEY, WarmUp
from service.settings import Settings
from tests.support.factories import Factory
from tests.support.listings import listing, profile


async def test_a_fresh_process_answers_matches_from_the_index_built_at_startup(
    settings: Settings, factory: Factory
) -> None:
    ngo = await factory.org()
    counsellor = await factory.user("counsellor", ngo)
    partner = await factory.org("partner", name=f"Warm Kitchen {ngo.id.hex[:6]}")
    survivor = await factory.survivor(ngo, counsellor, **profile())
    job = await listing(factory, partner.id, title="Kitchen assistant")
    warm = dataclasses.replace(settings, app=dataclasses.replace(settings.app, warm_matches=True))
    app = create_app(warm)
    async with AsyncTestClient(app=app) as client:
        for _ in range(400):
            ready = await client.get("/health/ready")
            if ready.status_code == 200:
                break
            assert ready.json() == {"status": "unavailable", "database": "up", "matches": "warming"}
            await asyncio.sleep(0.05)
        assert ready.status_code == 200 and ready.json()["matches"] == "ready"
        catalogue = published_index_of(app.state)
        assert catalogue.rebuilds == 1 and catalogue.snapshot is not None
        assert str(job.id) in catalogue.snapshot.index.row_of
        await factory.login(client, counsellor)

        response = await client.get(f"/api/survivors/{survivor.id}/matches")

        assert response.status_code == 200, response.text
        assert [item["opportunity"]["id"] for item in response.json()["items"]] == [str(job.id)]
        assert catalogue.rebuilds == 1  # the request found the index built; it built nothing

        # a listing published later reaches the index on the process's own clock, with no request
        # and no rebuild (the wait is generous: this checks that it arrives, not how fast)
        later = await listing(factory, partner.id, title="Night-free bakery job")
        for _ in range(600):
            if str(later.id) in catalogue.snapshot.index.row_of:
                break
            await asyncio.sleep(0.05)
        assert str(later.id) in catalogue.snapshot.index.row_of
        assert catalogue.rebuilds == 1 and catalogue.increments >= 1


async def test_readiness_says_not_ready_while_the_index_is_being_built(client: AsyncTestClient) -> None:
    app = client.app
    app.state[STATE_KEY] = WarmUp()  # started, not finished
    try:
        response = await client.get("/health/ready")
        assert response.status_code == 503
        assert response.json()["matches"] == "warming"
    finally:
        del app.state[STATE_KEY]
    assert (await client.get("/health/ready")).status_code == 200
