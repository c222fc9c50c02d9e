"""Group commit: submissions queued together share one transaction, and fail alone."""

import threading
import time

import pytest
from helpers import emit
from helpers.scenes import checkin, ok, rows, scene
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from facilitator.db.groupcommit import GroupCommit
from facilitator.extensions import db
from facilitator.models import CheckIn
from facilitator.services import Refused


class Recorder:
    """A write function that records its batches; the first batch waits to be released."""

    def __init__(self, fail=lambda items: None):
        self.batches: list[list] = []
        self.release = threading.Event()
        self.fail = fail

    def __call__(self, items):
        self.batches.append(list(items))
        if len(self.batches) == 1:
            assert self.release.wait(10), "the test never released the first batch"
        self.fail(items)
        return [Refused("invalid", f"no {item}") if item < 0 else item * 10 for item in items]


def submit_in_threads(app, commits: GroupCommit, items: list[int], recorder: Recorder) -> dict:
    """Submit the first item, queue the rest behind its write, release it; results by item.

    Each submitter reads from the database first, as a handler does (who is sending, which
    session), so its session holds a pooled connection when it submits.
    """
    results: dict = {}

    def submit(item):
        with app.app_context():
            db.session.execute(text("SELECT 1"))
            try:
                results[item] = commits.submit(item)
            except Exception as exc:  # noqa: BLE001 - the test compares what each one got
                results[item] = exc

    threads = [threading.Thread(target=submit, args=(item,)) for item in items]
    threads[0].start()
    wait_for(lambda: len(recorder.batches) == 1)
    for thread in threads[1:]:
        thread.start()
    wait_for(lambda: len(commits._pending) == len(items) - 1)
    recorder.release.set()
    for thread in threads:
        thread.join(10)
    return results


def wait_for(condition) -> None:
    """Wait until ``condition()`` holds (at most 10 s)."""
    deadline = time.monotonic() + 10
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.005)


def test_submissions_that_queue_behind_a_write_share_the_next_transaction(app):
    recorder = Recorder()
    commits = GroupCommit(recorder)
    results = submit_in_threads(app, commits, [1, 2, 3, 4, 5, 6], recorder)
    assert results == {n: n * 10 for n in range(1, 7)}
    assert recorder.batches[0] == [1]
    assert sorted(recorder.batches[1]) == [2, 3, 4, 5, 6], "the queue went in one batch"
    assert commits.batches == 2


def test_a_refused_item_does_not_refuse_the_others_in_its_batch(app):
    recorder = Recorder()
    results = submit_in_threads(app, GroupCommit(recorder), [1, 2, -3, 4], recorder)
    assert isinstance(results[-3], Refused) and results[-3].message == "no -3"
    assert {k: v for k, v in results.items() if k != -3} == {1: 10, 2: 20, 4: 40}


def test_a_failed_batch_is_written_again_item_by_item(app):
    def duplicate_of_three(items):
        if 3 in items:
            raise IntegrityError("INSERT", {}, Exception("duplicate key"))

    recorder = Recorder(duplicate_of_three)
    results = submit_in_threads(app, GroupCommit(recorder), [1, 2, 3, 4], recorder)
    assert results[1] == 10 and results[2] == 20 and results[4] == 40
    assert isinstance(results[3], IntegrityError), "tried alone twice, then reported"
    alone = [batch for batch in recorder.batches if len(batch) == 1]
    assert alone.count([3]) == 2 and [2] in alone and [4] in alone


def test_more_submitters_than_pooled_connections_wait_without_holding_one(app):
    with app.app_context():
        pooled = db.engine.pool.size() + db.engine.pool._max_overflow
    items = list(range(1, pooled * 3))
    recorder = Recorder()
    results = submit_in_threads(app, GroupCommit(recorder), items, recorder)
    assert results == {n: n * 10 for n in items}
    assert len(recorder.batches) == 2, "all who queued went in one transaction"


def test_a_lone_submission_is_written_at_once(app):
    commits = GroupCommit(lambda items: [item + 1 for item in items])
    with app.app_context():
        assert commits.submit(41) == 42
        assert commits.submit(1) == 2
    assert commits.batches == 2


def test_a_burst_of_checkins_is_committed_once_each_with_its_own_answer(app, world):
    """Real check-ins through the rule, from threads: every row stored once, every ack right."""
    stage, clients = scene(app, world, people=3), 12
    payloads = [checkin(stage.sid, n % 11, phq9=[n % 4] * 8 + [n % 2]) for n in range(clients)]
    payloads.append(dict(payloads[0]))  # a copy of the first, racing it
    acks: list = [None] * len(payloads)

    def send(n):
        acks[n] = emit(stage.people[n % len(stage.people)], "checkin:submit", payloads[n])

    threads = [threading.Thread(target=send, args=(n,)) for n in range(len(payloads))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)
    answers = [ok(ack) for ack in acks]
    assert answers[-1] == answers[0], "the copy got the first answer"
    ids = {answer["checkin_id"] for answer in answers}
    assert len(ids) == clients
    for payload, answer in zip(payloads, answers, strict=True):
        assert answer["phq9_total"] == sum(payload["phq9"])
        assert ("support" in answer) == (payload["phq9"][8] > 0)
    assert rows(app, CheckIn) == clients


@pytest.mark.parametrize("size", [1, 3])
def test_the_checkin_lane_belongs_to_the_app_and_takes_its_size_from_config(app, size):
    from realtime.handlers import CHECKIN_LANE

    app.config["CHECKINS_AT_ONCE"] = size
    with app.app_context():
        slots = CHECKIN_LANE.slots()
        assert slots is CHECKIN_LANE.slots(), "one lane per app"
        taken = [slots.acquire(blocking=False) for _ in range(size + 1)]
        for _ in range(size):
            slots.release()
    assert taken == [True] * size + [False], "the app's lane has CHECKINS_AT_ONCE turns"
