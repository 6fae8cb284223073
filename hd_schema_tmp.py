import asyncio, json
from litestar.testing import AsyncTestClient
from tests.conftest import make_settings, app_for
from tests.support.factories import Factory
from tests.support.db import migrate
async def main():
    url="sqlite+aiosqlite:////tmp/hd_schema2.db"
    settings=make_settings(url)
    app = app_for(settings)
    f=Factory(settings)
    async with AsyncTestClient(app=app) as c:
        u=await f.user("counsellor", await f.org())
        h=await f.login(c,u)
        r=await c.post("/api/survivors", json={"display_name":"A","region":"DE30","education":[{"isced_level":2,"completed":0}]}, headers=h)
        print("bool0", r.status_code, r.text[:200])
        sid=(await c.post("/api/survivors", json={"display_name":"A","region":"DE30"}, headers=h)).json()["id"]
        for p in (f"/api/survivors/{sid}", "/api/survivors", "/api/auth/tokens"):
            r = await c.options(p, headers=h)
            print("OPTIONS", p, r.status_code, r.headers.get("allow"))
        r = await c.post("/api/survivors", content=b"x", headers={**h, "content-type":"text/plain"})
        print("415?", r.status_code, r.text[:150])
        r = await c.post("/api/auth/login", content=b"x", headers={"content-type":"text/plain"})
        print("415 login?", r.status_code, r.text[:150])
    await f.close()
import os
if not os.path.exists("/tmp/hd_schema2.db"): migrate("sqlite+aiosqlite:////tmp/hd_schema2.db")
asyncio.run(main())
