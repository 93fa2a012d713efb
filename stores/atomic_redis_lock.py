"""Rasa's Redis lock store, made safe for several Rasa servers.

Rasa 3.6's RedisLockStore keeps a conversation's ticket queue as one JSON value and changes it
by reading, editing and writing it back. Two servers that take a ticket for the same
conversation at the same moment both read the empty queue and both get ticket 0, so both
handle their message at once, and the SQL tracker store then loses one of the two turns (it
appends "the events beyond the count already stored"). This store does every such
read-modify-write under a short Redis mutex (SET NX with an expiry, released by a checked
delete), so tickets are handed out one at a time across all servers.
"""
from __future__ import annotations

import logging
from contextlib import contextmanager
from typing import Any, Iterator, Optional, Text

from rasa.core.lock_store import LOCK_LIFETIME, LockError, RedisLockStore
from rasa.utils.endpoints import EndpointConfig

log = logging.getLogger(__name__)

#: A server that dies holding the mutex blocks the conversation for at most this long.
MUTEX_EXPIRY_SECONDS = 5.0
#: Editing the queue takes a few milliseconds; waiting longer than this means trouble.
MUTEX_WAIT_SECONDS = 5.0
MUTEX_POLL_SECONDS = 0.005


class AtomicRedisLockStore(RedisLockStore):
    """RedisLockStore whose ticket queue changes are atomic across processes.

    Configured like Rasa's `redis` lock store (url, port, db, password, key_prefix, ...).
    """

    def __init__(self, endpoint_config: Optional[EndpointConfig] = None, **kwargs: Any) -> None:
        # Rasa builds lock stores named by module path with only `endpoint_config=`.
        if endpoint_config is not None:
            kwargs = {"host": endpoint_config.url or "localhost", **endpoint_config.kwargs, **kwargs}
        super().__init__(**kwargs)

    @contextmanager
    def _queue_mutex(self, conversation_id: Text) -> Iterator[None]:
        import redis

        mutex = self.red.lock(self.key_prefix + conversation_id + ":mutex",
                              timeout=MUTEX_EXPIRY_SECONDS, sleep=MUTEX_POLL_SECONDS,
                              blocking_timeout=MUTEX_WAIT_SECONDS)
        try:
            acquired = mutex.acquire()
        except redis.RedisError as err:  # Redis down: the same error Rasa's store raises
            raise LockError(f"Error while acquiring lock. Error:\n{err}") from err
        if not acquired:
            raise LockError(f"Timed out waiting to change the lock of conversation '{conversation_id}'.")
        try:
            yield
        finally:
            try:
                mutex.release()
            except redis.exceptions.LockNotOwnedError:  # expired while we worked: already free
                log.warning("the lock queue mutex of %s expired before it was released",
                            conversation_id)

    def issue_ticket(self, conversation_id: Text, lock_lifetime: float = LOCK_LIFETIME) -> int:
        with self._queue_mutex(conversation_id):
            return super().issue_ticket(conversation_id, lock_lifetime)

    def update_lock(self, conversation_id: Text) -> None:
        with self._queue_mutex(conversation_id):
            super().update_lock(conversation_id)

    def cleanup(self, conversation_id: Text, ticket_number: int) -> None:
        # Finishing a ticket and deleting the emptied queue is one step: otherwise a ticket
        # issued in between would be deleted with the queue.
        with self._queue_mutex(conversation_id):
            super().cleanup(conversation_id, ticket_number)
