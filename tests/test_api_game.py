"""The game's API: served in the running loop; API requests join the level's command history."""

from __future__ import annotations

import base64
import ssl
from pathlib import Path

import aiohttp
import yaml

from k8stui.game.pack import builtin_pack
from k8stui.game.runner import LevelRun
from k8stui.server.game import GameApi


async def test_game_api_serves_the_level_and_records_requests(tmp_path: Path) -> None:
    pack = builtin_pack()
    run = LevelRun(pack.levels[0], pack)
    api = GameApi(run, run.history.append, kubeconfig=tmp_path / "kubeconfig")
    hint = await api.start()
    try:
        assert str(tmp_path / "kubeconfig") in hint and hint.count("\n") == 0
        config = yaml.safe_load((tmp_path / "kubeconfig").read_text())
        ca = base64.b64decode(config["clusters"][0]["cluster"]["certificate-authority-data"])
        context = ssl.create_default_context(cadata=ca.decode())
        token = config["users"][0]["user"]["token"]
        url = config["clusters"][0]["cluster"]["server"]
        async with aiohttp.ClientSession(headers={"Authorization": f"Bearer {token}"}) as http:
            async with http.get(f"{url}/api/v1/namespaces/default/pods", ssl=context) as response:
                assert response.status == 200
                body = await response.json()
            async with http.get(
                f"{url}/api/v1/namespaces/default/pods/nope", ssl=context
            ) as missing:
                assert missing.status == 404
            async with http.post(
                f"{url}/k8stui/v1/sim", json={"args": ["advance", "1h"]}, ssl=context
            ) as sim:
                assert sim.status == 403  # the game owns its clock
        assert body["kind"] == "PodList"
        assert "kubectl get pods" in run.history
        assert "kubectl get pods nope" not in run.history  # failed requests are not recorded
    finally:
        await api.stop()
