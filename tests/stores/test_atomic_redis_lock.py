"""The production lock store lets one message of a conversation in at a time, even when
several Rasa servers (here: threads with connections of their own) ask at the same moment.
Needs the local Redis; skipped with the reason without it."""
from __future__ import annotations

import asyncio
import threading
import uuid
from typing import Iterator, List

import pytest

from stores.atomic_redis_lock import AtomicRedisLockStore

REDIS_HOST, REDIS_PORT, REDIS_DB = "127.0.0.1", 6379, 1
SERVERS = 6


@pytest.fixture
def prefix() -> Iterator[str]:
    import redis

    client = redis.Redis(host=REDIS_HOST, port=REDIS_PORT, db=REDIS_DB, socket_connect_timeout=3)
    try:
        client.ping()
    except redis.RedisError as err:
        pytest.skip(f"Redis not reachable at {REDIS_HOST}:{REDIS_PORT}: {err}")
    prefix = f"shoptest{uuid.uuid4().hex[:10]}"
    yield prefix
    for key in client.scan_iter(f"{prefix}:*"):
        client.delete(key)
    client.close()


def test_messages_arriving_at_once_on_several_servers_are_handled_one_at_a_time(prefix: str):
    inside: List[int] = []  # who is handling a message right now
    most_inside: List[int] = [0]
    served: List[int] = []
    guard = threading.Lock()
    start = threading.Barrier(SERVERS)

    async def handle(server: int, store: AtomicRedisLockStore) -> None:
        async with store.lock("conversation-1", wait_time_in_seconds=0.01):
            with guard:
                inside.append(server)
                most_inside[0] = max(most_inside[0], len(inside))
            await asyncio.sleep(0.05)  # the turn: NLU, policies, actions
            with guard:
                inside.remove(server)
                served.append(server)

    def server(number: int) -> None:
        store = AtomicRedisLockStore(host=REDIS_HOST, port=REDIS_PORT, db=REDIS_DB, key_prefix=prefix)
        start.wait()
        asyncio.run(handle(number, store))

    threads = [threading.Thread(target=server, args=(n,)) for n in range(SERVERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert sorted(served) == list(range(SERVERS))
    assert most_inside[0] == 1


def test_it_is_built_from_the_endpoints_file_like_rasas_redis_store(prefix: str):
    from rasa.core.lock_store import LockStore
    from rasa.utils.endpoints import EndpointConfig

    config = EndpointConfig(url=REDIS_HOST, type="stores.atomic_redis_lock.AtomicRedisLockStore",
                            port=str(REDIS_PORT), db=str(REDIS_DB), password="", key_prefix=prefix)
    store = LockStore.create(config)
    assert isinstance(store, AtomicRedisLockStore)
    assert store.key_prefix == f"{prefix}:lock:"
    store.issue_ticket("conversation-2")
    assert store.get_lock("conversation-2").last_issued == 0
